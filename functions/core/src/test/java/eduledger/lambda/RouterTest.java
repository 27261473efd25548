package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.auth.Scope;
import eduledger.json.Json;
import eduledger.testing.ApiCall;
import eduledger.testing.TestServices;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Services services = TestServices.shared();

    @Test
    void anUnexpectedFailureIsA500WithoutItsStackTrace() {
        Router router = new Router(services.authenticator()).on("GET /boom", Scope.AUDIT_READ, (request, caller) -> {
            throw new IllegalStateException("secret detail");
        });
        var token = TestServices.integration(services).token();
        ApiCall.Response response = ApiCall.to("GET /boom").token(token).send((event, context) -> router.handle(event));
        assertEquals(500, response.status());
        assertEquals("INTERNAL_ERROR", response.firstErrorCode());
        assertFalse(response.body().toString().contains("secret detail"));
        assertFalse(response.body().toString().contains("IllegalStateException"));
    }

    @Test
    void routesItDoesNotDeclareAreNotFound() {
        Router router = new Router(services.authenticator());
        ApiCall.Response response = ApiCall.to("GET /elsewhere").send((event, context) -> router.handle(event));
        assertEquals(404, response.status());
        assertEquals("ROUTE_NOT_FOUND", response.firstErrorCode());
    }

    @Test
    void aQueryParameterTheRouteDoesNotDeclareIsA400NamingIt() {
        AtomicInteger actions = new AtomicInteger();
        Router router = new Router(services.authenticator())
                .on("GET /things", Scope.AUDIT_READ, java.util.Set.of("colour"), (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                })
                .on("GET /other", Scope.AUDIT_READ, (request, caller) -> Reply.ok(Json.object()));
        var token = TestServices.integration(services).token();
        HttpFunction entry = (event, context) -> router.handle(event);
        assertEquals(
                200,
                ApiCall.to("GET /things")
                        .query("colour", "red")
                        .token(token)
                        .send(entry)
                        .status());
        ApiCall.Response unknown = ApiCall.to("GET /things")
                .query("colour", "red")
                .query("size", "large")
                .token(token)
                .send(entry);
        assertEquals(400, unknown.status());
        assertEquals("UNKNOWN_PARAMETER", unknown.firstErrorCode());
        String message = unknown.body().path("$errors").path(0).path("message").asText();
        assertTrue(message.contains("size") && message.contains("colour"), message);
        assertEquals(
                400,
                ApiCall.to("GET /other")
                        .query("colour", "red")
                        .token(token)
                        .send(entry)
                        .status());
        // A Canvas route takes access_token besides its own; an Edlink route does not.
        assertEquals(
                400,
                ApiCall.to("GET /things")
                        .query("access_token", token)
                        .token(token)
                        .send(entry)
                        .status());
        assertEquals(1, actions.get());
    }

    @Test
    void aMethodThePathDoesNotTakeIsA405WithAllow() {
        Router router = new Router(services.authenticator())
                .on("GET /things/{id}", Scope.AUDIT_READ, (request, caller) -> Reply.ok(Json.object()))
                .on("PUT /things/{id}", Scope.AUDIT_WRITE, (request, caller) -> Reply.ok(Json.object()));
        ApiCall.Response response =
                ApiCall.to("DELETE /things/{id}").path("id", "1").send((event, context) -> router.handle(event));
        assertEquals(405, response.status());
        assertEquals("METHOD_NOT_ALLOWED", response.firstErrorCode());
        assertEquals("GET, PUT", response.headers().get("allow"));
    }

    @Test
    void primingVisitsEveryRouteButNeverRunsAnAction() {
        AtomicInteger actions = new AtomicInteger();
        Router router = new Router(services.authenticator())
                .on("POST /things", Scope.AUDIT_WRITE, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                })
                .on("GET /things/{id}", Scope.AUDIT_READ, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                });
        router.prime((event, context) -> router.handle(event));
        assertEquals(0, actions.get());
        // The same router still serves a real caller afterwards.
        var token = TestServices.integration(services).token();
        assertEquals(
                200,
                ApiCall.to("GET /things/{id}")
                        .path("id", "1")
                        .token(token)
                        .send((event, context) -> router.handle(event))
                        .status());
        assertEquals(1, actions.get());
        assertTrue(router.routeKeys().contains("POST /things"));
    }

    @Test
    void primingThroughTheStreamEntryNeverRunsAnAction() {
        AtomicInteger actions = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Router router = new Router(services.authenticator())
                .on("PUT /things/{id}", Scope.AUDIT_WRITE, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                });
        HttpFunction entry = (event, context) -> {
            APIGatewayV2HTTPResponse response = router.handle(event);
            assertEquals("PUT", event.getRequestContext().getHttp().getMethod());
            assertEquals(401, response.getStatusCode());
            answered.incrementAndGet();
            return response;
        };
        router.prime(entry);
        assertEquals(1, answered.get());
        assertEquals(0, actions.get());
    }

    @Test
    void aCallerOverItsLimitIsA429WithRetryAfterNamingTheLimitInEachApisErrorShape() {
        // A day ahead, so the counters' expiry (a window after it ends) is not reached during the test.
        var clock = new eduledger.testing.SettableClock(java.time.Instant.now()
                .plus(java.time.Duration.ofDays(1))
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                .plusSeconds(4));
        var limiter = new eduledger.auth.RateLimiter(services.dynamo(), services.tables(), clock);
        var limit = new eduledger.auth.RateLimit(2, java.time.Duration.ofSeconds(10), 1);
        AtomicInteger actions = new AtomicInteger();
        Router edlink = new Router(services.authenticator())
                .limitedBy(limiter, limit)
                .on("GET /things", Scope.AUDIT_READ, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                });
        Router canvas = new Router(services.authenticator(), ResponseStyle.CANVAS)
                .limitedBy(limiter, limit)
                .on("GET /api/v1/things", Scope.AUDIT_READ, (request, caller) -> Reply.ok(Json.object()));
        var token = TestServices.integration(services).token();
        var other = TestServices.integration(services).token();
        HttpFunction edlinkEntry = (event, context) -> edlink.handle(event);
        HttpFunction canvasEntry = (event, context) -> canvas.handle(event);
        assertEquals(
                200, ApiCall.to("GET /things").token(token).send(edlinkEntry).status());
        // The limit counts the integration across routes and APIs, not per route.
        assertEquals(
                200,
                ApiCall.to("GET /api/v1/things").token(token).send(canvasEntry).status());

        ApiCall.Response refused = ApiCall.to("GET /things").token(token).send(edlinkEntry);
        assertEquals(429, refused.status());
        assertEquals("RATE_LIMITED", refused.firstErrorCode());
        assertEquals("6", refused.headers().get("retry-after"));
        assertTrue(
                refused.body().path("$errors").path(0).path("message").asText().contains("2 requests per 10 seconds"),
                refused.body().toString());
        assertEquals(1, actions.get());

        ApiCall.Response canvasRefused =
                ApiCall.to("GET /api/v1/things").token(token).send(canvasEntry);
        assertEquals(429, canvasRefused.status());
        assertEquals("6", canvasRefused.headers().get("retry-after"));
        assertTrue(canvasRefused
                .body()
                .path("errors")
                .path(0)
                .path("message")
                .asText()
                .contains("2 requests per 10 seconds"));

        assertEquals(
                200, ApiCall.to("GET /things").token(other).send(edlinkEntry).status());
        clock.advance(java.time.Duration.ofSeconds(6));
        assertEquals(
                200, ApiCall.to("GET /things").token(token).send(edlinkEntry).status());
    }
}
