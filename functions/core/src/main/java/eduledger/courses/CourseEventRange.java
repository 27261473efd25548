package eduledger.courses;

import eduledger.events.EventIds;
import java.time.Instant;

/**
 * The events a listing covers, newest first: created at or after {@code start} and at or before
 * {@code end} (both inclusive, as Canvas reads {@code start_time} and {@code end_time}; either may be
 * open), and, when paging, strictly older than the last event already served ({@code anchor}).
 */
public record CourseEventRange(Instant start, Instant end, String anchor) {
    /** Greater than every UUID as a lower-case string: the open upper end. */
    private static final String ABOVE_EVERY_ID = "g";

    public CourseEventRange after(String lastServedId) {
        return new CourseEventRange(start, end, lastServedId);
    }

    /** The lowest sort key in range: the later of {@code start} and the retention cut-off. */
    String lowKey(Instant oldestKept) {
        Instant low = start == null || start.isBefore(oldestKept) ? oldestKept : start;
        return EventIds.lowerBound(low);
    }

    /**
     * The highest sort key in range. An id never equals a time's lower bound (its random bits are
     * never all zero), so the bound of the next millisecond includes all of {@code end}'s millisecond
     * and nothing after; the anchor itself is included here and skipped by the reader.
     */
    String highKey() {
        String high = end == null ? ABOVE_EVERY_ID : EventIds.lowerBound(end.plusMillis(1));
        return anchor != null && anchor.compareTo(high) < 0 ? anchor : high;
    }
}
