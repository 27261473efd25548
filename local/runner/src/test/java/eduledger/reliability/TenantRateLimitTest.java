package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.auth.RateLimit;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every integration route of the template holds each integration to its own limit, counted over
 * two "containers" (two sets of functions with their own limiters) sharing one table.
 */
class TenantRateLimitTest {
    private static final int LIMIT = 3;
    /** A minute into an hour-long window, so no window ends while the test runs. */
    private static final Clock CLOCK =
            Clock.fixed(Instant.now().truncatedTo(ChronoUnit.HOURS).plusSeconds(60), ZoneOffset.UTC);

    private static Services container() {
        Services shared = TestServices.shared();
        return new Services(
                shared.settings().withTenantLimit(new RateLimit(LIMIT, Duration.ofHours(1), 1)),
                shared.dynamo(),
                CLOCK);
    }

    @Test
    void eachRouteRefusesAnIntegrationPastItsLimitAcrossContainersWhileOthersAreServed() {
        DeployedRoutes first = new DeployedRoutes(container());
        DeployedRoutes second = new DeployedRoutes(container());
        List<String> failures = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (String routeKey : DeployedRoutes.routeKeys()) {
            if (routeKey.contains("/api/v2/admin/")) {
                continue; // the platform operator's routes: not a tenant's
            }
            checked.add(routeKey);
            String token = TestServices.integration(TestServices.shared()).token();
            for (int i = 0; i < LIMIT; i++) {
                ApiCall.Response answer = (i % 2 == 0 ? first : second)
                        .send(DeployedRoutes.call(routeKey, "x").token(token));
                if (answer.status() == 429) {
                    failures.add(routeKey + ": request " + (i + 1) + " of " + LIMIT + " was refused");
                }
            }
            ApiCall.Response refused =
                    second.send(DeployedRoutes.call(routeKey, "x").token(token));
            // Canvas's error shape under its course audit routes, Edlink's everywhere else.
            boolean canvas = routeKey.contains("/api/v1/audit/course/");
            String message = canvas
                    ? refused.body().path("errors").path(0).path("message").asText()
                    : refused.body().path("$errors").path(0).path("message").asText();
            if (refused.status() != 429
                    // The window opened a minute before the clock's time: it ends 59 minutes later.
                    || !"3540".equals(refused.headers().get("retry-after"))
                    || !message.contains(LIMIT + " requests per 3600 seconds")
                    || (!canvas && !"RATE_LIMITED".equals(refused.firstErrorCode()))) {
                failures.add(routeKey + ": " + refused.status() + " " + refused.headers() + " " + refused.body());
            }
            String someoneElse = TestServices.integration(TestServices.shared()).token();
            assertNotEquals(
                    429,
                    first.send(DeployedRoutes.call(routeKey, "x").token(someoneElse))
                            .status(),
                    routeKey + " refused an integration that had made no request");
        }
        assertEquals(List.of(), failures);
        assertFalse(checked.isEmpty());
        assertTrue(checked.contains("POST /api/v2/audit/events"), String.valueOf(checked));
    }

    /** An application's secret key spends the application's own budget, not its integrations'. */
    @Test
    void anApplicationIsHeldToItsOwnLimitAcrossContainers() {
        DeployedRoutes first = new DeployedRoutes(container());
        DeployedRoutes second = new DeployedRoutes(container());
        String secret = TestServices.shared().applications().create("limited").secret();
        String route = "GET /api/v1/integrations";
        for (int i = 0; i < LIMIT; i++) {
            ApiCall.Response answer = (i % 2 == 0 ? first : second)
                    .send(DeployedRoutes.call(route, "x").token(secret));
            assertEquals(200, answer.status(), "request " + (i + 1) + ": " + answer.body());
        }
        ApiCall.Response refused = second.send(DeployedRoutes.call(route, "x").token(secret));
        assertEquals(429, refused.status(), String.valueOf(refused.body()));
        assertEquals("RATE_LIMITED", refused.firstErrorCode());
        assertTrue(
                refused.body()
                        .path("$errors")
                        .path(0)
                        .path("message")
                        .asText()
                        .startsWith("This application may make " + LIMIT + " requests per 3600 seconds"),
                String.valueOf(refused.body()));
        String anotherApplication =
                TestServices.shared().applications().create("unlimited").secret();
        assertEquals(
                200,
                first.send(DeployedRoutes.call(route, "x").token(anotherApplication))
                        .status());
    }
}
