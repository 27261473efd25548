package eduledger.local;

import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.auth.TokenStore;
import eduledger.auth.Tokens;
import eduledger.dynamodb.DynamoDbEngine;
import eduledger.dynamodb.durability.Journals;
import eduledger.harness.LocalTables;
import eduledger.harness.RosterStreamPoller;
import eduledger.harness.SamTemplate;
import eduledger.integrations.ApplicationStore;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.lambda.Services;
import eduledger.lambda.Settings;
import eduledger.storage.Tables;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The system as template.yaml describes it, on this machine: the project's DynamoDB engine with the
 * template's tables, and every function loaded with the environment the template gives it.
 */
final class LocalSystem implements AutoCloseable {
    /** The integration every local run has, with every scope and sharing {@code all}. */
    static final String DEV_INTEGRATION_ID = "00000000-0000-4000-a000-000000000001";
    /** The token the sample events in events/ carry; registered only by the local runner. */
    static final String SAMPLE_EVENT_TOKEN = "edl_local_sample_token";
    /** The platform operator's token the admin sample events carry; registered only by the local runner. */
    static final String SAMPLE_ADMIN_TOKEN = "edl_local_sample_admin_token";
    /** The application every local run has, owning the local integration. */
    static final String DEV_APPLICATION_ID = "00000000-0000-4000-a000-0000000000a1";
    /** The secret key the audit event samples in events/ carry; registered only by the local runner. */
    static final String SAMPLE_APP_SECRET = "edl_local_sample_app_secret";
    /** Admin tokens act for the platform operator, which is no integration: it sees no feed. */
    static final String OPERATOR_ID = Caller.OPERATOR;

    private final DynamoDbEngine embedded;
    private final URI endpoint;
    private final DynamoDbClient dynamo;
    private final SamTemplate template;
    private final Map<String, String> tableNames;
    private final List<LocalFunction> functions = new ArrayList<>();
    private final IntegrationStore integrations;
    private final TokenStore tokens;
    private final ApplicationStore applications;
    private final List<RosterStreamPoller> pollers = new ArrayList<>();

    private LocalSystem(DynamoDbEngine embedded, URI endpoint, SamTemplate template) {
        this.embedded = embedded;
        this.endpoint = endpoint;
        this.template = template;
        this.dynamo = Services.dynamoClient(settings(Map.of()));
        this.tableNames = LocalTables.create(dynamo, template);
        for (SamTemplate.Function function : template.functions().values()) {
            Settings settings = settings(LocalTables.environment(function, tableNames));
            functions.add(new LocalFunction(function, new Services(settings, dynamo, Clock.systemUTC())));
        }
        Map<String, String> anyFunctionEnvironment = template.functions().values().stream()
                .findFirst()
                .map(f -> LocalTables.environment(f, tableNames))
                .orElse(Map.of());
        this.integrations =
                new IntegrationStore(dynamo, settings(anyFunctionEnvironment).tables(), Clock.systemUTC());
        this.tokens = new TokenStore(dynamo, settings(anyFunctionEnvironment).tables(), Clock.systemUTC());
        this.applications =
                new ApplicationStore(dynamo, settings(anyFunctionEnvironment).tables(), Clock.systemUTC());
    }

    /** Starts the engine on {@code port} (0: any free one), data in memory or under {@code dataDir}. */
    static LocalSystem start(SamTemplate template, int port, Path dataDir) {
        DynamoDbEngine engine = engine(port, dataDir);
        try {
            return new LocalSystem(engine, engine.endpoint(), template);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The engine on loopback, its data in memory or, durably, under {@code dataDir}. */
    static DynamoDbEngine engine(int port, Path dataDir) {
        try {
            return DynamoDbEngine.builder()
                    .host("127.0.0.1")
                    .port(port)
                    .journal(Journals.open(dataDir))
                    .build();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException) {
                    throw new IllegalArgumentException(
                            "the store's port " + port + " is already in use; stop what holds it"
                                    + " or choose another (DYNAMODB_PORT, or --port for ./eduledger dynamodb)",
                            e);
                }
            }
            throw e;
        }
    }

    /** Uses a store that is already running (another {@code ./eduledger local}). */
    static LocalSystem attach(SamTemplate template, URI endpoint) {
        return new LocalSystem(null, endpoint, template);
    }

