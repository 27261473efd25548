package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * Sends the event as Lambda's bytes with every lone surrogate written as the JSON escape an
     * event can carry ({@code \\ud800}): UTF-8 itself cannot hold one.
     */
    private static JsonNode sendEscaped(HttpApiEvent event, HttpFunction entry) throws Exception {
        String json = Json.write(event.json());
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))
                    : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(json.charAt(i - 1));
            if (Character.isSurrogate(c) && !paired) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        byte[] response =
                HttpApiEvent.invoke(entry, escaped.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode answer = Json.read(new java.io.ByteArrayInputStream(response));
        ObjectNode result = Json.object();
        result.put("status", answer.path("statusCode").asInt());
        String body = eduledger.testing.ApiCall.bodyOf(answer);
        result.set("body", Json.read(body.isEmpty() ? "{}" : body));
        return result;
    }

    @Test
    void aLoneSurrogateInAPathParameterQueryOrHeaderIsA400() throws Exception {
        // An event's JSON can carry one as an escape; the store would keep it, or look it up, as ?.
        Router router = new Router(services.authenticator())
                .on("GET /things/{id}", Scope.AUDIT_READ, java.util.Set.of("colour"), (request, caller) -> {
                    ObjectNode read = Json.object();
                    read.put("id", request.pathParameter("id"));
                    read.put("colour", request.query("colour"));
                    read.put("user", request.header("x-user-id"));
                    return Reply.ok(read);
                });
        String token = TestServices.integration(services).token();
        HttpFunction entry = (event, context) -> router.handle(event);
        String pair = "\ud83d\ude00";
        JsonNode fine = sendEscaped(
                HttpApiEvent.to("GET /things/{id}")
                        .path("id", "a" + pair)
                        .query("colour", pair)
                        .header("x-user-id", pair)
                        .header("authorization", "Bearer " + token),
                entry);
        assertEquals(200, fine.path("status").asInt(), fine.toString());
        assertEquals(pair, fine.path("body").path("$data").path("colour").asText());
        for (String lone : new String[] {"\ud800", "x\udc00", "\ude00" + pair}) {
            JsonNode path = sendEscaped(
                    HttpApiEvent.to("GET /things/{id}").path("id", lone).header("authorization", "Bearer " + token),
                    entry);
            assertEquals(400, path.path("status").asInt(), path.toString());
            assertEquals(
                    "INVALID_PATH_PARAMETER",
                    path.path("body").path("$errors").path(0).path("code").asText());
            JsonNode query = sendEscaped(
                    HttpApiEvent.to("GET /things/{id}")
                            .path("id", "a")
                            .query("colour", lone)
                            .header("authorization", "Bearer " + token),
                    entry);
            assertEquals(400, query.path("status").asInt(), query.toString());
            assertEquals(
                    "INVALID_PARAMETER",
                    query.path("body").path("$errors").path(0).path("code").asText());
            JsonNode header = sendEscaped(
                    HttpApiEvent.to("GET /things/{id}")
                            .path("id", "a")
                            .header("x-user-id", lone)
                            .header("authorization", "Bearer " + token),
                    entry);
            assertEquals(400, header.path("status").asInt(), header.toString());
            assertEquals(
                    "INVALID_HEADER",
                    header.path("body").path("$errors").path(0).path("code").asText());
        }
    }

    /** The body's bound is on its UTF-8 bytes, however many characters carry them. */
    @Test
    void aBodyIsBoundedByItsUtf8Bytes() {
        Router router = new Router(services.authenticator())
                .on(
                        "POST /things",
                        Scope.AUDIT_WRITE,
                        (request, caller) -> Reply.ok(Json.object()
                                .put(
                                        "length",
                                        request.jsonBody().path("s").asText().length())));
        HttpFunction entry = (event, context) -> router.handle(event);
        String token = TestServices.integration(services).token();
        // {"s":"..."} is 8 bytes around the string; "é" is two bytes, "€" three.
        int room = ApiRequest.MAX_BODY_BYTES - 8;
        String fits = "€".repeat(room / 3) + "é".repeat((room % 3) / 2) + "x".repeat(room % 3 % 2);
        ApiCall.Response accepted = ApiCall.to("POST /things")
                .token(token)
                .body("{\"s\":\"" + fits + "\"}")
                .send(entry);
        assertEquals(200, accepted.status(), accepted.body().toString());
        assertEquals(fits.length(), accepted.body().path("$data").path("length").asInt());
        ApiCall.Response refused = ApiCall.to("POST /things")
                .token(token)
                .body("{\"s\":\"" + fits + "x\"}")
                .send(entry);
        assertEquals(413, refused.status());
        assertEquals("PAYLOAD_TOO_LARGE", refused.firstErrorCode());
    }
}
