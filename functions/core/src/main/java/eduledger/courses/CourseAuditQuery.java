package eduledger.courses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.paging.CursorCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * A listing's parameters as Canvas takes them: {@code start_time}, {@code end_time} (ISO 8601; a
 * date alone is its midnight UTC, a time without offset is UTC), {@code per_page} (default 10; like
 * Canvas, a larger value is clamped to 100 and a missing, non-numeric or non-positive one means the
 * default), and {@code page}, the opaque token of a {@code Link} header: which end of the range, or
 * which side of an event already served, the page lies.
 */
public record CourseAuditQuery(CourseEventRange range, int perPage, String pageToken) {
    public static final int DEFAULT_PER_PAGE = 10;
    public static final int MAX_PER_PAGE = 100;

    private static final String FEED = "f";
    private static final String OBJECT = "o";
    private static final String ANCHOR = "a";
    private static final String DIRECTION = "d";

    /** @param parameters the listing's parameters by name; absent ones are null */
    public static CourseAuditQuery from(
            Function<String, String> parameters, CourseEventFeed feed, String integrationId, CursorCodec cursors) {
        Instant start = time(parameters, "start_time");
        Instant end = time(parameters, "end_time");
        String token = parameters.apply("page");
        CourseEventRange range = token == null || token.isEmpty()
                ? new CourseEventRange(start, end, null)
                : range(cursors.decode(integrationId, token), feed, start, end);
        return new CourseAuditQuery(range, perPage(parameters.apply("per_page")), token);
    }

    /** The token of the page of events older than {@code lastServedId}: {@code next}. */
    public static String nextToken(
            CursorCodec cursors, String integrationId, CourseEventFeed feed, String lastServedId) {
        return token(cursors, integrationId, feed, CourseEventRange.Direction.OLDER, lastServedId);
    }

    /** The token of the page of events newer than {@code firstServedId}: {@code prev}. */
    public static String prevToken(
            CursorCodec cursors, String integrationId, CourseEventFeed feed, String firstServedId) {
        return token(cursors, integrationId, feed, CourseEventRange.Direction.NEWER, firstServedId);
    }

    /** The token of the range's oldest page: {@code last}. */
    public static String lastToken(CursorCodec cursors, String integrationId, CourseEventFeed feed) {
        return token(cursors, integrationId, feed, CourseEventRange.Direction.OLDEST, null);
    }

    private static String token(
            CursorCodec cursors,
            String integrationId,
            CourseEventFeed feed,
            CourseEventRange.Direction direction,
            String anchor) {
        ObjectNode payload = Json.object();
        payload.put(FEED, feed.kind().wire());
        payload.put(OBJECT, feed.id());
        payload.put(DIRECTION, direction.wire());
        if (anchor != null) {
            payload.put(ANCHOR, anchor);
        }
        return cursors.encode(integrationId, payload);
    }

    private static CourseEventRange range(ObjectNode payload, CourseEventFeed feed, Instant start, Instant end) {
        if (!feed.kind().wire().equals(payload.path(FEED).asText())
                || !feed.id().equals(payload.path(OBJECT).asText())) {
            throw ServiceException.badRequest(
                    "INVALID_PAGE_TOKEN",
                    "The page token belongs to another listing; use it only with the URL it came in.");
        }
        CourseEventRange.Direction direction =
                CourseEventRange.Direction.fromWire(payload.path(DIRECTION).asText());
        String anchor = payload.hasNonNull(ANCHOR) ? payload.get(ANCHOR).asText() : null;
        boolean anchored = direction != CourseEventRange.Direction.OLDEST;
        if (direction == null || anchored != (anchor != null) || (anchored && EventIds.timeOf(anchor) == null)) {
            throw ServiceException.badRequest(
                    "INVALID_PAGE_TOKEN", "The page token is not valid; start again from the first page.");
        }
        return new CourseEventRange(start, end, direction, anchor);
    }

    static int perPage(String text) {
        int value;
        try {
            value = text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            value = 0;
        }
        return value <= 0 ? DEFAULT_PER_PAGE : Math.min(value, MAX_PER_PAGE);
    }

    static Instant time(Function<String, String> parameters, String name) {
        String text = parameters.apply(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant instant = parsedTime(text, name);
        if (!EventIds.isQueryable(instant)) {
            throw ServiceException.badRequest(
                    "INVALID_TIME", name + " must lie between the years 0001 and 9999; got '" + text + "'.");
        }
        return instant;
    }

    private static Instant parsedTime(String text, String name) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw ServiceException.badRequest(
                            "INVALID_TIME",
                            name + " must be an ISO 8601 time such as 2024-09-01T15:00:00Z; got '" + text + "'.");
                }
            }
        }
    }
}
