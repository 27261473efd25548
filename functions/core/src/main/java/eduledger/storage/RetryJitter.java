package eduledger.storage;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Random waits before a retry, so that containers competing for one item do not retry in step, and
 * random choices among copies of a busy item, so that containers do not choose in step either.
 *
 * <p>Not {@code ThreadLocalRandom}: its seeds are made once per JVM, so under SnapStart they are in
 * the snapshot, and every copy restored from it would draw the same waits, in step, which is what
 * the randomness is there to prevent. This generator is replaced by a freshly seeded one when a copy
 * is restored (the priming hook calls {@link #reseed}).
 */
public final class RetryJitter {
    /** Seeds only. The default SecureRandom mixes fresh OS entropy into every draw, so it is safe to restore. */
    private static final SecureRandom SEEDS = new SecureRandom();

    private static final RetryJitter SHARED = new RetryJitter(new Random(SEEDS.nextLong()));

    private volatile Random random;

    RetryJitter(Random random) {
        this.random = random;
    }

    /** A wait in milliseconds, at least {@code origin} and less than {@code bound}. */
    public static long millis(long origin, long bound) {
        return SHARED.next(origin, bound);
    }

    /** One of {@code count} choices, from 0. */
    public static int choice(int count) {
        return (int) SHARED.next(0, count);
    }

    /** Gives this container a generator of its own, unlike every other copy of the same snapshot. */
    public static void reseed() {
        SHARED.reseedFrom(SEEDS);
    }

    static RetryJitter shared() {
        return SHARED;
    }

    long next(long origin, long bound) {
        return random.nextLong(origin, bound);
    }

    Random generator() {
        return random;
    }

    void reseedFrom(SecureRandom seeds) {
        random = new Random(seeds.nextLong());
    }
}
