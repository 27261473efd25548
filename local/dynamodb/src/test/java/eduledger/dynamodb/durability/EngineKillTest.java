package eduledger.dynamodb.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import eduledger.dynamodb.EngineFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * "A write that was acknowledged survives kill -9", shown end to end: the standalone engine runs in a
 * child JVM with a data directory, the AWS SDK drives puts, updates, deletes and transactions at it
 * from several threads, the child is killed mid-load, and a new child on the same directory must
 * hold every acknowledged write (and each transaction whole or not at all).
 */
class EngineKillTest {
    private static final String TABLE = "survivors";
    private static final int WRITERS = 8;

    @TempDir
    Path data;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void acknowledgedWritesSurviveKillDashNine() throws Exception {
        Set<String> putsAcked = ConcurrentHashMap.newKeySet();
        Set<String> deletesAcked = ConcurrentHashMap.newKeySet();
        // A delete sent but not acknowledged when the engine died may or may not have happened.
        Set<String> deletesTried = ConcurrentHashMap.newKeySet();
        Set<String> transactionsAcked = ConcurrentHashMap.newKeySet();
        AtomicLongArray incrementsAcked = new AtomicLongArray(WRITERS);
        AtomicLongArray incrementsTried = new AtomicLongArray(WRITERS);

        int port = freePort();
        Process first = startEngine(port);
        try (DynamoDbClient client = client(port)) {
            client.createTable(b -> b.tableName(TABLE)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));

            AtomicBoolean killed = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> load(
                            client,
                            writer,
                            killed,
                            putsAcked,
                            deletesAcked,
                            deletesTried,
                            transactionsAcked,
                            incrementsAcked,
                            incrementsTried)));
                }
                // Load for a moment, long enough that every kind of write has been acknowledged a few times.
                long start = System.nanoTime();
                long deadline = start + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline
                        && (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1500)
                                || putsAcked.size() < 100
                                || transactionsAcked.size() < 3
                                || deletesAcked.size() < 3
                                || incrementsAcked.get(0) < 3)) {
                    for (Future<?> writer : writers) {
                        if (writer.isDone()) writer.get();
                    }
                    Thread.sleep(10);
                }
                killed.set(true);
                first.toHandle().destroyForcibly();
                assertTrue(first.waitFor(30, TimeUnit.SECONDS));
            } finally {
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the writers stopped after the kill");
            }
        }
        assertTrue(putsAcked.size() >= 100, "puts acknowledged before the kill: " + putsAcked.size());
        assertTrue(
                transactionsAcked.size() >= 3,
                "transactions acknowledged before the kill: " + transactionsAcked.size());
        assertTrue(deletesAcked.size() >= 3, "deletes acknowledged before the kill: " + deletesAcked.size());

        int again = freePort();
        startEngine(again);
        try (DynamoDbClient client = client(again)) {
            Map<String, Map<String, AttributeValue>> items = new HashMap<>();
            for (Map<String, AttributeValue> item : client.scanPaginator(ScanRequest.builder()
                            .tableName(TABLE)
                            .consistentRead(true)
                            .build())
                    .items()) {
                items.put(item.get("pk").s(), item);
            }

            Set<String> lost = new HashSet<>();
            for (String key : putsAcked) {
                Map<String, AttributeValue> item = items.get(key);
                if (deletesTried.contains(key)) continue;
                if (item == null) lost.add(key);
                else assertEquals(payload(key), item.get("payload").s(), key);
            }
            assertEquals(Set.of(), lost, "acknowledged puts missing after kill -9");

            Set<String> resurrected = new HashSet<>(deletesAcked);
            resurrected.retainAll(items.keySet());
            assertEquals(Set.of(), resurrected, "acknowledged deletes undone after kill -9");

            Map<String, Integer> parts = new HashMap<>();
            for (String key : items.keySet()) {
                if (key.startsWith("tx-")) parts.merge(key.substring(0, key.lastIndexOf('-')), 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> tx : parts.entrySet()) {
                assertEquals(3, tx.getValue(), tx.getKey() + " was applied in part");
            }
            for (String tx : transactionsAcked) {
                assertEquals(3, parts.getOrDefault(tx, 0), tx + " was acknowledged but is not all there");
            }

            for (int w = 0; w < WRITERS; w++) {
                Map<String, AttributeValue> counter = items.get("counter-" + w);
                long value =
                        counter == null ? 0 : Long.parseLong(counter.get("n").n());
                assertTrue(
                        value >= incrementsAcked.get(w) && value <= incrementsTried.get(w),
                        "counter " + w + " is " + value + ", acknowledged " + incrementsAcked.get(w) + ", tried "
                                + incrementsTried.get(w));
            }

            // The restarted engine keeps writing durably on top of what it replayed.
            client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("after-restart"))));
            assertTrue(client.getItem(b -> b.tableName(TABLE)
                            .key(Map.of("pk", s("after-restart")))
                            .consistentRead(true))
                    .hasItem());
        }
    }

    /** One writer's loop: mostly puts, with deletes, counter updates and transactions mixed in. */
    private static void load(
            DynamoDbClient client,
            int writer,
            AtomicBoolean killed,
            Set<String> putsAcked,
            Set<String> deletesAcked,
            Set<String> deletesTried,
            Set<String> transactionsAcked,
            AtomicLongArray incrementsAcked,
            AtomicLongArray incrementsTried) {
        for (int i = 0; !killed.get(); i++) {
            try {
                if (i % 10 == 9) {
                    String tx = "tx-" + writer + "-" + i;
                    List<TransactWriteItem> puts = new ArrayList<>();
                    for (String part : List.of("a", "b", "c")) {
                        puts.add(TransactWriteItem.builder()
                                .put(Put.builder()
                                        .tableName(TABLE)
                                        .item(Map.of("pk", s(tx + "-" + part), "payload", s(payload(tx))))
                                        .build())
                                .build());
                    }
                    client.transactWriteItems(b -> b.transactItems(puts));
                    transactionsAcked.add(tx);
                } else if (i % 10 == 4) {
                    incrementsTried.incrementAndGet(writer);
                    client.updateItem(b -> b.tableName(TABLE)
                            .key(Map.of("pk", s("counter-" + writer)))
                            .updateExpression("ADD n :one")
                            .expressionAttributeValues(Map.of(
                                    ":one", AttributeValue.builder().n("1").build())));
                    incrementsAcked.incrementAndGet(writer);
                } else if (i % 10 == 7) {
                    String key = "item-" + writer + "-" + (i - 5);
                    deletesTried.add(key);
                    client.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", s(key))));
                    deletesAcked.add(key);
                } else {
                    String key = "item-" + writer + "-" + i;
                    client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s(key), "payload", s(payload(key)))));
                    putsAcked.add(key);
                }
            } catch (RuntimeException e) {
                if (killed.get()) return;
                throw e;
            }
        }
    }

    private static String payload(String key) {
        return key + ":" + "p".repeat(key.hashCode() & 0xff);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private Process startEngine(int port) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "java")
                                .toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "eduledger.dynamodb.DynamoDbEngine",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "--data",
                        data.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        children.add(child);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) fail("the engine exited with " + child.exitValue() + " before serving");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return child;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the engine did not listen on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static DynamoDbClient client(int port) {
        return EngineFixture.builder(URI.create("http://127.0.0.1:" + port))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                // A retried ADD could count twice; each attempt must be one request.
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
