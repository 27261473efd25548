package eduledger.auth;

import eduledger.errors.Failure;
import eduledger.errors.ServiceException;

/** A request over its tenant's rate limit; {@link #retryAfterSeconds()} is when the next window opens. */
public final class RateLimited extends ServiceException {
    private final RateLimit limit;
    private final long retryAfterSeconds;

    public RateLimited(String tenantKind, RateLimit limit, long retryAfterSeconds) {
        super(
                Failure.TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                "This " + tenantKind + " may make " + limit.describe() + " and has made them all; retry after "
                        + retryAfterSeconds + (retryAfterSeconds == 1 ? " second." : " seconds."));
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public RateLimit limit() {
        return limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
