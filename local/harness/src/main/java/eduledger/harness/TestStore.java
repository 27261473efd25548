package eduledger.harness;

import eduledger.dynamodb.DynamoDbEngine;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store every test in a JVM shares: the project's DynamoDB engine, in this JVM on a free loopback
 * port (or, with {@code -Plocalstack}, LocalStack through Testcontainers), with the tables of template.yaml.
 * Tests isolate themselves by creating their own integrations, as tenants are isolated in production.
 */
public final class TestStore {
    public static final String STORE_PROPERTY = "eduledger.test.store";

    public record Handle(URI endpoint, Map<String, String> tableNames) {}

    private static Handle handle;

    private TestStore() {}

    public static synchronized Handle get() {
        if (handle == null) {
            URI endpoint = "localstack".equals(System.getProperty(STORE_PROPERTY)) ? startLocalStack() : startEngine();
            try (DynamoDbClient dynamo = client(endpoint)) {
                handle = new Handle(endpoint, LocalTables.create(dynamo, SamTemplate.read(SamTemplate.locate())));
            }
        }
        return handle;
    }

    public static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** In memory; its threads are daemons, so it ends with the test JVM. */
    private static URI startEngine() {
        return DynamoDbEngine.builder().host("127.0.0.1").port(0).build().endpoint();
    }

    private static URI startLocalStack() {
        try {
            return (URI) Class.forName("eduledger.harness.LocalStackStore")
                    .getMethod("start")
                    .invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("-Plocalstack needs the profile's LocalStackStore and a Docker engine", e);
        }
    }
}
