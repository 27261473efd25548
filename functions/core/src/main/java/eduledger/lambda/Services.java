package eduledger.lambda;

import eduledger.auth.Authenticator;
import eduledger.auth.TokenStore;
import eduledger.graph.GraphEventItems;
import eduledger.graph.GraphEventReader;
import eduledger.graph.GraphEventWriter;
import eduledger.graph.GraphFeed;
import eduledger.integrations.IntegrationStore;
import eduledger.paging.CursorCodec;
import eduledger.storage.AbortSafeHttpClient;
import eduledger.storage.ShardLayouts;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final TokenStore tokens;
    private final Authenticator authenticator;
    private final CursorCodec cursors;
    private final ShardLayouts shardLayouts;
    private DynamoDbClient feedWriter;
    private ExecutorService feedWriterThreads;

    public Services(Settings settings, DynamoDbClient dynamo, Clock clock) {
        this.settings = settings;
        this.dynamo = dynamo;
        this.clock = clock;
        this.integrations = new IntegrationStore(dynamo, settings.tables(), clock);
        this.tokens = new TokenStore(dynamo, settings.tables(), clock);
        this.authenticator = new Authenticator(tokens, clock);
        this.cursors = new CursorCodec(settings.cursorSecret(), settings.previousCursorSecret());
        this.shardLayouts = new ShardLayouts(dynamo, settings.tables(), clock);
    }

    public static Services fromEnvironment() {
        Settings settings = Settings.from(System.getenv());
        return new Services(settings, dynamoClient(settings), Clock.systemUTC());
    }

    public static DynamoDbClient dynamoClient(Settings settings) {
        Duration timeout = settings.storeCallTimeout();
        var builder = DynamoDbClient.builder()
                .region(Region.of(settings.region()))
                .httpClient(new AbortSafeHttpClient(UrlConnectionHttpClient.builder()
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

    /**
     * A client whose calls end within {@link GraphFeed#WRITE_TIMEOUT}, SDK retries included, for
     * writing graph events: the feed's ordering guarantee rests on that bound. Built on first use.
     */
    public synchronized DynamoDbClient feedWriter() {
        if (feedWriter == null) {
            Duration bound = settings.storeCallTimeout().compareTo(GraphFeed.WRITE_TIMEOUT) < 0
                    ? settings.storeCallTimeout()
                    : GraphFeed.WRITE_TIMEOUT;
            feedWriter = dynamoClient(new Settings(
                    settings.tables(), settings.region(), settings.dynamoEndpoint(), settings.retention(), bound));
        }
        return feedWriter;
    }

    public GraphEventReader graphEventReader() {
        return new GraphEventReader(dynamo, tables(), settings.retention(), clock, shardLayouts);
    }

    /** @param client {@link #feedWriter()} in a function: the feed's ordering rests on its bound */
    public GraphEventWriter graphEventWriter(DynamoDbClient client) {
        return new GraphEventWriter(
                client,
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

    public TokenStore tokens() {
        return tokens;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** Signs and verifies page tokens with {@code CURSOR_SECRET}. */
    public CursorCodec cursors() {
        return cursors;
    }
}
