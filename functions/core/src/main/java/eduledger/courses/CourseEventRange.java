package eduledger.courses;

import eduledger.events.EventIds;
import java.time.Instant;

/**
 * The events a listing covers, always served newest first: created at or after {@code start} and
 * at or before {@code end} (both inclusive, as Canvas reads {@code start_time} and {@code end_time};
 * either may be open), and which page of them {@code direction} and {@code anchor} pick.
 */
public record CourseEventRange(Instant start, Instant end, Direction direction, String anchor) {
    /** Greater than every UUID as a lower-case string: the open upper end. */
    private static final String ABOVE_EVERY_ID = "g";

    /** Which page of the range a listing reads. */
    public enum Direction {
        /** The newest events, or with an anchor those strictly older than it: {@code first}, {@code next}. */
        OLDER("o"),
        /** The events just newer than the anchor, nearest first: {@code prev}. */
        NEWER("n"),
        /** The oldest events in range: {@code last}. */
        OLDEST("l");

        private final String wire;

        Direction(String wire) {
            this.wire = wire;
        }

        String wire() {
            return wire;
        }

        static Direction fromWire(String text) {
            for (Direction direction : values()) {
                if (direction.wire().equals(text)) {
                    return direction;
                }
            }
            return null;
        }
    }

    public CourseEventRange(Instant start, Instant end, String anchor) {
        this(start, end, Direction.OLDER, anchor);
    }

    /** The range's top page, whatever page this one is. */
    CourseEventRange top() {
        return new CourseEventRange(start, end, Direction.OLDER, null);
    }

    /** The lowest sort key in range: the later of {@code start} and the retention cut-off. */
    String lowKey(Instant oldestKept) {
        Instant low = start == null || start.isBefore(oldestKept) ? oldestKept : start;
        String bound = EventIds.lowerBound(low);
        return direction == Direction.NEWER && anchor != null && anchor.compareTo(bound) > 0 ? anchor : bound;
    }

    /**
     * The highest sort key in range. An id never equals a time's lower bound (its random bits are
     * never all zero), so the bound of the next millisecond includes all of {@code end}'s millisecond
     * and nothing after; the anchor itself is included here and skipped by the reader.
     */
    String highKey() {
        String high = end == null ? ABOVE_EVERY_ID : EventIds.lowerBound(end.plusMillis(1));
        return direction == Direction.OLDER && anchor != null && anchor.compareTo(high) < 0 ? anchor : high;
    }

    /** Whether the store reads the range oldest first; the page is turned newest first after. */
    boolean ascending() {
        return direction != Direction.OLDER;
    }
}
