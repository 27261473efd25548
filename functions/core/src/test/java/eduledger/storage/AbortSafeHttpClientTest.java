package eduledger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A connection that fails with a bare RuntimeException, as HttpURLConnection does when aborted mid-read. */
class AbortSafeHttpClientTest {
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
        try (DynamoDbClient dynamo = client(new AbortSafeHttpClient(connection))) {
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
}
