package eduledger.reliability;

import eduledger.dynamodb.DynamoDbEngine;
import eduledger.harness.LocalTables;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.lambda.Services;
import eduledger.lambda.Settings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An engine of one test's own, with the template's tables, so that the faults the test injects (an
 * outage, unprocessed items) reach no other test.
 */
final class IsolatedStore implements AutoCloseable {
    private final DynamoDbEngine engine;

    IsolatedStore() {
        engine = DynamoDbEngine.builder().host("127.0.0.1").port(0).build();
        try (DynamoDbClient admin = TestStore.client(engine.endpoint())) {
            LocalTables.create(admin, DeployedRoutes.TEMPLATE);
        }
    }

    /** While on, every request fails with DynamoDB's 500 InternalServerError; the data stays. */
    void outage(boolean on) {
        engine.faults().outage(on);
    }

    /** The next {@code times} batch calls leave every item unprocessed, as DynamoDB may under throttling. */
    void unprocessedItems(int times) {
        engine.faults().unprocessedItems(times);
    }

    void clearFaults() {
        engine.faults().clear();
    }

    /** Services as a function gets them, pointed at this store, with every store call bounded by {@code storeTimeoutMs}. */
    Services services(long storeTimeoutMs) {
        return services(storeTimeoutMs, null);
    }

    /** ... and with {@code observer} on the client, to see the calls the functions make. */
    Services services(long storeTimeoutMs, ExecutionInterceptor observer) {
        SamTemplate.Function anyFunction =
                DeployedRoutes.TEMPLATE.functions().values().iterator().next();
        Map<String, String> tableNames = new HashMap<>();
        DeployedRoutes.TEMPLATE.tables().keySet().forEach(id -> tableNames.put(id, id));
        Map<String, String> env = new HashMap<>(LocalTables.environment(anyFunction, tableNames));
        env.put(Settings.DYNAMODB_ENDPOINT, engine.endpoint().toString());
        env.put(Settings.STORE_TIMEOUT_MS, Long.toString(storeTimeoutMs));
        Settings settings = Settings.from(env);
        DynamoDbClient client = Services.dynamoClient(settings);
        if (observer != null) {
            client = DynamoDbClient.builder()
                    .endpointOverride(engine.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(client.serviceClientConfiguration().credentialsProvider())
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(observer))
                    .build();
        }
        return new Services(settings, client, Clock.systemUTC());
    }

    @Override
    public void close() {
        engine.close();
    }
}
