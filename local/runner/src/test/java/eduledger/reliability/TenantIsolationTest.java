package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Scope;
import eduledger.auth.Tokens;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Two integrations that chose the same ids (action, course, account, client event id): whatever one
 * sends with its token, it never sees the other's data; cursors and page tokens of one are refused
 * for the other; tokens are never stored or logged in clear; every route enforces its scope.
 */
class TenantIsolationTest {
    private static final Services SERVICES = TestServices.shared();
    private static final DeployedRoutes ROUTES = new DeployedRoutes(SERVICES);
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private static Tenant alice;
    private static Tenant bob;
    /** Ids only Alice's data carries: her integration, schema, versions, events and course events. */
    private static Set<String> aliceOnly;

    @BeforeAll
    static void twoTenantsWithOverlappingIds() {
        String sharedClientEventId = EventIds.next(Instant.now().minusSeconds(30));
        alice = Tenant.withApplication(SERVICES, ROUTES, sharedClientEventId);
        bob = Tenant.withApplication(SERVICES, ROUTES, sharedClientEventId);
        aliceOnly = new HashSet<>();
        aliceOnly.add(alice.id());
        for (String routeKey : DeployedRoutes.routeKeys()) {
            if (routeKey.startsWith("GET ")) {
                // Routes the tenant has nothing behind (graph events need the stream) or no scope for
                // (admin) answer 404 or 403: they still take part in every check below.
                Response response = ROUTES.send(pageOf(alice.call(routeKey), routeKey, "100"));
                assertTrue(
                        response.status() == 200 || response.status() == 404 || response.status() == 403,
                        routeKey + " " + response.body());
                collectIds(response.body(), aliceOnly);
            }
        }
        Set<String> bobs = new HashSet<>();
        for (String routeKey : DeployedRoutes.routeKeys()) {
            if (routeKey.startsWith("GET ")) {
                collectIds(
                        ROUTES.send(pageOf(bob.call(routeKey), routeKey, "100")).body(), bobs);
            }
        }
        // What both chose (action, course, account, the client event id) is not a leak when it comes back.
        aliceOnly.removeAll(bobs);
        aliceOnly.removeIf(id -> id.length() < 20);
        assertTrue(aliceOnly.size() > 10, "Alice's own ids: " + aliceOnly);
    }

