package eduledger.dynamodb;

import eduledger.dynamodb.error.DynamoDbError;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the engine injects on request, so reliability tests can exercise a client's retries and
 * fallbacks against the real wire protocol: throttling, outages, latency and unprocessed batch items.
 */
public final class Faults {
    private static final String ALL = "*";
    private final ConcurrentHashMap<String, AtomicInteger> throttles = new ConcurrentHashMap<>();
    private final AtomicInteger unprocessed = new AtomicInteger();
    private volatile boolean outage;
    private volatile boolean dropConnections;
    private volatile long latencyMillis;
    private volatile boolean any;

    /** The next {@code times} requests of {@code operation} (null: of any operation) are throttled. */
    public Faults throttle(String operation, int times) {
        throttles.put(operation == null ? ALL : operation, new AtomicInteger(times));
        any = true;
        return this;
    }

    /** While on, every request fails with a 500 InternalServerError. */
    public Faults outage(boolean on) {
        outage = on;
        dropConnections = false;
        any = true;
        return this;
    }

    /** While on, every request's connection is closed without an answer. */
    public Faults dropConnections(boolean on) {
        dropConnections = on;
        any = true;
        return this;
    }

    /** Every request is answered this much later. */
    public Faults latency(Duration latency) {
        latencyMillis = latency.toMillis();
        any = true;
        return this;
    }

    /** The next {@code times} BatchWriteItem / BatchGetItem calls leave every item unprocessed. */
    public Faults unprocessedItems(int times) {
        unprocessed.set(times);
        any = true;
        return this;
    }

    public Faults clear() {
        throttles.clear();
        unprocessed.set(0);
        outage = false;
        dropConnections = false;
        latencyMillis = 0;
        any = false;
        return this;
    }

    boolean dropConnection() {
        return any && dropConnections;
    }

    /** Applies latency and throws the injected error for this request, if any. */
    void before(String operation) {
        if (!any) return;
        long latency = latencyMillis;
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (outage) throw DynamoDbError.of(500, "InternalServerError", "Internal server error");
        if (take(throttles.get(operation)) || take(throttles.get(ALL))) {
            if (isDataOperation(operation))
                throw DynamoDbError.of(
                        400,
                        "ProvisionedThroughputExceededException",
                        "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.");
            throw DynamoDbError.of(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
        }
    }

    private static boolean isDataOperation(String op) {
        return op.endsWith("Item")
                || op.equals("Query")
                || op.equals("Scan")
                || op.startsWith("Batch")
                || op.startsWith("Transact");
    }

    private static boolean take(AtomicInteger counter) {
        if (counter == null) return false;
        while (true) {
            int n = counter.get();
            if (n <= 0) return false;
            if (counter.compareAndSet(n, n - 1)) return true;
        }
    }

    /** True (once per injected count) when this batch call should leave its items unprocessed. */
    public boolean takeUnprocessed() {
        return any && take(unprocessed);
    }
}
