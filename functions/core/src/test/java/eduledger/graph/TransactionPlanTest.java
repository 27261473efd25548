package eduledger.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.graph.TransactionPlan.Chunk;
import eduledger.json.Json;
import eduledger.roster.RosterCollection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionPlanTest {

    @Test
    void aChangeWithNoEventsIsStillOneChunkForItsView() {
        List<List<Chunk>> waves = TransactionPlan.waves(List.of(change("quiet", 0), change("busy", 3)));
        assertEquals(1, waves.size());
        assertEquals(
                List.of("quiet", "busy"),
                waves.get(0).stream().map(chunk -> chunk.change().objectKey()).toList());
        assertEquals(0, waves.get(0).get(0).events().size());
        assertTrue(waves.get(0).get(0).last());
    }

    @Test
    void aChangeTooLargeForOneTransactionGoesInWavesThatFollowOneAnother() {
        List<List<Chunk>> waves = TransactionPlan.waves(
                List.of(change("big", TransactionPlan.ACTIONS_PER_TRANSACTION + 10), change("small", 1)));
        assertEquals(2, waves.size());
        // The guard and the view update take an action each in every transaction.
        Chunk first = waves.get(0).get(0);
        assertEquals(TransactionPlan.ACTIONS_PER_TRANSACTION - 2, first.events().size());
        assertEquals(0, first.part());
        assertTrue(!first.last());
        // Each part stores the view as it leaves it: here, shown to the integrations created so far.
        assertEquals(TransactionPlan.ACTIONS_PER_TRANSACTION - 2, first.shown().size());
        assertEquals(
                List.of("big", "small"),
                waves.get(0).stream().map(chunk -> chunk.change().objectKey()).toList());
        Chunk second = waves.get(1).get(0);
        assertEquals(12, second.events().size());
        assertEquals(1, second.part());
        assertTrue(second.last());
        assertEquals(
                TransactionPlan.ACTIONS_PER_TRANSACTION + 10, second.shown().size());
    }

    @Test
    void wholeChunksArePackedUpToTheActionLimitLeavingOneForTheGuard() {
        List<ViewChange> changes = new ArrayList<>();
        for (int object = 0; object < 25; object++) {
            changes.add(change("object-" + object, 10));
        }
        List<List<Chunk>> transactions =
                TransactionPlan.pack(TransactionPlan.waves(changes).get(0));
        // An object seen by 10 integrations is 11 actions, so 9 fill a transaction with its guard.
        assertEquals(List.of(9, 9, 7), transactions.stream().map(List::size).toList());
        for (List<Chunk> transaction : transactions) {
            assertTrue(1
                            + transaction.stream()
                                    .mapToInt(chunk -> 1 + chunk.events().size())
                                    .sum()
                    <= TransactionPlan.ACTIONS_PER_TRANSACTION);
        }
    }

    /** An object's change creating it for {@code integrations} integrations. */
    private static ViewChange change(String objectKey, int integrations) {
        List<PendingGraphEvent> events = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>();
        for (int i = 0; i < integrations; i++) {
            events.add(new PendingGraphEvent(
                    "integration-" + i,
                    RosterCollection.values()[0],
                    GraphFeed.CREATED,
                    objectKey,
                    Json.object().put("id", objectKey)));
            shown.add("integration-" + i);
        }
        return new ViewChange(FeedView.absent(objectKey), shown, events, OptionalLong.of(1), false);
    }
}
