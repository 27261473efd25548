package eduledger.dynamodb;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Clients of the AWS SDK v2 pointed at an engine, as the project's functions talk to DynamoDB. */
public final class EngineFixture {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private EngineFixture() {}

    /** A client with the SDK's standard retries. */
    public static DynamoDbClient client(DynamoDbEngine engine) {
        return builder(engine.endpoint())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    /** A client of the engine at {@code endpoint}, to be given its own HTTP client or retries. */
    public static DynamoDbClientBuilder builder(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    public static DynamoDbStreamsClient streams(DynamoDbEngine engine) {
        return DynamoDbStreamsClient.builder()
                .endpointOverride(engine.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /**
     * An engine and its clients for the tests of one class, registered as its extension: started
     * with the class, closed after its last test.
     */
    public static final class Running implements AfterAllCallback {
        private final DynamoDbEngine engine;
        private final DynamoDbClient client;
        private final DynamoDbStreamsClient streams;

        private Running(DynamoDbEngine engine) {
            this.engine = engine;
            this.client = EngineFixture.client(engine);
            this.streams = EngineFixture.streams(engine);
        }

        public DynamoDbEngine engine() {
            return engine;
        }

        public DynamoDbClient client() {
            return client;
        }

        public DynamoDbStreamsClient streams() {
            return streams;
        }

        @Override
        public void afterAll(ExtensionContext context) {
            streams.close();
            client.close();
            engine.close();
        }
    }

    public static Running running(DynamoDbEngine.Builder engine) {
        return new Running(engine.build());
    }

    static String uniqueName(String base) {
        return base + "-" + TABLES.incrementAndGet();
    }

    /** A pay-per-request table keyed by pk (S) and, when {@code sortKey} is set, sk of that type. */
    static CreateTableRequest.Builder table(String name, ScalarAttributeType sortKey) {
        List<AttributeDefinition> defs = new ArrayList<>();
        List<KeySchemaElement> keys = new ArrayList<>();
        defs.add(AttributeDefinition.builder()
                .attributeName("pk")
                .attributeType(ScalarAttributeType.S)
                .build());
        keys.add(KeySchemaElement.builder()
                .attributeName("pk")
                .keyType(KeyType.HASH)
                .build());
        if (sortKey != null) {
            defs.add(AttributeDefinition.builder()
                    .attributeName("sk")
                    .attributeType(sortKey)
                    .build());
            keys.add(KeySchemaElement.builder()
                    .attributeName("sk")
                    .keyType(KeyType.RANGE)
                    .build());
        }
        return CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(defs)
                .keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST);
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    static Map<String, AttributeValue> key(String pk, AttributeValue sk) {
        return Map.of("pk", s(pk), "sk", sk);
    }
}
