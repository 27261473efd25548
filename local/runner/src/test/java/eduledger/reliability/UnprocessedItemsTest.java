package eduledger.reliability;

import eduledger.auth.Scope;
import eduledger.harness.TestStore;
import eduledger.lambda.Services;
import eduledger.lambda.Settings;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DynamoDB answers a BatchWriteItem under throttling by leaving items unprocessed. DynamoDB Local never
 * throttles, so an interceptor on the real client stands in for that answer: it takes half of each
 * batch out of the request and hands it back as UnprocessedItems, as DynamoDB would.
 */
class UnprocessedItemsTest {
    private static final String INGEST = "POST /api/v2/audit/events";

    /**
     * Leaves half of every BatchWriteItem unprocessed while {@code remaining} is above zero; with
     * {@code nothingProcessed} it reports every item as unprocessed (the one it must send included: a
     * put written twice is the same item), as a table throttled for longer than any retry would.
     */
    static final class Throttling implements ExecutionInterceptor {
        private static final ExecutionAttribute<Map<String, List<WriteRequest>>> LEFT_OUT = new ExecutionAttribute<>("left-out");
        final AtomicInteger remaining;
        final AtomicInteger batchCalls = new AtomicInteger();
        private final boolean nothingProcessed;

        Throttling(int times, boolean nothingProcessed) {
            this.remaining = new AtomicInteger(times);
            this.nothingProcessed = nothingProcessed;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof BatchWriteItemRequest request)) {
                return context.request();
            }
            batchCalls.incrementAndGet();
            if (remaining.getAndDecrement() <= 0) {
                return request;
            }
            Map<String, List<WriteRequest>> kept = new HashMap<>();
            Map<String, List<WriteRequest>> leftOut = new HashMap<>();
            request.requestItems().forEach((table, writes) -> {
                int keep = Math.max(1, writes.size() / 2);
                kept.put(table, writes.subList(0, keep));
                List<WriteRequest> unprocessed = writes.subList(nothingProcessed ? 0 : keep, writes.size());
                if (!unprocessed.isEmpty()) {
                    leftOut.put(table, new ArrayList<>(unprocessed));
                }
            });
            attributes.putAttribute(LEFT_OUT, leftOut);
            return request.toBuilder().requestItems(kept).build();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            Map<String, List<WriteRequest>> leftOut = attributes.getAttribute(LEFT_OUT);
            if (!(context.response() instanceof BatchWriteItemResponse response) || leftOut == null || leftOut.isEmpty()) {
                return context.response();
            }
            Map<String, List<WriteRequest>> unprocessed = new HashMap<>(response.unprocessedItems());
            leftOut.forEach((table, writes) -> unprocessed.merge(table, writes, (a, b) -> {
                List<WriteRequest> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            }));
            return response.toBuilder().unprocessedItems(unprocessed).build();
        }
    }

    private static Services throttled(Throttling throttling) {
        Settings settings = TestServices.shared().settings();
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(TestStore.get().endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(TestStore.client(TestStore.get().endpoint()).serviceClientConfiguration().credentialsProvider())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(throttling))
                .build();
        return new Services(settings, client, Clock.systemUTC());
    }

    /** A batch of events, each with targets, so that it takes several BatchWriteItem calls of 25. */
    private static String batch(int events) {
        StringBuilder body = new StringBuilder("{\"events\": [");
        for (int i = 0; i < events; i++) {
            body.append(i == 0 ? "" : ",").append("{\"action\": {\"id\": \"grade.change\", \"type\": \"update\"},"
                    + " \"actor\": {\"id\": \"teacher-").append(i).append("\", \"type\": \"person\"}, \"targets\": ["
                    + "{\"id\": \"submission-").append(i).append("\", \"type\": \"submission\"},"
                    + " {\"id\": \"course-1\", \"type\": \"course\"}]}");
        }
        return body.append("]}").toString();
    }

    private static Set<String> storedIds(DeployedRoutes routes, String token, String targetId) {
        Set<String> ids = new HashSet<>();
        ApiCall call = ApiCall.to("GET /api/v2/audit/events").token(token).query("$first", "1000");
        if (targetId != null) {
            call.query("target_id", targetId);
        }
        Response page = routes.send(call);
        assertEquals(200, page.status(), String.valueOf(page.body()));
        page.data().forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    @Test
    void unprocessedItemsAreRetriedUntilEveryItemIsWritten() {
        Throttling throttling = new Throttling(6, false);
        Services services = throttled(throttling);
        DeployedRoutes routes = new DeployedRoutes(services);
        String token = TestServices.integration(services, Scope.AUDIT_WRITE, Scope.AUDIT_READ).token();

        Response response = routes.send(ApiCall.to(INGEST).token(token).body(batch(40)));

        assertEquals(200, response.status(), String.valueOf(response.body()));
        Set<String> accepted = new HashSet<>();
        response.data().forEach(result -> {
            assertEquals(201, result.path("status").asInt(), result.toString());
            accepted.add(result.path("event").path("id").asText());
        });
        assertEquals(40, accepted.size());
        assertTrue(throttling.batchCalls.get() > 6, "the interceptor saw " + throttling.batchCalls.get() + " batch calls");
        assertEquals(accepted, storedIds(routes, token, null));
        assertEquals(accepted, storedIds(routes, token, "course-1"), "every target copy is written too");
    }

    @Test
    void throttlingThatOutlastsTheRetriesIsA503AndTheRetryWithTheKeyStoresEachEventOnce() {
        Throttling throttling = new Throttling(Integer.MAX_VALUE, true);
        Services services = throttled(throttling);
        DeployedRoutes routes = new DeployedRoutes(services);
        String token = TestServices.integration(services, Scope.AUDIT_WRITE, Scope.AUDIT_READ).token();
        ApiCall request = ApiCall.to(INGEST).token(token).header("Idempotency-Key", "throttled-batch").body(batch(30));

        Response refused = routes.send(request);
        assertEquals(503, refused.status(), String.valueOf(refused.body()));
        assertEquals("STORE_UNAVAILABLE", refused.firstErrorCode());
        assertTrue(refused.headers().containsKey("retry-after"), "a 503 tells the client when to retry: " + refused.headers());

        throttling.remaining.set(0);
        Response retried = routes.send(request);
        assertEquals(200, retried.status(), String.valueOf(retried.body()));
        Set<String> accepted = new HashSet<>();
        retried.data().forEach(result -> accepted.add(result.path("event").path("id").asText()));
        assertEquals(30, accepted.size());
        assertEquals(accepted, storedIds(routes, token, null));
    }
}
