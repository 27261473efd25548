package eduledger.local;

import eduledger.storage.StoreHttpClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The DynamoDB engine itself, through the AWS SDK v2 client the functions use (on {@link
 * StoreHttpClient}), on loopback: PutItem, GetItem, a Query returning 100 items, a
 * TransactWriteItems of 10 puts, and 8 such Queries at once.
 * No eduledger code runs here, so these figures have no raw floor: they are the floor under every
 * other section's. {@code local/dynamodb/bench} measures the same loads through the JS SDK.
 */
final class EngineBench {
    static final int QUERY_ITEMS = 100;
    static final int TRANSACTION_PUTS = 10;
    static final int CONCURRENT_QUERIES = 8;

    record Sizes(int warmUp, int samples) {
        static final Sizes FULL = new Sizes(500, 2_000);
        static final Sizes SMOKE = new Sizes(2, 5);
    }

    private final URI endpoint;
    private final Sizes sizes;
    private final String table = "EngineBench-" + UUID.randomUUID();
    /** About the size of an audit event item. */
    private final String payload = "x".repeat(400);

    EngineBench(URI endpoint, Sizes sizes) {
        this.endpoint = endpoint;
        this.sizes = sizes;
    }

    private interface Load {
        void run(int n) throws Exception;
    }

    private record NamedLoad(String name, int operationsPerRun, Load load) {}

    List<Figure> run() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT_QUERIES, task -> {
            Thread thread = new Thread(task, "engine-bench");
            thread.setDaemon(true);
            return thread;
        });
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(new StoreHttpClient(UrlConnectionHttpClient.create()))
                .build()) {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(
                            k -> k.attributeName("pk").keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            for (int i = 0; i < QUERY_ITEMS; i++) {
                dynamo.putItem(item("query", i));
            }
            List<NamedLoad> loads = List.of(
                    new NamedLoad("put", 1, n -> dynamo.putItem(item("put-" + n, 0))),
                    new NamedLoad(
                            "get",
                            1,
                            n -> dynamo.getItem(b -> b.tableName(table).key(key("put-" + n, 0)))),
                    new NamedLoad("query" + QUERY_ITEMS, 1, n -> query(dynamo)),
                    new NamedLoad("transaction" + TRANSACTION_PUTS, 1, n -> {
                        List<TransactWriteItem> puts = new ArrayList<>();
                        for (int i = 0; i < TRANSACTION_PUTS; i++) {
                            Map<String, AttributeValue> item =
                                    item("transaction-" + n, i).item();
                            puts.add(TransactWriteItem.builder()
                                    .put(p -> p.tableName(table).item(item))
                                    .build());
                        }
                        dynamo.transactWriteItems(b -> b.transactItems(puts));
                    }),
                    new NamedLoad("query" + QUERY_ITEMS + "x" + CONCURRENT_QUERIES, CONCURRENT_QUERIES, n -> {
                        List<Future<?>> running = new ArrayList<>();
                        for (int i = 0; i < CONCURRENT_QUERIES; i++) {
                            running.add(threads.submit(() -> query(dynamo)));
                        }
                        for (Future<?> query : running) {
                            query.get();
                        }
                    }));
            // Client and engine share this JVM: every load is warmed before any is timed, so that
            // the first one measured does not pay for compiling the code all of them run.
            for (NamedLoad load : loads) {
                for (int n = 0; n < sizes.warmUp(); n++) {
                    load.load().run(-1 - n);
                }
            }
            List<Figure> figures = new ArrayList<>();
            for (NamedLoad load : loads) {
                figures.addAll(measure(load));
            }
            dynamo.deleteTable(b -> b.tableName(table));
            return figures;
        } finally {
            threads.shutdownNow();
        }
    }

    private void query(DynamoDbClient dynamo) {
        QueryResponse response = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("query"))));
        if (response.count() != QUERY_ITEMS) {
            throw new IllegalStateException("the bench query found " + response.count() + " items, not " + QUERY_ITEMS);
        }
    }

    /**
     * {@code samples} timed runs one after another: p50 and p99 of one run, and the throughput of
     * the runs back to back in operations ({@code operationsPerRun} each) per second.
     */
    private List<Figure> measure(NamedLoad load) throws Exception {
        long[] nanos = new long[sizes.samples()];
        for (int n = 0; n < nanos.length; n++) {
            long start = System.nanoTime();
            load.load().run(n);
            nanos[n] = System.nanoTime() - start;
        }
        String name = "engine." + load.name();
        return List.of(
                new Figure(name + ".p50", "ms", Figure.percentileMillis(nanos, 50), Double.NaN, nanos.length),
                new Figure(name + ".p99", "ms", Figure.percentileMillis(nanos, 99), Double.NaN, nanos.length),
                new Figure(
                        name + ".throughput",
                        "ops/s",
                        Figure.perSecond(nanos, load.operationsPerRun()),
                        Double.NaN,
                        nanos.length));
    }

    private Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of(
                "pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(String.format(Locale.ROOT, "%04d", sk)));
    }

    private PutItemRequest item(String pk, int sk) {
        Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
        item.put("payload", AttributeValue.fromS(payload));
        item.put("n", AttributeValue.fromN(Integer.toString(sk)));
        return PutItemRequest.builder().tableName(table).item(item).build();
    }
}