    /** Every id-like value in a response: "id", "version", and ids inside links. */
    private static void collectIds(JsonNode node, Set<String> ids) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual()
                        && (field.getKey().equals("id")
                                || field.getKey().endsWith("_id")
                                || field.getKey().equals("version"))) {
                    ids.add(field.getValue().asText());
                }
                collectIds(field.getValue(), ids);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectIds(child, ids));
        }
    }

    /** An id of Alice's in the response that the request did not carry itself (a 404 may echo what was asked). */
    private static String leakIn(ApiCall request, Response response) {
        var event = request.event();
        String sent = event.getRawPath() + " " + event.getRawQueryString() + " "
                + URLDecoder.decode(event.getRawQueryString(), StandardCharsets.UTF_8);
        String body = response.body() == null ? "" : Json.write(response.body()) + response.headers();
        return aliceOnly.stream()
                .filter(id -> body.contains(id) && !sent.contains(id))
                .findFirst()
                .orElse(null);
    }

    @Test
    void everyRouteWithAlicesIdsAndBobsTokenShowsNothingOfAlices() {
        List<String> leaks = new ArrayList<>();
        for (String routeKey : DeployedRoutes.routeKeys()) {
            ApiCall call = alice.call(routeKey).token(bob.tokenFor(routeKey));
            if (DeployedRoutes.hasBody(routeKey)) {
                call.body(DeployedRoutes.validBody(routeKey));
            }
            Response response = ROUTES.send(call);
            String leak = leakIn(call, response);
            if (leak != null || response.status() >= 500) {
                leaks.add(routeKey + " -> " + response.status() + " (" + leak + ") " + response.body());
            }
        }
        // Alice's own generated ids, asked for by Bob: not found, however they are reached.
        for (String id :
                List.of(alice.pathValues().get("id"), alice.pathValues().get("version"))) {
            for (String routeKey : List.of(
                    "GET /api/v2/audit/events/{id}",
                    "GET /api/v2/audit/schemas/{identifier}",
                    "GET /api/v2/audit/schemas/{identifier}/versions/{version}")) {
                ApiCall call =
                        bob.call(routeKey).path("id", id).path("version", id).path("identifier", id);
                Response response = ROUTES.send(call);
                if (response.status() != 404 || leakIn(call, response) != null) {
                    leaks.add(routeKey + " with " + id + " -> " + response.status() + " " + response.body());
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    /**
     * A page of {@code size} in the paging parameter the route's API takes: routes take only their
     * own parameters, so a list route gets Edlink's {@code $first} or Canvas's {@code per_page}, a
     * single object's route none.
     */
    private static ApiCall pageOf(ApiCall call, String routeKey, String size) {
        if (routeKey.contains(" /api/v1/audit/course/")) {
            return call.query("per_page", size);
        }
        return DeployedRoutes.isList(routeKey) ? call.query("$first", size) : call;
    }

    @Test
    void alicesCursorsAndPageTokensAreRefusedForBob() {
        List<String> problems = new ArrayList<>();
        int pagedRoutes = 0;
        int pageTokens = 0;
        for (String routeKey : DeployedRoutes.routeKeys()) {
            if (!routeKey.startsWith("GET ")) {
                continue;
            }
            Response first = ROUTES.send(pageOf(alice.call(routeKey), routeKey, "1"));
            String next = first.next() != null ? first.next() : nextLink(first);
            if (next == null) {
                continue;
            }
            pagedRoutes++;
            ApiCall followed = followAs(routeKey, next, alice);
            Response asAlice = ROUTES.send(followed);
            assertEquals(200, asAlice.status(), routeKey + " page 2 for Alice: " + asAlice.body());
            ApiCall bobFollowing = followAs(routeKey, next, bob);
            Response asBob = ROUTES.send(bobFollowing);
            String leak = leakIn(bobFollowing, asBob);
            if (asBob.status() == 200 || asBob.status() >= 500 || leak != null) {
                // An Edlink anchor that is an id both chose (an action id) may page Bob's own list; his data only.
                if (!(asBob.status() == 200 && leak == null && next.contains("$after"))) {
                    problems.add(routeKey + " Alice's next page for Bob -> " + asBob.status() + " " + asBob.body());
                }
            }
            String token = queryValue(next, "page");
            if (token != null) {
                pageTokens++;
                for (String tampered : tamperings(token)) {
                    Response response = ROUTES.send(alice.call(routeKey).query("page", tampered));
                    if (response.status() != 400) {
                        problems.add(routeKey + " tampered token -> " + response.status() + " " + response.body());
                    }
                }
                Response stolen = ROUTES.send(bob.call(routeKey).query("page", token));
                if (stolen.status() != 400) {
                    problems.add(routeKey + " Alice's page token for Bob -> " + stolen.status() + " " + stolen.body());
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(pagedRoutes >= 4, "routes with a second page: " + pagedRoutes);
        assertTrue(pageTokens >= 2, "Canvas page tokens tried: " + pageTokens);
    }

    private static List<String> tamperings(String token) {
        List<String> tampered = new ArrayList<>();
        for (int i : new int[] {0, token.length() / 2, token.length() - 1}) {
            char c = token.charAt(i);
            tampered.add(token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1));
        }
        tampered.add(token.substring(0, token.length() - 4));
        tampered.add(token + "AAAA");
        return tampered;
    }

    private static ApiCall followAs(String routeKey, String url, Tenant tenant) {
        ApiCall call = ApiCall.follow(routeKey, url).token(tenant.tokenFor(routeKey));
        tenant.pathValues().forEach(call::path);
        return call;
    }

    private static String nextLink(Response response) {
        Matcher matcher = NEXT_LINK.matcher(response.headers().getOrDefault("link", ""));
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String queryValue(String url, String name) {
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Test
    void tokensAreNeitherStoredNorLoggedInClear() {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(capture);
        System.setOut(capture);
        try {
            for (String routeKey : DeployedRoutes.routeKeys()) {
                for (String header : List.of(
                        "Bearer " + alice.token(),
                        "Bearer " + alice.token() + "x",
                        "Basic " + alice.token(),
                        alice.token(),
                        "Bearer  " + bob.token() + " trailing",
                        "Bearer " + alice.secret() + "x",
                        "Basic " + bob.secret())) {
                    ROUTES.send(
                            alice.call(routeKey).header("authorization", header).body("{"));
                }
            }
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        for (String token : List.of(alice.token(), bob.token(), alice.secret(), bob.secret())) {
            assertFalse(logged.contains(token), "a token in the log");
            assertFalse(
                    logged.contains(token.substring(Tokens.PREFIX.length(), Tokens.PREFIX.length() + 16)),
                    "part of a token in the log");
        }

        List<String> storedValues = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = SERVICES.dynamo()
                    .scan(b -> b.tableName(SERVICES.tables().control()).exclusiveStartKey(from));
            page.items().forEach(item -> item.values().forEach(value -> storedValues.add(value.toString())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        String stored = String.join("\n", storedValues);
        for (String token : List.of(alice.token(), bob.token(), alice.secret(), bob.secret())) {
            assertFalse(stored.contains(token.substring(Tokens.PREFIX.length())), "a clear token in the control table");
            assertTrue(stored.contains(Tokens.hash(token)), "the token's hash is what is stored");
        }
    }

    /**
     * Every route admits exactly one kind of credential: one scope of an integration's token, the
     * operator's token, or an application's secret key (the audit event and meta routes: an
     * integration of an application cannot use its token there). What an integration may learn of
     * itself ({@code /my/integration}) takes any integration's token, and no other credential.
     */
    @Test
    void everyRouteOfTheTemplateDemandsExactlyOneScope() {
        Map<String, String> singleScopeTokens = new java.util.TreeMap<>();
        for (Scope scope : Scope.values()) {
            if (scope != Scope.APPLICATION) {
                singleScopeTokens.put(
                        scope.id(),
                        scope.operatorOnly()
                                ? SERVICES.tokens().issueOperator(Set.of(scope))
                                : SERVICES.tokens().issue(alice.id(), Set.of(scope)));
            }
        }
        // A stored token of an integration naming the application scope gets nothing from it.
        singleScopeTokens.put(
                "integration token naming application", SERVICES.tokens().issue(alice.id(), Set.of(Scope.APPLICATION)));
        singleScopeTokens.put("application secret", alice.secret());
        Set<String> everyIntegrationToken = new java.util.TreeSet<>(singleScopeTokens.keySet());
        everyIntegrationToken.removeAll(Set.of(Scope.ADMIN.id(), Scope.SOURCE_WRITE.id(), "application secret"));
        List<String> problems = new ArrayList<>();
        for (String routeKey : DeployedRoutes.routeKeys()) {
            Set<String> admitted = new java.util.TreeSet<>();
            for (var entry : singleScopeTokens.entrySet()) {
                ApiCall call = alice.call(routeKey).token(entry.getValue());
                if (DeployedRoutes.hasBody(routeKey)) {
                    call.body("{");
                }
                Response response = ROUTES.send(call);
                if (response.status() == 403) {
                    if (!Set.of("INSUFFICIENT_SCOPE", "APPLICATION_SECRET_REQUIRED", "INTEGRATION_TOKEN_REQUIRED")
                                    .contains(String.valueOf(response.firstErrorCode()))
                            && !response.body()
                                    .path("errors")
                                    .path(0)
                                    .path("message")
                                    .asText()
                                    .contains("scope")) {
                        problems.add(routeKey + " 403 without naming the scope: " + response.body());
                    }
                } else {
                    admitted.add(entry.getKey());
                }
            }
            if (routeKey.equals("GET /api/v2/my/integration")) {
                if (!admitted.equals(everyIntegrationToken)) {
                    problems.add(routeKey + " admits " + admitted);
                }
            } else if (admitted.size() != 1) {
                problems.add(routeKey + " admits " + admitted);
            } else if (Tenant.takesSecret(routeKey) != admitted.contains("application secret")) {
                problems.add(routeKey + " admits " + admitted);
            }
            for (String header : List.of("", "Bearer", "Bearer edl_unknown", "Token abc")) {
                Response response = ROUTES.send(alice.call(routeKey).header("authorization", header));
                if (response.status() != 401) {
                    problems.add(routeKey + " with authorization '" + header + "' -> " + response.status());
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
