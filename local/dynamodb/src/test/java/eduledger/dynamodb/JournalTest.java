package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.durability.Journal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Everything acknowledged reaches the journal, and replaying it rebuilds the same state. */
class JournalTest {

    /** A journal kept in memory, surviving the engine that wrote it. */
    static final class MemoryJournal implements Journal {
        final List<byte[]> records = new ArrayList<>();
        long sinceSnapshot;
        int snapshots;

        public synchronized void append(byte[] record) {
            records.add(record.clone());
            sinceSnapshot += record.length;
        }

        public synchronized void replay(Consumer<byte[]> consumer) {
            for (byte[] r : new ArrayList<>(records)) consumer.accept(r);
        }

        public synchronized void snapshot(Iterable<byte[]> state) {
            records.clear();
            for (byte[] r : state) records.add(r.clone());
            sinceSnapshot = 0;
            snapshots++;
        }

        public synchronized long bytesSinceSnapshot() {
            return sinceSnapshot;
        }

        public void close() {}
    }

    private static List<Map<String, AttributeValue>> everything(DynamoDbClient ddb, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(
                ddb.scan(b -> b.tableName(table).consistentRead(true)).items());
        items.sort(Comparator.comparing(m -> m.get("pk").s()));
        return items;
    }

    private static void write(DynamoDbClient ddb, String table) {
        for (int i = 0; i < 20; i++) {
            String pk = "item-" + i;
            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s(pk), "v", n("1"))));
        }
        ddb.deleteItem(b -> b.tableName(table).key(key("item-3")));
        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder()
                        .put(p -> p.tableName(table)
                                .item(Map.of(
                                        "pk",
                                        s("item-4"),
                                        "v",
                                        n("44"),
                                        "tags",
                                        AttributeValue.fromSs(List.of("x", "y")))))
                        .build(),
                TransactWriteItem.builder()
                        .delete(d -> d.tableName(table).key(key("item-5")))
                        .build()));
        ddb.batchWriteItem(b -> b.requestItems(Map.of(
                table,
                List.of(
                        software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                                .putRequest(p -> p.item(Map.of("pk", s("batch"), "v", n("7"))))
                                .build(),
                        software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                                .deleteRequest(d -> d.key(key("item-6")))
                                .build()))));
        ddb.updateTimeToLive(b ->
                b.tableName(table).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
    }

    private static void assertSameState(
            MemoryJournal journal,
            String table,
            List<Map<String, AttributeValue>> expected,
            TableDescription expectedTable) {
        try (DynamoDbEngine replayed = DynamoDbEngine.builder().journal(journal).build();
                DynamoDbClient ddb = EngineFixture.client(replayed)) {
            assertEquals(expected, everything(ddb, table));
            TableDescription t = ddb.describeTable(b -> b.tableName(table)).table();
            assertEquals(expectedTable.keySchema(), t.keySchema());
            assertEquals(expectedTable.attributeDefinitions(), t.attributeDefinitions());
            assertEquals(
                    expectedTable.billingModeSummary().billingMode(),
                    t.billingModeSummary().billingMode());
            assertEquals(
                    "expires",
                    ddb.describeTimeToLive(b -> b.tableName(table))
                            .timeToLiveDescription()
                            .attributeName());
        }
    }

    @Test
    void replayingTheJournalRebuildsTablesAndItems() {
        MemoryJournal journal = new MemoryJournal();
        String table = EngineFixture.uniqueName("journal");
        List<Map<String, AttributeValue>> expected;
        TableDescription description;
        try (DynamoDbEngine engine = DynamoDbEngine.builder().journal(journal).build();
                DynamoDbClient ddb = EngineFixture.client(engine)) {
            ddb.createTable(EngineFixture.table(table, null).build());
            write(ddb, table);
            String dropped = EngineFixture.uniqueName("dropped");
            ddb.createTable(EngineFixture.table(dropped, null).build());
            ddb.deleteTable(b -> b.tableName(dropped));
            expected = everything(ddb, table);
            description = ddb.describeTable(b -> b.tableName(table)).table();
        }
        assertEquals(18, expected.size());
        assertSameState(journal, table, expected, description);
    }

    @Test
    void aSnapshotReplaysToTheSameState() {
        MemoryJournal journal = new MemoryJournal();
        String table = EngineFixture.uniqueName("snapshot");
        List<Map<String, AttributeValue>> expected;
        TableDescription description;
        try (DynamoDbEngine engine = DynamoDbEngine.builder().journal(journal).build();
                DynamoDbClient ddb = EngineFixture.client(engine)) {
            ddb.createTable(EngineFixture.table(table, null).build());
            write(ddb, table);
            int before = journal.records.size();
            engine.snapshot();
            assertEquals(1, journal.snapshots);
            assertTrue(journal.records.size() < before, "the snapshot is smaller than the log it replaces");
            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("after-snapshot"))));
            expected = everything(ddb, table);
            description = ddb.describeTable(b -> b.tableName(table)).table();
        }
        assertSameState(journal, table, expected, description);
    }
}
