package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.audit.AuditKeys;
import eduledger.audit.AuditScope;
import eduledger.auth.Scope;
import eduledger.lambda.Services;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;

/**
 * DynamoDB answers a BatchWriteItem under throttling by leaving items unprocessed; the engine does so
 * on demand. Every item must still be written, or the request must end as a 503 that a retry with
 * the same idempotency key completes.
 */
class UnprocessedItemsTest {
    private static final String INGEST = "POST /api/v2/audit/events";
    /** Fewer than the store's attempts at one chunk, so that the retries outlast them. */
    private static final int FAULTED_CALLS = 4;

    /** Counts the batch calls the functions make, so a test can tell that the faults were met. */
    static final class BatchCalls implements ExecutionInterceptor {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof BatchWriteItemRequest
                    || context.request() instanceof BatchGetItemRequest) {
                count.incrementAndGet();
            }
        }
    }

    /** A batch of events, each with targets, so that it takes several BatchWriteItem calls of 25. */
    private static String batch(int events) {
        StringBuilder body = new StringBuilder("{\"events\": [");
        for (int i = 0; i < events; i++) {
            body.append(i == 0 ? "" : ",")
                    .append(DeployedRoutes.event("grade.change", "teacher-" + i, "{}")
                            .replace(
                                    "\"targets\": [",
                                    "\"targets\": [{\"identifiers\": [{\"value\": \"course-1\", \"issuer\": \"sis\"}],"
                                            + " \"type\": \"course\"}, ")
                            .replace("submission-1", "submission-" + i));
        }
        return body.append("]}").toString();
    }

    private static Set<String> storedIds(DeployedRoutes routes, String token, String targetId) {
        Set<String> ids = new HashSet<>();
        ApiCall call = DeployedRoutes.listEvents(token).query("$first", "1000");
        if (targetId != null) {
            call.query("target.value", targetId);
        }
        Response page = routes.send(call);
        assertEquals(200, page.status(), String.valueOf(page.body()));
        page.data().forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    @Test
    void aThrottledScopeGrowsItsShardsFromATimeAhead() {
        try (IsolatedStore store = new IsolatedStore()) {
            Services services = store.services(5_000);
            DeployedRoutes routes = new DeployedRoutes(services);
            TestIntegration tenant = TestServices.integration(services, Scope.AUDIT_WRITE, Scope.AUDIT_READ);
            DeployedRoutes.addSchool(services);
            String layoutTenant = AuditKeys.listLayoutTenant(
                    tenant.id(), new AuditScope(DeployedRoutes.SCHOOL, AuditScope.INSTITUTION));
            ShardLayouts layouts = new ShardLayouts(services.dynamo(), services.tables(), services.clock());
            assertEquals(ShardLayout.SINGLE, layouts.current(layoutTenant));

            Instant before = services.clock().instant();
            store.unprocessedItems(FAULTED_CALLS);
            Response response =
                    routes.send(ApiCall.to(INGEST).token(tenant.token()).body(batch(40)));
            assertEquals(200, response.status(), String.valueOf(response.body()));

            ShardLayout grown = layouts.current(layoutTenant);
            assertEquals(2, grown.epochs().size(), grown.toString());
            assertEquals(2, grown.last().shards());
            assertTrue(
                    !grown.last().from().isBefore(before.plus(AuditKeys.LIST_LAYOUT.lead())),
                    "the new epoch starts no sooner than the lead after the throttle: " + grown);
            // The events written meanwhile stay where the layout in force put them, and are all listed.
            assertEquals(40, storedIds(routes, tenant.token(), null).size());
        }
    }

    @Test
    void unprocessedItemsAreRetriedUntilEveryItemIsWritten() {
        try (IsolatedStore store = new IsolatedStore()) {
            BatchCalls calls = new BatchCalls();
            Services services = store.services(5_000, calls);
            DeployedRoutes routes = new DeployedRoutes(services);
            String token = TestServices.integration(services, Scope.AUDIT_WRITE, Scope.AUDIT_READ)
                    .token();
            DeployedRoutes.addSchool(services);
            assertEquals(
                    200,
                    routes.send(ApiCall.to(INGEST).token(token).body(batch(40))).status());
            int unthrottled = calls.count.getAndSet(0);

            store.unprocessedItems(FAULTED_CALLS);
            Response response = routes.send(ApiCall.to(INGEST).token(token).body(batch(40)));

            assertEquals(200, response.status(), String.valueOf(response.body()));
            Set<String> accepted = new HashSet<>();
            response.data().forEach(result -> {
                assertEquals(201, result.path("status").asInt(), result.toString());
                accepted.add(result.path("event").path("id").asText());
            });
            assertEquals(40, accepted.size());
            assertEquals(
                    unthrottled + FAULTED_CALLS,
                    calls.count.get(),
                    "batch calls: one more for each that left items unprocessed");
            Set<String> stored = storedIds(routes, token, null);
            assertTrue(stored.containsAll(accepted), "every accepted event is stored");
            assertEquals(80, stored.size(), "both batches' events, each once");
            assertEquals(stored, storedIds(routes, token, "course-1"), "every target copy is written too");
        }
    }

    @Test
    void throttlingThatOutlastsTheRetriesIsA503AndTheRetryWithTheKeyStoresEachEventOnce() {
        try (IsolatedStore store = new IsolatedStore()) {
            Services services = store.services(5_000);
            DeployedRoutes routes = new DeployedRoutes(services);
            String token = TestServices.integration(services, Scope.AUDIT_WRITE, Scope.AUDIT_READ)
                    .token();
            DeployedRoutes.addSchool(services);
            ApiCall request = ApiCall.to(INGEST)
                    .token(token)
                    .header("Idempotency-Key", "throttled-batch")
                    .body(batch(30));

            store.unprocessedItems(Integer.MAX_VALUE);
            Response refused = routes.send(request);
            assertEquals(503, refused.status(), String.valueOf(refused.body()));
            assertEquals("STORE_UNAVAILABLE", refused.firstErrorCode());
            assertTrue(
                    refused.headers().containsKey("retry-after"),
                    "a 503 tells the client when to retry: " + refused.headers());

            store.clearFaults();
            Response retried = routes.send(request);
            assertEquals(200, retried.status(), String.valueOf(retried.body()));
            Set<String> accepted = new HashSet<>();
            retried.data()
                    .forEach(result ->
                            accepted.add(result.path("event").path("id").asText()));
            assertEquals(30, accepted.size());
            assertEquals(accepted, storedIds(routes, token, null));
        }
    }
}
