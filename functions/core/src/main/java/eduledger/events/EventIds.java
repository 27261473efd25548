package eduledger.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Event ids: UUID version 7, whose first 48 bits are the Unix time in milliseconds, so ids sort
 * (as strings too: lower-case hex of fixed width) in the order events were made. An event's id is
 * therefore also its position in a feed, and a sort key on it is a time range key.
 *
 * <p>{@link #next} draws its random bits from {@link SecureRandom}, which the Lambda Java runtime
 * re-seeds after a SnapStart restore, so restored copies of one snapshot do not hand out equal ids. {@link #derived} makes the same id from the same input every time, so
 * a retried write of one source record lands on the same item.
 */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {}

    /** A new id for an event made now. */
    public static String next(Instant now) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        return build(now.toEpochMilli(), random);
    }

    /** The id for an event made at {@code time} from {@code source}: equal inputs give equal ids. */
    public static String derived(Instant time, String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return build(time.toEpochMilli(), digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** The earliest time a query may name: the first day of year 1 (ISO 8601's four-digit years). */
    public static final Instant EARLIEST_QUERY_TIME = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest time a query may name: the end of year 9999; an id's 48-bit clock reaches past it. */
    public static final Instant LATEST_QUERY_TIME = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * The smallest id of any event made at or after {@code time}: a lower bound for key conditions.
     * Times before 1970 give the smallest id of all, since no id is older; times past what an id can
     * hold give the largest.
     */
    public static String lowerBound(Instant time) {
        if (time.isBefore(Instant.EPOCH)) {
            return build(0, new byte[10]);
        }
        long millis = time.isAfter(LATEST_QUERY_TIME) ? LATEST_QUERY_TIME.toEpochMilli() : time.toEpochMilli();
        return build(millis, new byte[10]);
    }

    /** Whether a time given in a query is one this API accepts (years 1 to 9999). */
    public static boolean isQueryable(Instant time) {
        return !time.isBefore(EARLIEST_QUERY_TIME) && !time.isAfter(LATEST_QUERY_TIME);
    }

    /** When the event with this id was made; null when {@code id} is not a version 7 UUID. */
    public static Instant timeOf(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            if (uuid.version() != 7) {
                return null;
            }
            return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String build(long millis, byte[] randomBits) {
        long high = (millis << 16) | 0x7000L | ((randomBits[0] & 0x0FL) << 8) | (randomBits[1] & 0xFFL);
        ByteBuffer low = ByteBuffer.wrap(randomBits, 2, 8);
        long lowBits = (low.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, lowBits).toString();
    }
}
