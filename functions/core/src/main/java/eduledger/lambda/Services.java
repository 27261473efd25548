package eduledger.lambda;

import eduledger.auth.Authenticator;
import eduledger.auth.RateLimiter;
import eduledger.auth.TokenStore;
import eduledger.graph.GraphEventItems;
import eduledger.graph.GraphEventReader;
import eduledger.graph.GraphEventWriter;
import eduledger.graph.GraphFeed;
import eduledger.integrations.ApplicationStore;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.RecentIntegrations;
import eduledger.paging.CursorCodec;
import eduledger.paging.CursorKeys;
import eduledger.storage.ShardLayouts;
import eduledger.storage.StoreHttpClient;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a function container builds once and reuses for every invocation: settings, the DynamoDB
 * client and the clock. Handlers take one in their constructor; their no-argument constructor,
 * the one Lambda calls, builds it from the environment.
 */
public final class Services {
    static final int FEED_WRITER_THREADS = 2;
    private final Settings settings;
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final IntegrationStore integrations;
    private final ApplicationStore applications;
    private final RecentIntegrations recentIntegrations;
    private final TokenStore tokens;
    private final Authenticator authenticator;
    private CursorCodec cursors;
    private final RateLimiter rateLimiter;
    private final ShardLayouts shardLayouts;
    private ExecutorService feedWriterThreads;

    public Services(Settings settings, DynamoDbClient dynamo, Clock clock) {
        this.settings = settings;
        this.dynamo = dynamo;
        this.clock = clock;
        this.integrations = new IntegrationStore(dynamo, settings.tables(), clock);
        this.applications = new ApplicationStore(dynamo, settings.tables(), clock);
        this.recentIntegrations = new RecentIntegrations(integrations, clock);
        this.tokens = new TokenStore(dynamo, settings.tables(), clock);
        this.authenticator = new Authenticator(tokens, clock);
        this.rateLimiter = new RateLimiter(dynamo, settings.tables(), clock);
        this.shardLayouts = new ShardLayouts(dynamo, settings.tables(), clock);
    }

    /**
     * The page-token keys: from the Secrets Manager secret {@code CURSOR_SECRET_ID} names (read at
     * init and re-read after a SnapStart restore and every few minutes), else from the environment.
     */
    private static Supplier<CursorKeys> cursorKeys(Settings settings, Clock clock) {
        if (settings.cursorSecretId().isEmpty()) {
            if (settings.cursorSecret() == null) {
                throw new IllegalStateException(
                        "no page-token key: set CURSOR_SECRET_ID (the secret template.yaml creates) or CURSOR_SECRET");
            }
            CursorKeys fixed = new CursorKeys(settings.cursorSecret(), settings.previousCursorSecret());
            return () -> fixed;
        }
        String secretId = settings.cursorSecretId().get();
        SecretsManagerSecret store = new SecretsManagerSecret(settings);
        StoredCursorKeys keys = new StoredCursorKeys(() -> store.read(secretId), clock);
        Priming.afterRestore(keys::reread);
        return keys;
    }

    public static Services fromEnvironment() {
        Settings settings = Settings.from(System.getenv());
        return new Services(settings, dynamoClient(settings), Clock.systemUTC());
    }

    public static DynamoDbClient dynamoClient(Settings settings) {
        Duration timeout = settings.storeCallTimeout();
        var builder = DynamoDbClient.builder()
                .region(Region.of(settings.region()))
                .httpClient(new StoreHttpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(timeout)
                        .build()))
                // Bounded so a store outage becomes a 503 well inside the function timeout.
                .overrideConfiguration(c -> c.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout.dividedBy(2)));
        settings.dynamoEndpoint()
                .ifPresentOrElse(
                        endpoint -> builder.endpointOverride(endpoint)
                                .credentialsProvider(
                                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))),
                        () -> builder.credentialsProvider(
                                DefaultCredentialsProvider.builder().build()));
        return builder.build();
    }

    public Settings settings() {
        return settings;
    }

    public Tables tables() {
        return settings.tables();
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public GraphEventReader graphEventReader() {
        return new GraphEventReader(dynamo, tables(), settings.retention(), clock, shardLayouts);
    }

    /**
     * A writer whose every call ends within {@link GraphFeed#WRITE_TIMEOUT}, SDK retries included,
     * or within the store's own bound when that is shorter: the feed's ordering guarantee rests on
     * it. The bound is set on each of its requests, so it shares the container's one client.
     */
    public GraphEventWriter graphEventWriter(DynamoDbClient client) {
        Duration bound = settings.storeCallTimeout().compareTo(GraphFeed.WRITE_TIMEOUT) < 0
                ? settings.storeCallTimeout()
                : GraphFeed.WRITE_TIMEOUT;
        return new GraphEventWriter(
                client,
                bound,
                tables(),
                graphEventItems(),
                clock,
                task -> feedWriterThreads().execute(task));
    }

    public GraphEventItems graphEventItems() {
        return new GraphEventItems(settings.retention(), shardLayouts);
    }

    /** The container's one cache of the lists' shard layouts, shared by every store that reads or writes a list. */
    public ShardLayouts shardLayouts() {
        return shardLayouts;
    }

    /**
     * The threads that send one batch's graph event transactions at once (a batch of 100 changes
     * seen by 10 integrations is 12 transactions of up to 9 records). Two: more would shorten a batch
     * further, but every call must end within {@link GraphFeed#WRITE_TIMEOUT}, and the calls in flight
     * share the function's fraction of one vCPU (1024 MB), so each takes longer the more there are.
     * Daemon threads, so an idle container or a finished local run is not kept alive by them.
     */
    private synchronized ExecutorService feedWriterThreads() {
        if (feedWriterThreads == null) {
            AtomicInteger number = new AtomicInteger();
            feedWriterThreads = Executors.newFixedThreadPool(FEED_WRITER_THREADS, task -> {
                Thread thread = new Thread(task, "graph-feed-writer-" + number.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return feedWriterThreads;
    }

    public Clock clock() {
        return clock;
    }

    public IntegrationStore integrations() {
        return integrations;
    }

    public ApplicationStore applications() {
        return applications;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** Integrations as the audit routes check them, kept for at most a second per container. */
    public RecentIntegrations recentIntegrations() {
        return recentIntegrations;
    }

    /** Holds each tenant to its request limit across containers ({@link Settings#tenantLimit()}). */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /**
     * Signs and verifies page tokens with the keys of {@code CURSOR_SECRET_ID} (or {@code
     * CURSOR_SECRET}). Made on first use, so only a function that pages reads the secret (a handler
     * asks for it in its constructor: during init, before the SnapStart snapshot).
     */
    public synchronized CursorCodec cursors() {
        if (cursors == null) {
            cursors = new CursorCodec(cursorKeys(settings, clock));
        }
        return cursors;
    }
}
