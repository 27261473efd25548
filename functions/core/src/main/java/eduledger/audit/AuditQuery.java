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
 * The filters of a scope's audit event list, as the lookup dimensions ({@link AuditKeys}) an event
 * must be in, and a date range on {@code created_date} ({@code start_date} inclusive, {@code
 * end_date} exclusive), the sort key condition of every one of them.
 *
 * <p>Filters: {@code action}, {@code actor.value}, {@code actor.issuer}, {@code actor.type},
 * {@code target.value}, {@code target.issuer}, {@code target.type} and {@code context.source},
 * {@code context.user_agent}, {@code context.http_method}, {@code context.http_status},
 * {@code context.path}, {@code context.ip}, {@code context.query}, in any combination. An
 * identifier's value with its issuer ({@code actor.value} with {@code actor.issuer}, {@code
 * target.value} with {@code target.issuer}) is one dimension, both of one identifier; a target
 * filter holds when any of the event's targets has what it names. One dimension is one list read;
 * several are intersected by {@link AuditJoin}.
 */
public record AuditQuery(List<String> dimensions, Instant start, Instant end) {

    public AuditQuery {
        dimensions = dimensions.isEmpty() ? List.of("") : List.copyOf(dimensions);
    }

    /** A list of one dimension ("" for the scope's whole list). */
    public AuditQuery(String dimension, Instant start, Instant end) {
        this(List.of(dimension), start, end);
    }

    /** The one dimension of a list that is not an intersection. */
    public String dimension() {
        if (dimensions.size() != 1) {
            throw new IllegalStateException("An intersection of " + dimensions.size() + " lists has no one dimension");
        }
        return dimensions.get(0);
    }

    /** Whether the list is the intersection of several lookup lists. */
    public boolean joined() {
        return dimensions.size() > 1;
    }

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
            "context.ip",
            "context.query");

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
        List<String> dimensions = new ArrayList<>();
        for (String party : List.of("actor", "target")) {
            String value = given.get(party + ".value");
            String issuer = given.get(party + ".issuer");
            if (value != null && issuer != null) {
                // Both of one identifier, not a value of one and an issuer of another.
                dimensions.add(AuditKeys.identifierDimension(party.toUpperCase(java.util.Locale.ROOT), issuer, value));
                given.remove(party + ".value");
                given.remove(party + ".issuer");
            }
        }
        given.forEach((filter, value) -> dimensions.add(filterDimension(filter, value)));
        Instant start = instant(parameters.apply("start_date"), "start_date");
        Instant end = instant(parameters.apply("end_date"), "end_date");
        if (start != null && end != null && !start.isBefore(end)) {
            throw ServiceException.badRequest("INVALID_FILTER", "start_date must be before end_date.");
        }
        return new AuditQuery(dimensions, start, end);
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
