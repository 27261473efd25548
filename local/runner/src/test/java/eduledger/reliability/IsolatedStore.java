package eduledger.reliability;

import eduledger.harness.DynamoDbLocal;
import eduledger.harness.LocalTables;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.lambda.Services;
import eduledger.lambda.Settings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A DynamoDB Local of one test's own, on a fixed loopback port and a data directory, so the test
 * can stop it (an outage) and start it again on the same port with every row kept.
 */
final class IsolatedStore implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private DynamoDbLocal server;

    IsolatedStore(Path dataDir) {
        this.port = DynamoDbLocal.freePort();
        this.dataDir = dataDir;
        start();
        try (DynamoDbClient admin = TestStore.client(server.endpoint())) {
            LocalTables.create(admin, DeployedRoutes.TEMPLATE);
        }
    }

    void stop() {
        server.close();
        server = null;
    }

    void start() {
        server = DynamoDbLocal.start(port, dataDir);
    }

    /** Services as a function gets them, pointed at this store, with every store call bounded by {@code storeTimeoutMs}. */
    Services services(long storeTimeoutMs) {
        SamTemplate.Function anyFunction = DeployedRoutes.TEMPLATE.functions().values().iterator().next();
        Map<String, String> tableNames = new HashMap<>();
        DeployedRoutes.TEMPLATE.tables().keySet().forEach(id -> tableNames.put(id, id));
        Map<String, String> env = new HashMap<>(LocalTables.environment(anyFunction, tableNames));
        env.put(Settings.DYNAMODB_ENDPOINT, "http://127.0.0.1:" + port);
        env.put(Settings.STORE_TIMEOUT_MS, Long.toString(storeTimeoutMs));
        Settings settings = Settings.from(env);
        return new Services(settings, Services.dynamoClient(settings), Clock.systemUTC());
    }

    @Override
    public void close() {
        if (server != null) {
            stop();
        }
    }
}
