package eduledger.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class MonotonicEventIdsTest {

    @Test
    void idsMadeInOneMillisecondStillAscendInTheOrderTheyWereMade() {
        MonotonicEventIds ids = new MonotonicEventIds();
        Instant now = Instant.parse("2026-11-24T00:00:00.000Z");
        String previous = ids.next(now);
        for (int i = 0; i < 10_000; i++) {
            String next = ids.next(now);
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            assertEquals(now, EventIds.timeOf(next));
            previous = next;
        }
    }

    @Test
    void aClockThatStepsBackDoesNotMakeAnEarlierId() {
        MonotonicEventIds ids = new MonotonicEventIds();
        String later = ids.next(Instant.parse("2026-11-24T00:00:01Z"));
        assertTrue(ids.next(Instant.parse("2026-11-24T00:00:00Z")).compareTo(later) > 0);
    }
}
