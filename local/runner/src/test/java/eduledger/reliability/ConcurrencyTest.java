package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Races the store must settle: one winner per action, one version per patch, one event per idempotency key. */
class ConcurrencyTest {
    /** Bounded: enough parallel requests to race on two cores without starving the store. */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(16);

    /** Floods one integration on purpose: its rate limit is {@code TenantRateLimitTest}'s subject. */
    private final Services services = TestServices.withTenantLimit(TestServices.shared(), 1_000_000);

    private final DeployedRoutes routes = new DeployedRoutes(services);
    private TestIntegration tenant;

    @BeforeEach
    void newIntegration() {
        tenant = TestServices.integration(services);
        DeployedRoutes.addSchool(services);
    }

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static <T> List<T> inParallel(int count, IntFunction<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(POOL.submit((Callable<T>) () -> task.apply(index)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

    private Response createSchema() {
        return routes.send(ApiCall.to("POST /api/v2/audit/schemas")
                .token(tenant.token())
                .body(DeployedRoutes.validBody("POST /api/v2/audit/schemas")));
    }

    @Test
    void fiftyParallelCreatesOfOneActionMakeOne201AndFortyNine409s() throws Exception {
        List<Integer> statuses = inParallel(50, i -> createSchema().status());
        Map<Integer, Long> counts = new HashMap<>();
        statuses.forEach(s -> counts.merge(s, 1L, Long::sum));
        assertEquals(Map.of(201, 1L, 409, 49L), counts);
        Response versions = routes.send(ApiCall.to("GET /api/v2/audit/schemas/{identifier}/versions")
                .token(tenant.token())
                .path("identifier", "course.grade"));
        assertEquals(1, versions.data().size(), "one version exists: " + versions.body());
    }

    @Test
    void twentyParallelPatchesMakeTwentyDistinctConsecutiveVersions() throws Exception {
        assertEquals(201, createSchema().status());
        List<Long> versions = inParallel(20, i -> {
            Response patched = routes.send(ApiCall.to("PATCH /api/v2/audit/schemas/{identifier}")
                    .token(tenant.token())
                    .path("identifier", "course.grade")
                    .body("{\"data\": {\"type\": \"object\", \"maxProperties\": " + (i + 1) + "}}"));
            assertEquals(200, patched.status(), String.valueOf(patched.body()));
            return patched.data().path("version_number").asLong();
        });
        assertEquals(
                LongStream.rangeClosed(2, 21).boxed().toList(),
                versions.stream().sorted().toList());
        Response listed = routes.send(ApiCall.to("GET /api/v2/audit/schemas/{identifier}/versions")
                .token(tenant.token())
                .path("identifier", "course.grade"));
        assertEquals(21, listed.data().size());
    }

    @Test
    void aThousandConcurrentRetriesOverAHundredKeysStoreExactlyAHundredEvents() throws Exception {
        List<String> ids = inParallel(1000, i -> {
            int key = i % 100;
            Response response = routes.send(ApiCall.to("POST /api/v2/audit/events")
                    .token(tenant.token())
                    .header("Idempotency-Key", "retry-" + key)
                    .body(DeployedRoutes.event("page.view", "student-" + key, "{\"n\": " + key + "}")));
            // A retry racing the first request derives the same event ids from the claimed key, so
            // every answer, first or retry, is the one event of that key.
            assertEquals(201, response.status(), String.valueOf(response.body()));
            return key + "=" + response.data().path("id").asText();
        });
        Map<String, Set<String>> idsByKey = new HashMap<>();
        ids.forEach(entry -> idsByKey.computeIfAbsent(entry.substring(0, entry.indexOf('=')), k -> new HashSet<>())
                .add(entry.substring(entry.indexOf('=') + 1)));
        assertEquals(100, idsByKey.size());
        idsByKey.forEach((key, set) -> assertEquals(1, set.size(), "key " + key + " answered with " + set));

        Response listed = routes.send(DeployedRoutes.listEvents(tenant.token()).query("$first", "1000"));
        assertEquals(200, listed.status());
        Set<String> stored = new HashSet<>();
        listed.data().forEach(event -> stored.add(event.path("id").asText()));
        assertEquals(100, listed.data().size(), "events stored");
        Set<String> answered = new HashSet<>();
        idsByKey.values().forEach(answered::addAll);
        assertEquals(answered, stored);
    }
}
