package eduledger.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.graph.TransactionPlan.Chunk;
import eduledger.json.Json;
import eduledger.roster.RosterCollection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionPlanTest {

    @Test
    void anIntegrationNamedTwiceForOneSourceIsOneEvent() {
        List<PendingGraphEvent> duplicates = new ArrayList<>();
        List<List<Chunk>> waves = TransactionPlan.waves(
                List.of(event("a", "m1"), event("b", "m1"), event("a", "m1"), event("a", "m2")), duplicates);
        assertEquals(1, waves.size());
        assertEquals(
                List.of("m1", "m2"), waves.get(0).stream().map(Chunk::markerId).toList());
        assertEquals(2, waves.get(0).get(0).events().size());
        assertEquals(List.of(event("a", "m1")), duplicates);
    }

    @Test
    void aSourceTooLargeForOneTransactionGoesInWavesThatFollowOneAnother() {
        List<PendingGraphEvent> events = new ArrayList<>();
        for (int i = 0; i < TransactionPlan.ACTIONS_PER_TRANSACTION + 10; i++) {
            events.add(event("integration-" + i, "big"));
        }
        events.add(event("a", "small"));
        List<List<Chunk>> waves = TransactionPlan.waves(events, new ArrayList<>());
        assertEquals(2, waves.size());
        // The marker update takes an action of its own in every chunk.
        assertEquals(
                TransactionPlan.ACTIONS_PER_TRANSACTION - 1,
                waves.get(0).get(0).events().size());
        assertEquals(
                List.of("big", "small"),
                waves.get(0).stream().map(Chunk::markerId).toList());
        assertEquals(11, waves.get(1).get(0).events().size());
        assertEquals(List.of("big"), waves.get(1).stream().map(Chunk::markerId).toList());
    }

    @Test
    void wholeChunksArePackedUpToTheActionLimit() {
        List<PendingGraphEvent> events = new ArrayList<>();
        for (int source = 0; source < 25; source++) {
            for (int integration = 0; integration < 10; integration++) {
                events.add(event("integration-" + integration, "source-" + source));
            }
        }
        List<List<Chunk>> transactions = TransactionPlan.pack(
                TransactionPlan.waves(events, new ArrayList<>()).get(0));
        // A source seen by 10 integrations is 11 actions, so 9 fill a transaction of at most 100.
        assertEquals(List.of(9, 9, 7), transactions.stream().map(List::size).toList());
        for (List<Chunk> transaction : transactions) {
            assertTrue(transaction.stream()
                            .mapToInt(chunk -> 1 + chunk.events().size())
                            .sum()
                    <= TransactionPlan.ACTIONS_PER_TRANSACTION);
        }
    }

    private static PendingGraphEvent event(String integrationId, String markerId) {
        return new PendingGraphEvent(
                integrationId,
                RosterCollection.values()[0],
                GraphFeed.CREATED,
                "object-1",
                Json.object().put("id", "object-1"),
                markerId);
    }
}
