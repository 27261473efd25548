package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class TransactionTest {
    @RegisterExtension
    static final EngineFixture.Running RUNNING = EngineFixture.running(DynamoDbEngine.builder());

    static final DynamoDbEngine engine = RUNNING.engine();
    static final DynamoDbClient ddb = RUNNING.client();
    static String table;

    @BeforeAll
    static void start() {
        table = EngineFixture.uniqueName("tx");
        ddb.createTable(EngineFixture.table(table, null).build());
    }

    private static TransactWriteItem put(String pk, String v) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(table).item(Map.of("pk", s(pk), "v", n(v))))
                .build();
    }

    @Test
    void writesOfOneTransactionAreSeenTogetherUnderContention() throws Exception {
        int writers = 4;
        int rounds = 25;
        ddb.transactWriteItems(b -> b.transactItems(put("a", "0"), put("b", "0")));
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        AtomicBoolean torn = new AtomicBoolean();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    String v = Integer.toString(id * 1000 + i);
                    try {
                        ddb.transactWriteItems(b -> b.transactItems(put("a", v), put("b", v)));
                        committed.incrementAndGet();
                    } catch (TransactionCanceledException e) {
                        assertEquals(
                                "TransactionConflict",
                                e.cancellationReasons().stream()
                                        .filter(r -> !"None".equals(r.code()))
                                        .findFirst()
                                        .orElseThrow()
                                        .code());
                        conflicts.incrementAndGet();
                    }
                }
            }));
        }
        Future<?> reader = pool.submit(() -> {
            while (!done.get()) {
                List<ItemResponse> got;
                try {
                    got = ddb.transactGetItems(b -> b.transactItems(
                                    TransactGetItem.builder()
                                            .get(g -> g.tableName(table).key(key("a")))
                                            .build(),
                                    TransactGetItem.builder()
                                            .get(g -> g.tableName(table).key(key("b")))
                                            .build()))
                            .responses();
                } catch (TransactionCanceledException e) {
                    continue; // a writer held the items: cancelled, as on DynamoDB, never half seen
                }
                if (!got.get(0).item().get("v").equals(got.get(1).item().get("v"))) torn.set(true);
            }
        });
        for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
        done.set(true);
        reader.get(10, TimeUnit.SECONDS);
        pool.shutdown();
        assertFalse(torn.get(), "a reader saw one transaction's writes half applied");
        assertEquals(writers * rounds, committed.get() + conflicts.get());
        assertTrue(committed.get() > 0);
        AttributeValue a = ddb.getItem(b -> b.tableName(table).key(key("a")).consistentRead(true))
                .item()
                .get("v");
        AttributeValue b2 = ddb.getItem(b -> b.tableName(table).key(key("b")).consistentRead(true))
                .item()
                .get("v");
        assertEquals(a, b2);
    }

    @Test
    void refusesTwoActionsOnOneItem() {
        DynamoDbException e = assertThrows(
                DynamoDbException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(put("same", "1"), put("same", "2"))));
        assertEquals(
                "Transaction request cannot include multiple operations on one item",
                e.awsErrorDetails().errorMessage());
    }

    @Test
    void aClientRequestTokenMakesTheTransactionIdempotent() {
        ddb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(put("idem", "1")));
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("idem"), "v", n("5"))));
        ddb.transactWriteItems(b -> b.clientRequestToken("token-1").transactItems(put("idem", "1")));
        assertEquals(
                "5",
                ddb.getItem(b -> b.tableName(table).key(key("idem")))
                        .item()
                        .get("v")
                        .n(),
                "the retried transaction was not applied again");
        assertThrows(
                IdempotentParameterMismatchException.class,
                () -> ddb.transactWriteItems(
                        b -> b.clientRequestToken("token-1").transactItems(put("idem", "2"))));
    }

    @Test
    void transactGetReturnsEmptyResponsesForMissingItems() {
        List<ItemResponse> got = ddb.transactGetItems(b -> b.transactItems(TransactGetItem.builder()
                        .get(g -> g.tableName(table).key(key("never-written")))
                        .build()))
                .responses();
        assertEquals(1, got.size());
        assertFalse(got.get(0).hasItem());
    }
}
