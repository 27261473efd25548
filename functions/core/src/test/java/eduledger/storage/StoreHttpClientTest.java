package eduledger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.DynamoDbEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What the store's HTTP client changes: a connection that fails with a bare RuntimeException, as
 * HttpURLConnection does when aborted mid-read, a body HttpURLConnection buffers rather than
 * streams, and connections kept for reuse when a page's shard reads make 8 calls at once.
 */
class StoreHttpClientTest {
    /** Every call fails the way the JDK's connection fails once the SDK has disconnected it. */
    static final class DisconnectedMidRead implements SdkHttpClient {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public software.amazon.awssdk.http.HttpExecuteResponse call() {
                    calls.incrementAndGet();
                    throw new RuntimeException(
                            new NullPointerException("Cannot invoke \"sun.net.www.http.HttpClient.getInputStream()\""));
                }

                @Override
                public void abort() {}
            };
        }

        @Override
        public void close() {}
    }

    private static DynamoDbClient client(SdkHttpClient http) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(http)
                .build();
    }

    private static void getItem(DynamoDbClient dynamo) {
        dynamo.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("k"))));
    }

    @Test
    void theFailureReachesTheCallerAsAStoreThatCouldNotBeReached() {
        DisconnectedMidRead connection = new DisconnectedMidRead();
        try (DynamoDbClient dynamo = client(new StoreHttpClient(connection))) {
            SdkClientException e = assertThrows(SdkClientException.class, () -> getItem(dynamo));
            assertTrue(StoreFailures.isUnavailable(e));
            assertTrue(connection.calls.get() > 1, "retried as an I/O failure: " + connection.calls.get() + " calls");
        }
    }

    @Test
    void withoutItTheSdkPassesTheBareExceptionOn() {
        try (DynamoDbClient dynamo = client(new DisconnectedMidRead())) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> getItem(dynamo));
            assertEquals(false, e instanceof SdkException, e.toString());
        }
    }

    private static final byte[] BODY = "{\"TableName\":\"t\"}".getBytes(StandardCharsets.UTF_8);

    private static HttpExecuteRequest post(boolean withLength) {
        SdkHttpFullRequest.Builder http = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:9/"))
                .putHeader("X-Amz-Target", "DynamoDB_20120810.GetItem");
        if (withLength) {
            http.putHeader("Content-Length", String.valueOf(BODY.length));
        }
        return HttpExecuteRequest.builder()
                .request(http.build())
                .contentStreamProvider(() -> new ByteArrayInputStream(BODY))
                .build();
    }

    /** Keeps the requests it is handed; calling one answers nothing. */
    static final class Recording implements SdkHttpClient {
        final List<HttpExecuteRequest> handed = new ArrayList<>();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            handed.add(request);
            return new ExecutableHttpRequest() {
                @Override
                public software.amazon.awssdk.http.HttpExecuteResponse call() {
                    throw new UnsupportedOperationException("not sent");
                }

                @Override
                public void abort() {}
            };
        }

        @Override
        public void close() {}
    }

    @Test
    void aBodyOfKnownLengthIsHandedOnWithoutItsLengthAndOtherwiseUnchanged() throws IOException {
        Recording connection = new Recording();
        new StoreHttpClient(connection).prepareRequest(post(true));

        HttpExecuteRequest buffered = connection.handed.get(0);
        assertTrue(buffered.httpRequest().firstMatchingHeader("Content-Length").isEmpty());
        assertEquals(
                List.of("DynamoDB_20120810.GetItem"), buffered.httpRequest().matchingHeaders("X-Amz-Target"));
        assertEquals(SdkHttpMethod.POST, buffered.httpRequest().method());
        try (InputStream body = buffered.contentStreamProvider().orElseThrow().newStream()) {
            assertEquals(
                    new String(BODY, StandardCharsets.UTF_8), new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRequestWithoutAKnownLengthIsHandedOnAsItIs() {
        Recording connection = new Recording();
        HttpExecuteRequest request = post(false);
        new StoreHttpClient(connection).prepareRequest(request);
        assertSame(request, connection.handed.get(0));
    }

    /** A client of the engine on the store's HTTP client, as the functions build theirs, and a table keyed by {@code pk}. */
    private static DynamoDbClient engineClientWithTable(DynamoDbEngine engine, String table) {
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(engine.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(new StoreHttpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(10))
                        .build()))
                .build();
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
        return dynamo;
    }

    @Test
    void theConnectionSendsTheLengthItselfSoTheStoreReadsWholeBodies() {
        DynamoDbEngine engine =
                DynamoDbEngine.builder().host("127.0.0.1").port(0).build();
        try (DynamoDbClient dynamo = engineClientWithTable(engine, "bodies")) {
            // Near the item size limit, and again on the same kept-alive connection.
            for (int i = 0; i < 3; i++) {
                String value = String.valueOf((char) ('a' + i)).repeat(390_000);
                Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("k" + i));
                dynamo.putItem(
                        b -> b.tableName("bodies").item(Map.of("pk", key.get("pk"), "v", AttributeValue.fromS(value))));
                assertEquals(
                        value,
                        dynamo.getItem(b -> b.tableName("bodies").key(key))
                                .item()
                                .get("v")
                                .s());
            }
        } finally {
            engine.close();
        }
    }

    @Test
    void eightCallsAtOnceReuseTheirConnections() throws Exception {
        // The bound is read once per JVM, when its first connection goes idle, and other tests in
        // this one may have been first: the calls are made in a JVM of their own.
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process process = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), ConcurrentCalls.class.getName())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, process.exitValue(), output);
        String[] lines = output.strip().split("\n");
        int opened = Integer.parseInt(lines[lines.length - 1].strip());
        // One connection per call in flight at once, each reused for every round after the first;
        // with HttpURLConnection's default of 5 idle, 3 more were opened in every round.
        assertTrue(opened <= ConcurrentCalls.AT_ONCE, "connections opened: " + opened);
    }

    /** Rounds of 8 GetItems at once through a client built as the functions build theirs; prints the connections opened. */
    static final class ConcurrentCalls {
        static final int AT_ONCE = 8;
        static final int ROUNDS = 100;

        public static void main(String[] args) throws Exception {
            DynamoDbEngine engine =
                    DynamoDbEngine.builder().host("127.0.0.1").port(0).build();
            ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE);
            try (DynamoDbClient dynamo = engineClientWithTable(engine, "calls")) {
                CyclicBarrier together = new CyclicBarrier(AT_ONCE);
                for (int round = 0; round < ROUNDS; round++) {
                    List<Future<?>> calls = new ArrayList<>();
                    for (int call = 0; call < AT_ONCE; call++) {
                        calls.add(threads.submit(() -> {
                            together.await();
                            dynamo.getItem(b -> b.tableName("calls").key(Map.of("pk", AttributeValue.fromS("k"))));
                            return null;
                        }));
                    }
                    for (Future<?> call : calls) {
                        call.get();
                    }
                }
                System.out.println(engine.connectionsAccepted());
            } finally {
                threads.shutdownNow();
                engine.close();
            }
        }
    }
}
