package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.durability.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** A TransactGetItems that meets an item another transaction holds is cancelled, not made to wait. */
class TransactGetConflictTest {

    /** Keeps nothing, but can hold an append (and so the transaction making it) until released. */
    static final class HoldingJournal implements Journal {
        volatile boolean holding;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        public void append(byte[] record) {
            if (!holding) return;
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public void replay(Consumer<byte[]> records) {}

        public void snapshot(Iterable<byte[]> state) {}

        public long bytesSinceSnapshot() {
            return 0;
        }

        public void close() {}
    }

    @Test
    void readingItemsHeldByAnotherTransactionIsCancelledWithTransactionConflict() throws Exception {
        HoldingJournal journal = new HoldingJournal();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (DynamoDbEngine engine = DynamoDbEngine.builder().journal(journal).build();
                DynamoDbClient ddb = EngineFixture.client(engine);
                DynamoDbClient reader = EngineFixture.builder(engine.endpoint())
                        // a read that waited for the held transaction would run into this instead
                        .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(20)))
                        .build()) {
            String table = EngineFixture.uniqueName("tx-get");
            ddb.createTable(EngineFixture.table(table, null).build());
            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("held"), "v", n("1"))));
            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("free"), "v", n("1"))));

            journal.holding = true;
            Future<?> writer = pool.submit(() -> ddb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                    .put(p -> p.tableName(table).item(Map.of("pk", s("held"), "v", n("2"))))
                    .build())));
            assertTrue(
                    journal.entered.await(30, TimeUnit.SECONDS), "the writing transaction reached its journal append");

            TransactionCanceledException e = assertThrows(
                    TransactionCanceledException.class,
                    () -> reader.transactGetItems(b -> b.transactItems(
                            TransactGetItem.builder()
                                    .get(g -> g.tableName(table).key(key("free")))
                                    .build(),
                            TransactGetItem.builder()
                                    .get(g -> g.tableName(table).key(key("held")))
                                    .build())));
            assertEquals(
                    List.of("None", "TransactionConflict"),
                    e.cancellationReasons().stream()
                            .map(CancellationReason::code)
                            .toList());

            // a read of items no transaction holds is served meanwhile
            assertEquals(
                    "1",
                    reader.transactGetItems(b -> b.transactItems(TransactGetItem.builder()
                                    .get(g -> g.tableName(table).key(key("free")))
                                    .build()))
                            .responses()
                            .get(0)
                            .item()
                            .get("v")
                            .n());

            journal.release.countDown();
            writer.get(30, TimeUnit.SECONDS);
            journal.holding = false;
            assertEquals(
                    "2",
                    reader.transactGetItems(b -> b.transactItems(TransactGetItem.builder()
                                    .get(g -> g.tableName(table).key(key("held")))
                                    .build()))
                            .responses()
                            .get(0)
                            .item()
                            .get("v")
                            .n());
        } finally {
            journal.release.countDown();
            pool.shutdownNow();
        }
    }
}
