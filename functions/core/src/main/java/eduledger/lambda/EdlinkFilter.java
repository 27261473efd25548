package eduledger.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Edlink's {@code $filter} query parameter, read at the edge: a JSON object from field name to a
 * list of {@code {"operator", "value"}} conditions, all of which must hold. A route names the
 * fields it can filter on; only {@code equals} (one value) and {@code in} (a list of values) apply,
 * since each must become a key condition. A field, operator or shape the route cannot apply is a
 * 400 that names it, never a condition dropped in silence.
 */
public final class EdlinkFilter {
    public static final String PARAMETER = "$filter";
    public static final String EQUALS = "equals";
    public static final String IN = "in";
    public static final int MAX_VALUES = 100;

    /** Per field, the values every condition on it allows (their intersection), in the order sent. */
    private final Map<String, List<String>> values;

    private EdlinkFilter(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @param text the parameter as sent, or null when absent */
    public static EdlinkFilter parse(String text, Set<String> fields) {
        Map<String, List<String>> values = new java.util.LinkedHashMap<>();
        if (text == null) {
            return new EdlinkFilter(values);
        }
        JsonNode filter;
        try {
            filter = Json.read(text);
        } catch (JsonProcessingException e) {
            throw invalid("$filter is not JSON; it is an object such as"
                    + " {\"type\": [{\"operator\": \"equals\", \"value\": \"person.created\"}]}.");
        }
        if (filter == null || !filter.isObject()) {
            throw invalid("$filter must be a JSON object from field name to a list of conditions.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (!fields.contains(name)) {
                throw ServiceException.badRequest(
                        "UNSUPPORTED_FILTER",
                        "$filter on " + name + " cannot be applied here; this list filters on "
                                + String.join(", ", new TreeSet<>(fields)) + ".");
            }
            JsonNode conditions = field.getValue();
            if (!conditions.isArray() || conditions.isEmpty()) {
                throw invalid("$filter." + name + " must be a non-empty list of {\"operator\", \"value\"}.");
            }
            LinkedHashSet<String> allowed = null;
            for (JsonNode condition : conditions) {
                LinkedHashSet<String> these = condition(name, condition);
                if (allowed == null) {
                    allowed = these;
                } else {
                    allowed.retainAll(these);
                }
            }
            values.put(name, List.copyOf(allowed));
        }
        return new EdlinkFilter(values);
    }

    private static LinkedHashSet<String> condition(String field, JsonNode condition) {
        if (!condition.isObject()) {
            throw invalid("Each condition of $filter." + field + " is {\"operator\", \"value\"}.");
        }
        for (Iterator<String> names = condition.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("operator") && !name.equals("value")) {
                throw invalid("A condition of $filter." + field + " has operator and value, not " + name + ".");
            }
        }
        String operator = condition.path("operator").asText(null);
        JsonNode value = condition.get("value");
        if (operator == null || value == null) {
            throw invalid("Each condition of $filter." + field + " needs an operator and a value.");
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        if (operator.equals(EQUALS)) {
            if (!value.isTextual()) {
                throw invalid("$filter." + field + " equals takes a string value.");
            }
            values.add(value.asText());
        } else if (operator.equals(IN)) {
            if (!value.isArray() || value.isEmpty() || value.size() > MAX_VALUES) {
                throw invalid("$filter." + field + " in takes a list of 1 to " + MAX_VALUES + " strings.");
            }
            for (JsonNode one : value) {
                if (!one.isTextual()) {
                    throw invalid("$filter." + field + " in takes a list of strings.");
                }
                values.add(one.asText());
            }
        } else {
            throw ServiceException.badRequest(
                    "UNSUPPORTED_FILTER",
                    "$filter." + field + " cannot apply the operator \"" + operator + "\" as a key condition; it"
                            + " takes equals and in.");
        }
        return values;
    }

    /** The values the filter allows for {@code field}, or null when it does not constrain it. */
    public List<String> values(String field) {
        return values.get(field);
    }

    /** The values both constraints allow, null standing for no constraint. */
    public static List<String> both(List<String> a, List<String> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        List<String> both = new ArrayList<>(a);
        both.retainAll(b);
        return both;
    }

    private static ServiceException invalid(String message) {
        return ServiceException.badRequest("INVALID_FILTER", message);
    }
}
