package eduledger.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTest {
    @Test
    void idsAreVersion7AndSortAsStringsByTime() {
        List<String> ids = new ArrayList<>();
        for (long ms = 1_700_000_000_000L; ms < 1_700_000_000_000L + 5_000; ms += 7) {
            ids.add(EventIds.next(Instant.ofEpochMilli(ms)));
        }
        assertEquals(ids, ids.stream().sorted().toList());
        assertEquals(7, UUID.fromString(ids.get(0)).version());
        assertEquals(2, UUID.fromString(ids.get(0)).variant());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), EventIds.timeOf(ids.get(0)));
    }

    @Test
    void newIdsAreDistinctAndDerivedIdsRepeat() {
        Instant now = Instant.now();
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(EventIds.next(now)));
        }
        assertEquals(EventIds.derived(now, "record-1"), EventIds.derived(now, "record-1"));
        assertNotEquals(EventIds.derived(now, "record-1"), EventIds.derived(now, "record-2"));
    }

    @Test
    void lowerBoundSortsBeforeEveryIdOfThatMillisecondAndAfterEarlierOnes() {
        Instant t = Instant.ofEpochMilli(1_750_000_000_123L);
        String bound = EventIds.lowerBound(t);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(bound.compareTo(EventIds.next(t)) <= 0);
            assertTrue(bound.compareTo(EventIds.next(t.minusMillis(1))) > 0);
        }
        assertNull(EventIds.timeOf("not-a-uuid"));
        assertNull(EventIds.timeOf(UUID.randomUUID().toString()));
    }
}
