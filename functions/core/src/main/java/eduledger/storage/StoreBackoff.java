package eduledger.storage;

import eduledger.errors.ServiceException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one retry policy of every loop that asks the store again (unprocessed batch items or keys in
 * {@link BatchWrites} and {@link BatchReads}, transactions cancelled by a concurrent one): jittered exponential waits, a cap on attempts, and
 * one time budget for the whole request. Without the budget, backing off per chunk could add up
 * past the function timeout; a refusal the client can retry beats a timed-out invocation.
 *
 * <p>One instance per request-level operation; not shared between threads.
 */
public final class StoreBackoff {
    /** Attempts of one loop (one chunk of a batch) before it gives up. */
    public static final int MAX_ATTEMPTS = 8;
    /** All waits of one operation together stop here, well inside the 15 s function timeout. */
    public static final Duration BUDGET = Duration.ofSeconds(5);

    private static final long FIRST_WAIT_MILLIS = 25;
    private static final long LONGEST_WAIT_MILLIS = 1_600;

    private final long startedAt = System.nanoTime();
    private final int maxAttempts;
    private final long budgetNanos;
    private final Supplier<ServiceException> giveUp;
    private int attempt;

    private StoreBackoff(int maxAttempts, Duration budget, Supplier<ServiceException> giveUp) {
        this.maxAttempts = maxAttempts;
        this.budgetNanos = budget.toNanos();
        this.giveUp = giveUp;
    }

    /** A policy that answers 503 {@code STORE_UNAVAILABLE} when retries run out. */
    public static StoreBackoff start() {
        return new StoreBackoff(MAX_ATTEMPTS, BUDGET, StoreFailures::unavailable);
    }

    /**
     * A policy for contention between requests (concurrent patches of one schema, transactions
     * writing one feed view): its own cap on attempts, the same waits and time budget, and
     * {@code giveUp} when either runs out.
     */
    public static StoreBackoff contended(int maxAttempts, Supplier<ServiceException> giveUp) {
        return new StoreBackoff(maxAttempts, BUDGET, giveUp);
    }

    /**
     * The same waits and cap on attempts with no time budget, for work no client waits on: a
     * stream batch given up is delivered again whole, which costs more than waiting, and the
     * attempts alone bound it well inside the function timeout.
     */
    public static StoreBackoff unhurried(int maxAttempts, Supplier<ServiceException> giveUp) {
        return new StoreBackoff(maxAttempts, Duration.ofNanos(Long.MAX_VALUE), giveUp);
    }

    /** Waits before the next attempt, or throws the policy's refusal when attempts or time are used up. */
    public void pause() {
        attempt++;
        if (attempt >= maxAttempts || System.nanoTime() - startedAt > budgetNanos) {
            throw giveUp.get();
        }
        long ceiling = Math.min(LONGEST_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(attempt, 6));
        try {
            Thread.sleep(RetryJitter.millis(1, ceiling));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw giveUp.get();
        }
    }

    /** Starts another loop of the same operation (the next chunk): its own attempts, the same time budget. */
    public void nextLoop() {
        attempt = 0;
    }

    /** How many times {@link #pause} has been called in this loop. */
    public int attempts() {
        return attempt;
    }
}
