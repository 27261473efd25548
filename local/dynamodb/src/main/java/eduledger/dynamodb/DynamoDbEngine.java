package eduledger.dynamodb;

import eduledger.dynamodb.durability.Journal;
import eduledger.dynamodb.durability.Journals;
import eduledger.dynamodb.engine.Database;
import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.partiql.PartiQl;
import eduledger.dynamodb.server.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A DynamoDB-compatible engine served over DynamoDB's own wire protocol on loopback. Start one with
 * {@link #builder()}; {@link #close()} frees its port. All its threads are daemons.
 */
public final class DynamoDbEngine implements AutoCloseable {
    /** A journal larger than this since its last snapshot is compacted. */
    static final long SNAPSHOT_BYTES = 64L * 1024 * 1024;

    /**
     * Items of each table the background TTL sweep looks at per tick: a table this size or smaller
     * is swept whole each tick, a larger one in turns, never a full scan of millions a second.
     */
    static final int TTL_SWEEP_ITEMS = 50_000;

    private final Database database;
    private final Server server;
    private final Faults faults;
    private final Journal journal;
    private final ScheduledExecutorService sweeper;
    private final String host;

    private DynamoDbEngine(Builder b) throws IOException {
        this.faults = new Faults();
        this.journal = b.journal;
        this.host = b.host;
        this.database = new Database(b.journal, b.streamRetention, b.shardRecords, b.shardAge, faults, b.iteratorClock);
        try {
            database.replay();
            this.server = server(b);
        } catch (IOException | RuntimeException | Error e) {
            // an engine that never started must not keep its data directory locked
            journal.close();
            throw e;
        }
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dynamodb-ttl");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, b.ttlSweepInterval.toMillis());
        sweeper.scheduleWithFixedDelay(
                () -> {
                    try {
                        database.sweepTtlSome(TTL_SWEEP_ITEMS);
                        database.maybeSnapshot(SNAPSHOT_BYTES);
                    } catch (RuntimeException ignored) {
                        // a failed sweep is retried on the next tick
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    private Server server(Builder b) throws IOException {
        return new Server(b.host, b.port, new Server.Handler() {
            public Object handle(String operation, boolean streams, Object body, String region) {
                faults.before(operation);
                if (streams && !isStreamOperation(operation)) throw unknown();
                if (!streams && isStreamOperation(operation)) throw unknown();
                if (PartiQl.handles(operation))
                    return PartiQl.handle(operation, body, (op, b) -> database.handle(op, b, region));
                return database.handle(operation, body, region);
            }

            public boolean dropConnection() {
                return faults.dropConnection();
            }
        });
    }

    private static boolean isStreamOperation(String op) {
        return op.equals("ListStreams")
                || op.equals("DescribeStream")
                || op.equals("GetShardIterator")
                || op.equals("GetRecords");
    }

    private static DynamoDbError unknown() {
        return new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException", null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI endpoint() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + server.port());
    }

    public int port() {
        return server.port();
    }

    /** How many connections clients have opened to the engine since it started. */
    public int connectionsAccepted() {
        return server.connectionsAccepted();
    }

    /** Deletes expired items now, synchronously; returns how many. */
    public int sweepTtl() {
        return database.sweepTtl();
    }

    /**
     * One tick of the background sweep: deletes the expired items among the next {@code budget}
     * items of each table, each going on from where its last tick stopped; returns how many.
     */
    public int sweepTtl(int budget) {
        return database.sweepTtlSome(budget);
    }

    public Faults faults() {
        return faults;
    }

    /** Writes a snapshot to the journal now, whatever its size. */
    public void snapshot() {
        database.maybeSnapshot(0);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        server.close();
        journal.close();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Journal journal = Journal.NONE;
        private Duration ttlSweepInterval = Duration.ofSeconds(1);
        private Duration streamRetention = Duration.ofHours(24);
        private int shardRecords = 10_000;
        private Duration shardAge = Duration.ofHours(4);
        private Clock iteratorClock = Clock.systemUTC();

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder journal(Journal journal) {
            this.journal = journal;
            return this;
        }

        public Builder ttlSweepInterval(Duration interval) {
            this.ttlSweepInterval = interval;
            return this;
        }

        public Builder streamRetention(Duration retention) {
            this.streamRetention = retention;
            return this;
        }

        /** A stream shard closes and a child opens after this many records. */
        public Builder streamShardRecords(int records) {
            this.shardRecords = records;
            return this;
        }

        /** A stream shard closes and a child opens after this long. */
        public Builder streamShardAge(Duration age) {
            this.shardAge = age;
            return this;
        }

        /** The clock stream iterators' fifteen-minute lifetime is measured on (tests move it on). */
        public Builder streamIteratorClock(Clock clock) {
            this.iteratorClock = clock;
            return this;
        }

        public DynamoDbEngine build() {
            try {
                return new DynamoDbEngine(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8000;
        String host = "127.0.0.1";
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port":
                    port = Integer.parseInt(args[++i]);
                    break;
                case "--host":
                    host = args[++i];
                    break;
                case "--data":
                    data = Path.of(args[++i]);
                    break;
                default:
                    System.err.println("usage: dynamodb [--port N] [--host H] [--data DIR]");
                    System.exit(2);
            }
        }
        DynamoDbEngine engine;
        try {
            engine =
                    builder().host(host).port(port).journal(Journals.open(data)).build();
        } catch (RuntimeException e) {
            // a busy port or data directory is an operator's problem, not a bug: one line, no trace
            Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
            System.err.println("dynamodb engine: " + cause.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("dynamodb engine listening on " + engine.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }
}
