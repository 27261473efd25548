package eduledger.audit;

import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The filters of a scope's audit event list, as one lookup dimension ({@link AuditKeys}), and a
 * date range on {@code created_date} ({@code start_date} inclusive, {@code end_date} exclusive), the
 * sort key condition of any of them.
 *
 * <p>Filters: {@code action}, {@code actor.value}, {@code actor.issuer}, {@code actor.type},
 * {@code target.value}, {@code target.issuer}, {@code target.type} and {@code context.source},
 * {@code context.user_agent}, {@code context.http_method}, {@code context.http_status},
 * {@code context.path}, {@code context.ip}. One at a time, or an identifier's value with its issuer
 * ({@code actor.value} with {@code actor.issuer}, {@code target.value} with {@code target.issuer}),
 * with any date range: each is the key of a lookup partition, and intersecting two would mean
 * reading one partition and dropping in memory what the other does not hold, which is the short or
 * empty page this list never returns.
 */
public record AuditQuery(String dimension, Instant start, Instant end) {

    /** The filters this list applies, each the name of a dimension; order is the order of the message. */
    public static final List<String> FILTERS = List.of(
            "action",
            "actor.value",
            "actor.issuer",
            "actor.type",
            "target.value",
            "target.issuer",
            "target.type",
            "context.source",
            "context.user_agent",
            "context.http_method",
            "context.http_status",
            "context.path",
            "context.ip");

    /** Every parameter the list reads besides paging: the filters and the date range. */
    public static final List<String> PARAMETERS;

    static {
        List<String> all = new ArrayList<>(FILTERS);
        all.add("start_date");
        all.add("end_date");
        PARAMETERS = List.copyOf(all);
    }

    /** The dimension of a filter on one of these. */
    static String filterDimension(String filter, String value) {
        return AuditKeys.dimension(filter.toUpperCase(java.util.Locale.ROOT), value);
    }

    /** @param parameters the list's parameters by name; absent ones are null */
    public static AuditQuery from(Function<String, String> parameters) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String filter : FILTERS) {
            String value = parameters.apply(filter);
            if (value == null) {
                continue;
            }
            if (value.isEmpty()
                    || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > EventSubmission.MAX_ID_LENGTH) {
                throw ServiceException.badRequest(
                        "INVALID_FILTER", filter + " is 1 to " + EventSubmission.MAX_ID_LENGTH + " bytes of UTF-8.");
            }
            given.put(filter, value);
        }
        if (parameters.apply("context.query") != null) {
            throw ServiceException.badRequest(
                    "UNSUPPORTED_FILTER", "context.query cannot be filtered on; its value is free-form.");
        }
        String dimension = "";
        if (given.size() == 2 && given.containsKey("actor.value") && given.containsKey("actor.issuer")) {
            dimension = AuditKeys.identifierDimension("ACTOR", given.get("actor.issuer"), given.get("actor.value"));
        } else if (given.size() == 2 && given.containsKey("target.value") && given.containsKey("target.issuer")) {
            dimension = AuditKeys.identifierDimension("TARGET", given.get("target.issuer"), given.get("target.value"));
        } else if (given.size() > 1) {
            throw ServiceException.badRequest(
                    "UNSUPPORTED_FILTER_COMBINATION",
                    "Filters " + String.join(", ", given.keySet()) + " cannot be combined: use one filter at a time,"
                            + " or an identifier's value with its issuer, with any start_date and end_date.");
        } else if (given.size() == 1) {
            var only = given.entrySet().iterator().next();
            dimension = filterDimension(only.getKey(), only.getValue());
        }
        Instant start = instant(parameters.apply("start_date"), "start_date");
        Instant end = instant(parameters.apply("end_date"), "end_date");
        if (start != null && end != null && !start.isBefore(end)) {
            throw ServiceException.badRequest("INVALID_FILTER", "start_date must be before end_date.");
        }
        return new AuditQuery(dimension, start, end);
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
