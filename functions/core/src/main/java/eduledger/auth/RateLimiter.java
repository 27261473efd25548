package eduledger.auth;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;

import eduledger.storage.Keys;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Holds each tenant to its {@link RateLimit} across every container of every function at once.
 *
 * <p>The tenant's count for the current window lives in one control-table item. A container leases
 * a slice of it with one conditional UpdateItem ({@code ADD spent}, on the condition that the
 * window's total stays within the limit) and admits requests from the slice without calling the
 * store. A slice is sized to what the container spends: {@link RateLimit#lease()} at first, twice
 * the last one when that was spent within {@link #GROWTH_PERIOD} of leasing it, up to {@link
 * RateLimit#maxLease()}, the same again when it was spent within twice that, and back to the first
 * size when it took longer. When a slice no longer fits, it leases the first size, then a single
 * request, so the window's last requests are not lost to rounding; when not even one fits, the
 * container refuses the tenant without another store call until the window ends. The total
 * admitted in a window never exceeds the limit.
 */
public final class RateLimiter {
    private static final int MAX_TENANTS = 10_000;

    /**
     * A slice spent within this long of being leased is followed by one twice its size, and one spent
     * within twice this long by one of its size: a busy container makes a store call every one to two
     * of these periods, and what it holds unspent when the window ends is at most what it spent in
     * twice this long.
     */
    public static final Duration GROWTH_PERIOD = Duration.ofSeconds(1);

    /** What one container still holds of one tenant's window. */
    private static final class Slice {
        long window = Long.MIN_VALUE;
        int left;
        boolean exhausted;
        /** The size of the last slice leased (0 before the first) and when it was leased. */
        int size;

        long leasedAt;
    }

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final ConcurrentHashMap<String, Slice> slices = new ConcurrentHashMap<>();

    public RateLimiter(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    /**
     * Admits one request of the tenant, or throws {@link RateLimited}.
     *
     * @param tenantKind what the tenant is, as the refusal names it ({@code integration},
     *     {@code application})
     * @param tenantId the tenant's id, unique within its kind
     */
    public void admit(String tenantKind, String tenantId, RateLimit limit) {
        String tenant = tenantKind + "/" + tenantId;
        long now = clock.millis();
        long windowMillis = limit.window().toMillis();
        long window = Math.floorDiv(now, windowMillis);
        if (slices.size() >= MAX_TENANTS && !slices.containsKey(tenant)) {
            // Dropping the slices only wastes what they held; the store still bounds every window.
            slices.clear();
        }
        Slice slice = slices.computeIfAbsent(tenant, t -> new Slice());
        synchronized (slice) {
            if (slice.window != window) {
                slice.window = window;
                slice.left = 0;
                slice.exhausted = false;
            }
            if (slice.left == 0 && !slice.exhausted) {
                long spentIn = now - slice.leasedAt;
                int size = limit.lease();
                if (slice.size > 0 && spentIn < GROWTH_PERIOD.toMillis()) {
                    size = Math.min(slice.size * 2, limit.maxLease());
                } else if (slice.size > 0 && spentIn < 2 * GROWTH_PERIOD.toMillis()) {
                    size = Math.min(slice.size, limit.maxLease());
                }
                int leased = lease(tenant, window, limit, size);
                if (leased == 0 && size > limit.lease()) {
                    size = limit.lease();
                    leased = lease(tenant, window, limit, size);
                }
                if (leased == 0 && size > 1) {
                    leased = lease(tenant, window, limit, 1);
                }
                slice.size = Math.max(leased, limit.lease());
                slice.leasedAt = now;
                slice.left = leased;
                slice.exhausted = leased == 0;
            }
            if (slice.left > 0) {
                slice.left--;
                return;
            }
        }
        long untilNextWindow = (window + 1) * windowMillis - now;
        throw new RateLimited(tenantKind, limit, Math.max(1, (untilNextWindow + 999) / 1000));
    }

    /** Takes {@code size} requests of the window from the shared count: {@code size}, or 0 when they do not fit. */
    private int lease(String tenant, long window, RateLimit limit, int size) {
        // Kept a window past its end so a container whose clock runs a little behind still finds it.
        long expiresAt = (window + 2) * limit.window().toMillis() / 1000;
        try {
            dynamo.updateItem(b -> b.tableName(tables.control())
                    .key(key(RateLimitKeys.counter(tenant, window), RateLimitKeys.COUNTER_SK))
                    .updateExpression("ADD spent :size SET #expires = :expires")
                    .conditionExpression("attribute_not_exists(spent) OR spent <= :most")
                    .expressionAttributeNames(Map.of("#expires", Keys.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":size", n(size),
                            ":expires", n(expiresAt),
                            ":most", n(limit.requests() - size))));
            return size;
        } catch (ConditionalCheckFailedException e) {
            return 0;
        }
    }
}
