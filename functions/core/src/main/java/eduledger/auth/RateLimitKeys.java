package eduledger.auth;

/**
 * Request counters of the tenant rate limit, in the control table: one item per tenant and
 * window, so a new window starts from zero without a reset write. The design is in {@code
 * docs/data-model.md}.
 */
public final class RateLimitKeys {
    private RateLimitKeys() {}

    public static final String PREFIX = "RATE#";
    public static final String COUNTER_SK = "RATE";

    /** @param window the window's start, in whole windows since the epoch */
    public static String counter(String tenantId, long window) {
        return PREFIX + tenantId + "#" + window;
    }
}
