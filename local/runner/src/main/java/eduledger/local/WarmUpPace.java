package eduledger.local;

import eduledger.auth.RateLimit;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Keeps a bench's untimed warm-up inside each integration's rate limit however fast the machine
 * serves it: thousands of requests from a few integrations would otherwise be refused (429) on a
 * machine quick enough to send more than the limit in one window. Each integration sends at most
 * the limit less one container's largest lease in a window (the rest is left for the bench's other
 * calls), and waits for the next window when it has; {@link #reserve} then keeps room for the timed
 * calls. It counts windows as the limiter does, on the functions' clock.
 */
final class WarmUpPace {
    private final Clock clock;
    /** Waits until the clock reads the given epoch millisecond. */
    private final LongConsumer sleepUntil;

    private final long windowMillis;
    private final int budget;
    /** Per integration: the window it last sent in, and how many it sent there. */
    private final Map<String, long[]> sent = new HashMap<>();

    WarmUpPace(RateLimit limit, Clock clock) {
        this(limit, clock, until -> sleepUntil(clock, until));
    }

    WarmUpPace(RateLimit limit, Clock clock, LongConsumer sleepUntil) {
        this.clock = clock;
        this.sleepUntil = sleepUntil;
        this.windowMillis = limit.window().toMillis();
        this.budget = Math.max(1, limit.requests() - limit.maxLease());
    }

    /** Called before each warm-up request of {@code integrationId}; waits when its window is spent. */
    void before(String integrationId) {
        long[] windowAndCount = sent.computeIfAbsent(integrationId, id -> new long[] {Long.MIN_VALUE, 0});
        long window = Math.floorDiv(clock.millis(), windowMillis);
        if (window == windowAndCount[0] && windowAndCount[1] >= budget) {
            sleepUntil.accept((window + 1) * windowMillis);
            window = Math.floorDiv(clock.millis(), windowMillis);
        }
        if (window != windowAndCount[0]) {
            windowAndCount[0] = window;
            windowAndCount[1] = 0;
        }
        windowAndCount[1]++;
    }

    /**
     * Leaves room for {@code requests} more of each integration, the timed calls that follow the
     * warm-up: waits for the next window when one integration's window holds too much of its budget.
     */
    void reserve(int requests) {
        long window = Math.floorDiv(clock.millis(), windowMillis);
        for (long[] windowAndCount : sent.values()) {
            if (windowAndCount[0] == window && windowAndCount[1] + requests > budget) {
                sleepUntil.accept((window + 1) * windowMillis);
                return;
            }
        }
    }

    private static void sleepUntil(Clock clock, long millis) {
        try {
            long wait;
            while ((wait = millis - clock.millis()) > 0) {
                Thread.sleep(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing the warm-up", e);
        }
    }
}
