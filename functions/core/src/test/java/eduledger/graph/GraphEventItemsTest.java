package eduledger.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.storage.ShardLayout;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A stored event's date is read by hand; it must read exactly as {@link Instant#parse} reads it.
 * Items built together share values; they must hold what items built alone hold.
 */
class GraphEventItemsTest {

    @Test
    void itemsBuiltTogetherHoldWhatItemsBuiltAloneHold() {
        GraphEventItems items = new GraphEventItems(Duration.ofDays(30), null);
        Instant now = Instant.parse("2026-03-01T10:00:00.123Z");
        ShardLayout layout = ShardLayout.of(4);
        JsonNode ada = Json.object().put("id", "p1").put("name", "Ada");
        JsonNode grace = Json.object().put("id", "p2").put("name", "Grace");
        List<GraphEvent> events = List.of(
                event("int-a", "person.created", "p1", now, ada),
                event("int-b", "person.created", "p1", now, ada),
                event("int-a", "person.updated", "p2", now, grace),
                event("int-b", "person.deleted", "p2", now, grace),
                event("int-a", "person.updated", "p1", now, ada));
        GraphEventItems.ItemsAt together = items.itemsAt(now);
        for (GraphEvent event : events) {
            assertEquals(items.item(event, layout), together.item(event, layout), event.toString());
        }
        GraphEvent later = event("int-a", "person.updated", "p1", now.plusMillis(1), ada);
        assertThrows(IllegalArgumentException.class, () -> together.item(later, layout));
    }

    private static GraphEvent event(String integrationId, String type, String targetId, Instant at, JsonNode data) {
        return new GraphEvent(EventIds.next(at), integrationId, type, "person", targetId, at, data);
    }

    @Test
    void readsEveryDateAStoredEventHoldsAsInstantParseDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L));
            switch (i % 4) {
                case 0 -> instant = instant.plusMillis(random.nextInt(1000));
                case 1 -> instant = instant.plusNanos(random.nextInt(1_000_000) * 1000L);
                case 2 -> instant = instant.plusNanos(random.nextInt(1_000_000_000));
                default -> {}
            }
            String stored = instant.toString();
            assertEquals(Instant.parse(stored), GraphEventItems.createdDate(stored), stored);
        }
    }

    @Test
    void leavesEverythingElseToInstantParse() {
        for (String odd : List.of(
                "2026-01-31T12:00:00.5Z",
                "2026-01-31T23:59:60Z",
                "+12026-01-31T12:00:00Z",
                "2026-01-31t12:00:00z",
                "2026-01-31T12:00:00.1234567890Z",
                "2026-01-31T12:00:00.Z")) {
            Instant expected;
            try {
                expected = Instant.parse(odd);
            } catch (DateTimeException e) {
                assertThrows(DateTimeException.class, () -> GraphEventItems.createdDate(odd), odd);
                continue;
            }
            assertEquals(expected, GraphEventItems.createdDate(odd), odd);
        }
        for (String wrong : List.of("2026-02-30T12:00:00Z", "2026-01-31T25:00:00Z", "2026-01-31 12:00:00Z", "x")) {
            assertThrows(DateTimeException.class, () -> GraphEventItems.createdDate(wrong), wrong);
        }
    }
}
