package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A projection as a tree of the requested paths. Nested maps keep only the requested keys; lists keep
 * only the requested elements, in index order and compacted, as DynamoDB returns them. A requested
 * path that is absent from the item contributes nothing (not even an empty parent).
 */
final class PathProjection implements Projection {
    private static final class Step {
        boolean whole;
        LinkedHashMap<String, Step> fields;
        TreeMap<Integer, Step> elements;
    }

    private final LinkedHashMap<String, Step> roots = new LinkedHashMap<>();

    PathProjection(List<Path> paths) {
        for (Path path : paths) {
            Step step = roots.computeIfAbsent(path.topLevel(), k -> new Step());
            for (int i = 1; i < path.size(); i++) {
                Object element = path.element(i);
                if (element instanceof String name) {
                    if (step.fields == null) step.fields = new LinkedHashMap<>();
                    step = step.fields.computeIfAbsent(name, k -> new Step());
                } else {
                    if (step.elements == null) step.elements = new TreeMap<>();
                    step = step.elements.computeIfAbsent((Integer) element, k -> new Step());
                }
            }
            step.whole = true;
        }
    }

    /** The top-level attributes the projection reads (for index projections and key checks). */
    List<String> topLevelAttributes() {
        return new ArrayList<>(roots.keySet());
    }

    @Override
    public Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, Step> e : roots.entrySet()) {
            AttributeValue v = item.get(e.getKey());
            if (v == null) continue;
            AttributeValue projected = project(v, e.getValue());
            if (projected != null) out.put(e.getKey(), projected);
        }
        return out;
    }

    private static AttributeValue project(AttributeValue v, Step step) {
        if (step.whole) return v;
        if (step.fields != null) {
            if (!(v instanceof AttributeValue.MapValue m)) return null;
            LinkedHashMap<String, AttributeValue> out = new LinkedHashMap<>();
            for (Map.Entry<String, Step> e : step.fields.entrySet()) {
                AttributeValue child = m.values().get(e.getKey());
                if (child == null) continue;
                AttributeValue projected = project(child, e.getValue());
                if (projected != null) out.put(e.getKey(), projected);
            }
            return out.isEmpty() ? null : new AttributeValue.MapValue(out);
        }
        if (!(v instanceof AttributeValue.ListValue l)) return null;
        List<AttributeValue> out = new ArrayList<>();
        for (Map.Entry<Integer, Step> e : step.elements.entrySet()) {
            int index = e.getKey();
            if (index >= l.values().size()) break;
            AttributeValue projected = project(l.values().get(index), e.getValue());
            if (projected != null) out.add(projected);
        }
        return out.isEmpty() ? null : new AttributeValue.ListValue(out);
    }
}
