package eduledger.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@link EventIds#next} made strictly increasing within one container: two events made in the same
 * millisecond would otherwise be ordered by their random bits, not by the order they were made in.
 */
public final class MonotonicEventIds {
    private static final long RANDOM_B = 0x3FFFFFFFFFFFFFFFL;
    private String last;

    public synchronized String next(Instant now) {
        String id = EventIds.next(now);
        if (last != null && id.compareTo(last) <= 0) {
            id = successor(last);
        }
        last = id;
        return id;
    }

    private static String successor(String id) {
        UUID uuid = UUID.fromString(id);
        long low = uuid.getLeastSignificantBits();
        if ((low & RANDOM_B) != RANDOM_B) {
            return new UUID(uuid.getMostSignificantBits(), low + 1).toString();
        }
        return new UUID(uuid.getMostSignificantBits() + 1, 0x8000000000000000L).toString();
    }
}
