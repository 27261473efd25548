package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code $ref} cycles that never descend into the data, like {@code {"$ref": "#"}} or two
 * definitions referring to each other. The validator follows them for ever (until the stack
 * overflows) on the first event checked, so such a schema is refused when it is defined.
 * A cycle through {@code properties}, {@code items} and the like is fine: each turn reads a deeper
 * part of the event, which is finite.
 */
final class RefCycles {
    /** Keywords that apply their subschemas to the same part of the data as the schema they are in. */
    private static final List<String> IN_PLACE_LISTS = List.of("allOf", "anyOf", "oneOf");

    private static final List<String> IN_PLACE_SINGLE = List.of("not", "if", "then", "else");
    private static final List<String> REFERENCES = List.of("$ref", "$dynamicRef", "$recursiveRef");

    private RefCycles() {}

    /** The JSON pointer of a subschema that reaches itself in place, or null when there is none. */
    static String find(JsonNode root) {
        Map<String, JsonNode> schemas = new HashMap<>();
        Map<String, String> anchors = new HashMap<>();
        collect(root, "", schemas, anchors);
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (String start : schemas.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            // Iterative depth-first search: a long chain of references must not overflow our stack either.
            Deque<String> path = new ArrayDeque<>();
            Deque<java.util.Iterator<String>> pending = new ArrayDeque<>();
            path.push(start);
            pending.push(edges(start, schemas, anchors).iterator());
            state.put(start, 1);
            while (!path.isEmpty()) {
                if (!pending.peek().hasNext()) {
                    state.put(path.pop(), 2);
                    pending.pop();
                    continue;
                }
                String next = pending.peek().next();
                Integer seen = state.get(next);
                if (seen != null && seen == 1) {
                    return next.isEmpty() ? "#" : "#" + next;
                }
                if (seen == null) {
                    state.put(next, 1);
                    path.push(next);
                    pending.push(edges(next, schemas, anchors).iterator());
                }
            }
        }
        return null;
    }

    private static void collect(
            JsonNode node, String pointer, Map<String, JsonNode> schemas, Map<String, String> anchors) {
        if (node.isObject()) {
            schemas.put(pointer, node);
            JsonNode anchor = node.get("$anchor");
            if (anchor != null && anchor.isTextual()) {
                anchors.put(anchor.asText(), pointer);
            }
            node.fields()
                    .forEachRemaining(field ->
                            collect(field.getValue(), pointer + "/" + escape(field.getKey()), schemas, anchors));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), pointer + "/" + i, schemas, anchors);
            }
        }
    }

    private static List<String> edges(String pointer, Map<String, JsonNode> schemas, Map<String, String> anchors) {
        JsonNode schema = schemas.get(pointer);
        List<String> edges = new ArrayList<>();
        for (String keyword : REFERENCES) {
            JsonNode ref = schema.get(keyword);
            if (ref != null && ref.isTextual()) {
                String target = resolve(ref.asText(), anchors);
                if (target != null && schemas.containsKey(target)) {
                    edges.add(target);
                }
            }
        }
        for (String keyword : IN_PLACE_LISTS) {
            JsonNode list = schema.get(keyword);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    edges.add(pointer + "/" + keyword + "/" + i);
                }
            }
        }
        for (String keyword : IN_PLACE_SINGLE) {
            if (schema.path(keyword).isObject()) {
                edges.add(pointer + "/" + keyword);
            }
        }
        JsonNode dependent = schema.get("dependentSchemas");
        if (dependent != null && dependent.isObject()) {
            dependent.fieldNames().forEachRemaining(name -> edges.add(pointer + "/dependentSchemas/" + escape(name)));
        }
        edges.removeIf(edge -> !schemas.containsKey(edge));
        return edges;
    }

    /** A reference inside this document ({@code #}, {@code #/json/pointer} or {@code #anchor}), or null. */
    private static String resolve(String ref, Map<String, String> anchors) {
        if (!ref.startsWith("#")) {
            return null;
        }
        String fragment = URLDecoder.decode(ref.substring(1), StandardCharsets.UTF_8);
        if (fragment.isEmpty() || fragment.startsWith("/")) {
            return fragment;
        }
        return anchors.get(fragment);
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
