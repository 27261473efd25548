package eduledger.audit;

import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The filters of an audit event list: at most one of action, actor id, target id or conforms, each
 * the partition key of an index made for it, and a date range on {@code created_date}
 * ({@code start_date} inclusive, {@code end_date} exclusive), the sort key condition of any of them.
 */
public record AuditQuery(Filter filter, Instant start, Instant end) {

    public enum Kind {
        ACTION,
        ACTOR,
        TARGET,
        CONFORMS
    }

    public record Filter(Kind kind, String value) {}

    /** @param parameters the list's parameters by name; absent ones are null */
    public static AuditQuery from(Function<String, String> parameters) {
        List<Filter> filters = new ArrayList<>();
        add(filters, Kind.ACTION, parameters.apply("action"));
        add(filters, Kind.ACTOR, parameters.apply("actor_id"));
        add(filters, Kind.TARGET, parameters.apply("target_id"));
        String conforms = parameters.apply("conforms");
        if (conforms != null) {
            if (!conforms.equals("true") && !conforms.equals("false")) {
                throw ServiceException.badRequest("INVALID_FILTER", "conforms must be true or false.");
            }
            filters.add(new Filter(Kind.CONFORMS, conforms));
        }
        if (filters.size() > 1) {
            // Each filter is an index key; combining two would mean filtering one index's results in memory.
            throw ServiceException.badRequest(
                    "UNSUPPORTED_FILTER_COMBINATION",
                    "Use one of action, actor_id, target_id and conforms at a time (with any date range).");
        }
        Instant start = instant(parameters.apply("start_date"), "start_date");
        Instant end = instant(parameters.apply("end_date"), "end_date");
        if (start != null && end != null && !start.isBefore(end)) {
            throw ServiceException.badRequest("INVALID_FILTER", "start_date must be before end_date.");
        }
        return new AuditQuery(filters.isEmpty() ? null : filters.get(0), start, end);
    }

    private static void add(List<Filter> filters, Kind kind, String value) {
        if (value == null) {
            return;
        }
        if (value.isEmpty()
                || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > EventSubmission.MAX_ID_LENGTH) {
            throw ServiceException.badRequest(
                    "INVALID_FILTER", "A filter value is 1 to " + EventSubmission.MAX_ID_LENGTH + " bytes of UTF-8.");
        }
        filters.add(new Filter(kind, value));
    }

    private static Instant instant(String text, String name) {
        if (text == null) {
            return null;
        }
        try {
            Instant instant = text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : OffsetDateTime.parse(text).toInstant();
            if (!EventIds.isQueryable(instant)) {
                throw ServiceException.badRequest(
                        "INVALID_FILTER", name + " must lie between the years 0001 and 9999; got '" + text + "'.");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw ServiceException.badRequest(
                    "INVALID_FILTER",
                    name + " must be an ISO 8601 date (2026-01-31) or timestamp with a zone (2026-01-31T12:00:00Z).");
        }
    }
}
