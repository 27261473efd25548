package eduledger.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.json.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
 * fields it can filter on, each a key condition: on value fields {@code equals} (one value) and
 * {@code in} (a list of values); on date fields {@code gt}, {@code gte}, {@code lt} and {@code lte}
 * (an ISO 8601 timestamp with a zone, or a date meaning its start in UTC), which narrow a range of
 * time-ordered ids. A field, operator or shape the route cannot apply is a 400 that names it, never
 * a condition dropped in silence.
 */
public final class EdlinkFilter {
    public static final String PARAMETER = "$filter";
    public static final String EQUALS = "equals";
    public static final String IN = "in";
    public static final int MAX_VALUES = 100;
    /** The operators of date fields, each one bound of a time range. */
    public static final List<String> DATE_OPERATORS = List.of("gt", "gte", "lt", "lte");

    /** Per field, the values every condition on it allows (their intersection), in the order sent. */
    private final Map<String, List<String>> values;
    /** The latest lower bound (inclusive) of every date condition, or null. */
    private Instant from;
    /** The earliest upper bound (exclusive) of every date condition, or null. */
    private Instant until;

    private EdlinkFilter(Map<String, List<String>> values) {
        this.values = values;
    }

    /** @param text the parameter as sent, or null when absent */
    public static EdlinkFilter parse(String text, Set<String> fields) {
        return parse(text, fields, Set.of());
    }

    /**
     * @param text       the parameter as sent, or null when absent
     * @param fields     the fields taking {@code equals} and {@code in}
     * @param dateFields the fields taking {@link #DATE_OPERATORS}, all of them bounds on one time
     */
    public static EdlinkFilter parse(String text, Set<String> fields, Set<String> dateFields) {
        Map<String, List<String>> values = new java.util.LinkedHashMap<>();
        EdlinkFilter parsed = new EdlinkFilter(values);
        if (text == null) {
            return parsed;
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
            if (!fields.contains(name) && !dateFields.contains(name)) {
                Set<String> known = new TreeSet<>(fields);
                known.addAll(dateFields);
                throw ServiceException.badRequest(
                        "UNSUPPORTED_FILTER",
                        "$filter on " + name + " cannot be applied here; this list filters on "
                                + String.join(", ", known) + ".");
            }
            JsonNode conditions = field.getValue();
            if (!conditions.isArray() || conditions.isEmpty()) {
                throw invalid("$filter." + name + " must be a non-empty list of {\"operator\", \"value\"}.");
            }
            if (dateFields.contains(name)) {
                for (JsonNode condition : conditions) {
                    parsed.dateCondition(name, condition);
                }
                continue;
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
        return parsed;
    }

    /** Narrows the time range by one condition on a date field. */
    private void dateCondition(String field, JsonNode condition) {
        checkShape(field, condition);
        String operator = condition.path("operator").asText(null);
        JsonNode value = condition.get("value");
        if (operator == null || value == null) {
            throw invalid("Each condition of $filter." + field + " needs an operator and a value.");
        }
        if (!DATE_OPERATORS.contains(operator)) {
            throw ServiceException.badRequest(
                    "UNSUPPORTED_FILTER",
                    "$filter." + field + " cannot apply the operator \"" + operator + "\" as a key condition; it"
                            + " takes " + String.join(", ", DATE_OPERATORS) + ".");
        }
        Instant time = value.isTextual() ? time(value.asText()) : null;
        if (time == null) {
            throw invalid("$filter." + field + " " + operator + " takes an ISO 8601 timestamp with a zone"
                    + " (2026-01-31T12:00:00Z) or a date (2026-01-31), in the years 0001 to 9999.");
        }
        // Ids count whole milliseconds: each bound becomes the first millisecond in or out of range.
        long floor = time.toEpochMilli();
        boolean whole = time.getNano() % 1_000_000 == 0;
        switch (operator) {
            case "gt" -> from = later(from, Instant.ofEpochMilli(floor + 1));
            case "gte" -> from = later(from, Instant.ofEpochMilli(whole ? floor : floor + 1));
            case "lt" -> until = earlier(until, Instant.ofEpochMilli(whole ? floor : floor + 1));
            default -> until = earlier(until, Instant.ofEpochMilli(floor + 1));
        }
    }

    private static Instant time(String text) {
        try {
            Instant time = text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
            return EventIds.isQueryable(time) ? time : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    /** The earliest time the date conditions allow (inclusive), or null when they set none. */
    public Instant from() {
        return from;
    }

    /** The time before which every date condition holds (exclusive), or null when they set none. */
    public Instant until() {
        return until;
    }

    private static void checkShape(String field, JsonNode condition) {
        if (!condition.isObject()) {
            throw invalid("Each condition of $filter." + field + " is {\"operator\", \"value\"}.");
        }
        for (Iterator<String> names = condition.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("operator") && !name.equals("value")) {
                throw invalid("A condition of $filter." + field + " has operator and value, not " + name + ".");
            }
        }
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
