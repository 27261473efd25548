package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.auth.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A warm-up sends each integration at most its limit less a lease per window, however fast it runs. */
class WarmUpPaceTest {
    /** A clock that moves only when the pace waits, as if every request took no time at all. */
    private static final class WaitingClock extends Clock {
        long millis = 1_000_000_003L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void eachIntegrationWaitsForTheNextWindowOnceItsBudgetIsSpent() {
        WaitingClock clock = new WaitingClock();
        List<Long> waits = new ArrayList<>();
        // 30 per 10 s, leases of up to 3: 27 a window for the warm-up.
        WarmUpPace pace = new WarmUpPace(new RateLimit(30, Duration.ofSeconds(10), 1), clock, until -> {
            waits.add(until);
            clock.millis = until;
        });

        for (int i = 0; i < 27; i++) {
            pace.before("a");
            pace.before("b");
        }
        assertEquals(List.of(), waits);

        pace.before("a");
        assertEquals(List.of(1_000_010_000L), waits);
        // The new window is the other integration's too, and it starts with nothing sent.
        for (int i = 0; i < 27; i++) {
            pace.before("b");
        }
        assertEquals(1, waits.size());
        pace.before("b");
        assertEquals(List.of(1_000_010_000L, 1_000_020_000L), waits);

        // Room for the timed calls: "b" has sent 1 in this window, so 26 more fit and 27 do not.
        pace.reserve(26);
        assertEquals(2, waits.size());
        pace.reserve(27);
        assertEquals(List.of(1_000_010_000L, 1_000_020_000L, 1_000_030_000L), waits);
        assertEquals(1_000_030_000L, clock.millis());
    }
}