    /**
     * True when a DynamoDB endpoint answers at {@code endpoint}: something must listen there, and
     * then answer ListTables. The bound is generous because the first SDK call of a fresh JVM on a
     * busy machine can take seconds, and taking a slow store for none would write to a store of
     * its own that ends with the command.
     */
    static boolean reachable(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1_000);
        } catch (IOException nothingListens) {
            return false;
        }
        Settings probe = new Settings(
                new Tables("-", "-", "-"),
                "us-east-1",
                Optional.of(endpoint),
                Duration.ofDays(30),
                Duration.ofSeconds(10));
        try (DynamoDbClient client = Services.dynamoClient(probe)) {
            client.listTables();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Settings settings(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(Settings.DYNAMODB_ENDPOINT, endpoint.toString());
        return Settings.from(env);
    }

    /**
     * The local integration's token: {@code EDULEDGER_DEV_TOKEN} when set, else a new one. The
     * integration belongs to the local application, so audit events take that application's secret
     * ({@link #appSecret}).
     */
    String devToken(String fixed) {
        integrations.createWithId(DEV_INTEGRATION_ID, "Local development");
        applications.createWithId(DEV_APPLICATION_ID, "Local development", SAMPLE_APP_SECRET);
        applications.attach(DEV_APPLICATION_ID, DEV_INTEGRATION_ID);
        tokens.store(DEV_INTEGRATION_ID, Scope.integrationScopes(), SAMPLE_EVENT_TOKEN);
        tokens.store(OPERATOR_ID, Scope.operatorScopes(), SAMPLE_ADMIN_TOKEN);
        String token = fixed == null || fixed.isBlank() ? Tokens.generate() : fixed;
        return tokens.store(DEV_INTEGRATION_ID, Scope.integrationScopes(), token);
    }

    /**
     * The local application's secret key, for the audit event routes and the meta routes: {@code
     * EDULEDGER_APP_SECRET} when set, else a new one. Call after {@link #devToken}, which makes the
     * application.
     */
    String appSecret(String fixed) {
        String secret = fixed == null || fixed.isBlank() ? Tokens.generate() : fixed;
        return tokens.storeApplicationSecret(DEV_APPLICATION_ID, secret);
    }

    /**
     * The platform operator's token, for the admin routes and the source writes that play the sync
     * job: {@code EDULEDGER_ADMIN_TOKEN} when set, else a new one.
     */
    String adminToken(String fixed) {
        String token = fixed == null || fixed.isBlank() ? Tokens.generate() : fixed;
        return tokens.store(OPERATOR_ID, Scope.operatorScopes(), token);
    }

    /**
     * Emulates each function's DynamoDB stream trigger: polls the table's stream from its horizon,
     * as {@code StartingPosition: TRIM_HORIZON} does, and invokes the function with each batch.
     */
    void startStreamTriggers() {
        for (LocalFunction function : functions) {
            for (String source : function.definition().streamSources()) {
                String table = tableNames.get(source.substring(0, source.indexOf('.')));
                pollers.add(RosterStreamPoller.forTable(endpoint, table, function::invokeStream, false)
                        .start(200));
            }
        }
    }

    /** Creates an integration and returns it with a new token holding {@code scopes}. */
    Map.Entry<Integration, String> createIntegration(String name, Set<Scope> scopes) {
        Integration integration = integrations.create(name);
        return Map.entry(integration, tokens.issue(integration.id(), scopes));
    }

    /** The environment {@code function} runs with here, as its Lambda would get it from the template. */
    Map<String, String> environment(SamTemplate.Function function) {
        Map<String, String> env = new HashMap<>(LocalTables.environment(function, tableNames));
        env.put(Settings.DYNAMODB_ENDPOINT, endpoint.toString());
        return env;
    }

    List<LocalFunction> functions() {
        return functions;
    }

    LocalFunction function(String logicalId) {
        return functions.stream()
                .filter(f -> f.definition().logicalId().equals(logicalId))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("template.yaml has no function " + logicalId + "; it has "
                                + functions.stream()
                                        .map(f -> f.definition().logicalId())
                                        .toList()));
    }

    URI endpoint() {
        return endpoint;
    }

    /**
     * Has the engine answer every request {@code latency} later, as a store across a network does
     * (zero: at once again); false, changing nothing, when the store is not the embedded engine.
     */
    boolean storeLatency(Duration latency) {
        if (embedded == null) {
            return false;
        }
        embedded.faults().latency(latency);
        return true;
    }

    @Override
    public void close() {
        pollers.forEach(RosterStreamPoller::close);
        dynamo.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
