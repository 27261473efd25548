package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import eduledger.auth.Scope;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The store goes away in the middle of a stream of ingests and comes back with its data. Clients that
 * retry with their idempotency keys must end with every event stored exactly once; while it is away
 * every route answers 503 with {@code $errors} and {@code Retry-After}, never a 500, never a hang.
 */
class StoreOutageTest {
    private static final int CLIENTS = 4;
    private static final int EVENTS_PER_CLIENT = 25;
    /** Far below the 15 s Lambda timeout, so the test runs quickly and a hang would show as no response at all. */
    private static final long STORE_TIMEOUT_MS = 400;

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void retriedIngestsSurviveAnOutageExactlyOnceAndTheOutageIsA503Everywhere() throws Exception {
        try (IsolatedStore store = new IsolatedStore()) {
            Services services = store.services(STORE_TIMEOUT_MS);
            DeployedRoutes routes = new DeployedRoutes(services);
            // Set up with the default bound: a fresh client's first calls (class loading) can take longer than the
            // test's.
            Services setup = store.services(5_000);
            var integration = setup.integrations().create("outage");
            DeployedRoutes.addSchool(setup);
            // Every scope between the operator's token and the integration's, so each route reaches the
            // store instead of stopping at a 403.
            String token = setup.tokens().issue(integration.id(), Scope.integrationScopes());
            String operator = setup.tokens().issueOperator(Scope.operatorScopes());
            // The meta routes take an application's secret.
            String secret = setup.applications().create("outage").secret();

            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger unavailable = new AtomicInteger();
            List<String> badAnswers = Collections.synchronizedList(new ArrayList<>());
            Map<String, String> idByKey = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int n = 0; n < EVENTS_PER_CLIENT; n++) {
                        String key = "client-" + client + "-event-" + n;
                        idByKey.put(key, ingestUntilAccepted(routes, token, key, unavailable, badAnswers));
                        accepted.incrementAndGet();
                    }
                    return null;
                }));
            }

            waitFor("some events accepted before the outage", () -> accepted.get() >= 20);
            store.outage(true);
            waitFor("clients answered 503 during the outage", () -> unavailable.get() >= 8);
            List<String> unavailableRoutes = everyRouteDuringTheOutage(
                    routes,
                    routeKey -> routeKey.contains(" /api/v1/integrations")
                            ? secret
                            : DeployedRoutes.operatorRoute(routeKey) ? operator : token);
            store.outage(false);
            for (Future<?> client : running) {
                client.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            clients.shutdown();

            assertEquals(List.of(), badAnswers, "answers other than 201 and a proper 503");
            assertEquals(DeployedRoutes.routeKeys(), unavailableRoutes, "routes that answered 503 during the outage");
            assertEquals(CLIENTS * EVENTS_PER_CLIENT, new HashSet<>(idByKey.values()).size());
            List<String> stored = listAll(routes, token);
            assertEquals(CLIENTS * EVENTS_PER_CLIENT, stored.size(), "events stored");
            assertEquals(new HashSet<>(idByKey.values()), new HashSet<>(stored), "stored events are the accepted ones");
        }
    }

    /** Sends one event until it is accepted, retrying each 503 with the same key, as a client should. */
    private static String ingestUntilAccepted(
            DeployedRoutes routes, String token, String key, AtomicInteger unavailable, List<String> badAnswers)
            throws InterruptedException {
        String body = DeployedRoutes.event("grade.change", "teacher-1", "{\"key\": \"" + key + "\"}")
                .replace("submission-1", key);
        Instant giveUp = Instant.now().plus(DEADLINE);
        while (Instant.now().isBefore(giveUp)) {
            Response response = routes.send(ApiCall.to("POST /api/v2/audit/events")
                    .token(token)
                    .header("Idempotency-Key", key)
                    .body(body));
            if (response.status() == 201) {
                return response.data().path("id").asText();
            }
            if (!isProperUnavailable(response)) {
                badAnswers.add(key + " -> " + response.status() + " " + response.body());
                return "failed " + key;
            }
            unavailable.incrementAndGet();
            Thread.sleep(50);
        }
        fail("the store never came back for " + key);
        return null;
    }

    private static boolean isProperUnavailable(Response response) {
        return response.status() == 503
                && response.headers().containsKey("retry-after")
                && (response.body().path("$errors").path(0).has("code")
                        || response.body().path("errors").path(0).has("message"))
                && !Json.write(response.body()).contains("Exception");
    }

    /** Calls every route while the store is down; each must come back as a proper 503. */
    private static List<String> everyRouteDuringTheOutage(
            DeployedRoutes routes, java.util.function.Function<String, String> credentialFor) {
        List<String> answered = new ArrayList<>();
        for (String routeKey : DeployedRoutes.routeKeys()) {
            // An id that could exist, so that no route can answer without asking the store.
            ApiCall call =
                    DeployedRoutes.call(routeKey, EventIds.next(Instant.now())).token(credentialFor.apply(routeKey));
            if (routeKey.contains("{collection}")) {
                call.path("collection", "organizations");
            }
            if (routeKey.contains("{scope_type}")) {
                // An institution scope is looked up in the roster; an integration scope is the caller's or none.
                call.path("scope_type", "institution");
            }
            if (DeployedRoutes.hasBody(routeKey)) {
                call.body(DeployedRoutes.validBody(routeKey));
            }
            Response response = routes.send(call);
            assertNotNull(response.body(), routeKey);
            if (isProperUnavailable(response)) {
                answered.add(routeKey);
            } else {
                fail(routeKey + " during the outage -> " + response.status() + " " + response.headers() + " "
                        + response.body());
            }
        }
        return answered;
    }

    private static List<String> listAll(DeployedRoutes routes, String token) {
        List<String> ids = new ArrayList<>();
        Response page = routes.send(DeployedRoutes.listEvents(token).query("$first", "1000"));
        assertEquals(200, page.status(), String.valueOf(page.body()));
        page.data().forEach(event -> ids.add(event.path("id").asText()));
        assertFalse(page.body().has("$next"));
        return ids;
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            assertTrue(Instant.now().isBefore(giveUp), "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }
}
