package eduledger.auth;

import static eduledger.storage.Attributes.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.lambda.Services;
import eduledger.storage.Attributes;
import eduledger.testing.SettableClock;
import eduledger.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two limiters on one table stand for two containers of a function, or two functions. */
class RateLimiterTest {
    /**
     * A window a day ahead: the counters expire (TTL) a window after it ends, and the engine removes
     * expired items, so a window in the past would lose its count while the test runs.
     */
    private static final Instant WINDOW_START =
            Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);

    private final Services services = TestServices.shared();
    private final SettableClock clock = new SettableClock(WINDOW_START.plusSeconds(3));

    private RateLimiter container() {
        return new RateLimiter(services.dynamo(), services.tables(), clock);
    }

    private static boolean admitted(RateLimiter limiter, String tenant, RateLimit limit) {
        try {
            limiter.admit("integration", tenant, limit);
            return true;
        } catch (RateLimited e) {
            return false;
        }
    }

    @Test
    void twoContainersTogetherAdmitNoMoreThanTheLimitInAWindow() {
        RateLimit limit = new RateLimit(100, Duration.ofSeconds(10), 7);
        String tenant = UUID.randomUUID().toString();
        RateLimiter first = container();
        RateLimiter second = container();
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            admitted += admitted(first, tenant, limit) ? 1 : 0;
            admitted += admitted(second, tenant, limit) ? 1 : 0;
        }
        // Both containers kept asking, so every leased request was spent: exactly the limit.
        assertEquals(100, admitted);
        var counter = services.dynamo()
                .getItem(b -> b.tableName(services.tables().control())
                        .key(key(
                                RateLimitKeys.counter("integration/" + tenant, WINDOW_START.toEpochMilli() / 10_000),
                                RateLimitKeys.COUNTER_SK))
                        .consistentRead(true))
                .item();
        assertEquals(100, Attributes.number(counter, "spent"));
        assertTrue(Attributes.number(counter, "expires_at") > WINDOW_START.getEpochSecond() + 10);
    }

    private long spent(String tenant) {
        var counter = services.dynamo()
                .getItem(b -> b.tableName(services.tables().control())
                        .key(key(
                                RateLimitKeys.counter("integration/" + tenant, WINDOW_START.toEpochMilli() / 10_000),
                                RateLimitKeys.COUNTER_SK))
                        .consistentRead(true))
                .item();
        return Attributes.number(counter, "spent");
    }

    @Test
    void aContainerThatSpendsItsSliceWithinASecondLeasesTwiceAsMuchUpToATenthOfTheLimit() {
        RateLimit limit = RateLimit.of(1000, Duration.ofSeconds(10));
        assertEquals(20, limit.lease());
        assertEquals(100, limit.maxLease());
        String tenant = UUID.randomUUID().toString();
        RateLimiter limiter = container();
        limiter.admit("integration", tenant, limit);
        assertEquals(20, spent(tenant));
        // Spent within a second (the clock stands still): 40, 80, then a tenth of the limit, 100.
        for (int i = 1; i < 21; i++) {
            limiter.admit("integration", tenant, limit);
        }
        assertEquals(60, spent(tenant));
        for (int i = 21; i < 61; i++) {
            limiter.admit("integration", tenant, limit);
        }
        assertEquals(140, spent(tenant));
        for (int i = 61; i < 141; i++) {
            limiter.admit("integration", tenant, limit);
        }
        assertEquals(240, spent(tenant));
        for (int i = 141; i < 241; i++) {
            limiter.admit("integration", tenant, limit);
        }
        assertEquals(340, spent(tenant));
        // A slice that lasted between one and two seconds is followed by one of its size.
        for (int i = 241; i < 340; i++) {
            limiter.admit("integration", tenant, limit);
        }
        clock.advance(RateLimiter.GROWTH_PERIOD);
        limiter.admit("integration", tenant, limit);
        assertEquals(440, spent(tenant));
        // One that lasted two seconds or more by one of the first size.
        clock.advance(RateLimiter.GROWTH_PERIOD.multipliedBy(2));
        for (int i = 342; i < 441; i++) {
            limiter.admit("integration", tenant, limit);
        }
        assertEquals(440, spent(tenant));
        limiter.admit("integration", tenant, limit);
        assertEquals(460, spent(tenant));
    }

    @Test
    void aGrownSliceThatNoLongerFitsFallsBackToTheFirstSizeThenToSingleRequests() {
        RateLimit limit = new RateLimit(100, Duration.ofSeconds(10), 4);
        assertEquals(10, limit.maxLease());
        String tenant = UUID.randomUUID().toString();
        RateLimiter busy = container();
        RateLimiter other = container();
        // other takes 4 + 8 + 10 x 8 = 92 of 100 at growing sizes, leaving 8.
        for (int i = 0; i < 92; i++) {
            other.admit("integration", tenant, limit);
        }
        assertEquals(92, spent(tenant));
        // busy grows too: 4, then 8 fits no more (4 + 8 > 8 left), so the first size again: 4.
        for (int i = 0; i < 8; i++) {
            busy.admit("integration", tenant, limit);
        }
        assertEquals(100, spent(tenant));
        assertThrows(RateLimited.class, () -> busy.admit("integration", tenant, limit));
        assertThrows(RateLimited.class, () -> other.admit("integration", tenant, limit));
    }

    @Test
    void aContainerThatRanOutRefusesWithTheTimeToTheNextWindowAndAdmitsAgainThere() {
        RateLimit limit = new RateLimit(5, Duration.ofSeconds(10), 2);
        String tenant = UUID.randomUUID().toString();
        RateLimiter limiter = container();
        for (int i = 0; i < 5; i++) {
            limiter.admit("integration", tenant, limit);
        }
        RateLimited refused = assertThrows(RateLimited.class, () -> limiter.admit("integration", tenant, limit));
        assertEquals(7, refused.retryAfterSeconds());
        assertEquals(limit, refused.limit());
        assertTrue(refused.getMessage().contains("5 requests per 10 seconds"), refused.getMessage());
        clock.advance(Duration.ofMillis(6_500));
        assertEquals(
                1,
                assertThrows(RateLimited.class, () -> limiter.admit("integration", tenant, limit))
                        .retryAfterSeconds());
        clock.advance(Duration.ofMillis(500));
        limiter.admit("integration", tenant, limit);
    }

    @Test
    void tenantsDoNotShareABudget() {
        RateLimit limit = new RateLimit(3, Duration.ofSeconds(60), 3);
        String runaway = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        RateLimiter limiter = container();
        for (int i = 0; i < 3; i++) {
            limiter.admit("integration", runaway, limit);
        }
        assertThrows(RateLimited.class, () -> limiter.admit("integration", runaway, limit));
        assertThrows(RateLimited.class, () -> limiter.admit("integration", runaway, limit));
        for (int i = 0; i < 3; i++) {
            limiter.admit("integration", other, limit);
        }
        // The same id under another kind of tenant is another tenant.
        limiter.admit("application", runaway, limit);
    }

    @Test
    void theLastRequestsOfAWindowAreLeasedOneAtATimeOnceAFullSliceNoLongerFits() {
        RateLimit limit = new RateLimit(10, Duration.ofSeconds(10), 4);
        String tenant = UUID.randomUUID().toString();
        RateLimiter first = container();
        RateLimiter second = container();
        // first leases 4 and 4 (8 of 10); second cannot lease 4, so it takes the last 2 one by one.
        for (int i = 0; i < 8; i++) {
            first.admit("integration", tenant, limit);
        }
        second.admit("integration", tenant, limit);
        second.admit("integration", tenant, limit);
        assertThrows(RateLimited.class, () -> second.admit("integration", tenant, limit));
        assertThrows(RateLimited.class, () -> first.admit("integration", tenant, limit));
    }
}
