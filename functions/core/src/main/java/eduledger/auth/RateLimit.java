package eduledger.auth;

import java.time.Duration;

/**
 * How many requests one tenant (an integration, an application) may make in each fixed window,
 * and how many of them a function container leases from the shared counter at a time.
 *
 * <p>A container spends its lease locally and goes back to the store only when it runs out, so at
 * most one request in {@code lease} pays for an extra store call; a container that spends its
 * lease quickly leases more at a time, up to {@link #maxLease()} (see {@link RateLimiter}). The
 * store never grants more than {@code requests} per window, whatever the number of containers;
 * what a container leased and did not spend by the end of the window is lost, so a tenant may be
 * refused while up to {@code containers x (maxLease - 1)} of its window sits unspent in other
 * containers.
 */
public record RateLimit(int requests, Duration window, int lease) {
    public RateLimit {
        if (requests < 1 || lease < 1 || window.toMillis() < 1000) {
            throw new IllegalArgumentException(
                    "a rate limit needs requests >= 1, lease >= 1 and a window of 1 s or more");
        }
        lease = Math.min(lease, requests);
    }

    /** The limit with the lease a container takes by default: a fiftieth of the window's budget. */
    public static RateLimit of(int requests, Duration window) {
        return new RateLimit(requests, window, Math.max(1, requests / 50));
    }

    /**
     * The most a container leases at a time, however quickly it spends: a tenth of the window's
     * budget, and never less than {@link #lease()}.
     */
    public int maxLease() {
        return Math.max(lease, requests / 10);
    }

    /** The limit as a client reads it, e.g. "1000 requests per 10 seconds". */
    public String describe() {
        return requests + (requests == 1 ? " request" : " requests") + " per " + window.toSeconds() + " seconds";
    }
}
