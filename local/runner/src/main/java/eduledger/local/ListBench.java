package eduledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.audit.Party;
import eduledger.audit.SchemaRef;
import eduledger.audit.Validation;
import eduledger.auth.Scope;
import eduledger.auth.Tokens;
import eduledger.events.EventIds;
import eduledger.http.Json;
import eduledger.integrations.Integration;
import eduledger.runtime.Services;
import eduledger.schemas.ValidationLevel;
import eduledger.storage.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Audit event listing: one page of {@code GET /api/v2/audit/events} through ListingHandler, without a
 * filter and with an action filter, from an integration holding many events, against the raw floor
 * of the one Query that returns a page of as many such items from one partition. eduledger's key
 * design spreads an integration over {@link Keys#AUDIT_SHARDS} partitions, so its page is that many
 * Queries (at once), each reading up to a page plus one, merged; the floor reads one partition only.
 */
final class ListBench {
    private static final String ROUTE = "GET /api/v2/audit/events";
    private static final int ACTIONS = 10;
    private static final String HIGHEST_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    private static final int SEED_CHUNK = 25;
    private static final int SEED_WRITERS = 4;

    record Sizes(int events, int pageSize, int warmUp, int samples) {
        static final Sizes FULL = new Sizes(100_000, 100, 10, 100);
    }

    private final LocalSystem system;
    private final Sizes sizes;

    ListBench(LocalSystem system, Sizes sizes) {
        this.system = system;
        this.sizes = sizes;
    }

    List<Figure> run() throws Exception {
        LocalFunction listing = system.function("ListingFunction");
        Services services = listing.services();
        Map.Entry<Integration, String> tenant = system.createIntegration("bench list", Scope.integrationScopes());
        String integrationId = tenant.getKey().id();
        seed(services, integrationId);

        List<Figure> figures = new ArrayList<>();
        String low = EventIds.lowerBound(services.clock().instant().minus(services.settings().retention()));
        QueryRequest wholeFeed = QueryRequest.builder().tableName(services.tables().events())
                .keyConditionExpression("pk = :partition AND sk BETWEEN :low AND :high")
                .expressionAttributeValues(Map.of(":partition", AttributeValue.fromS(Keys.auditEvents(integrationId, 0)),
                        ":low", AttributeValue.fromS(low), ":high", AttributeValue.fromS(HIGHEST_ID)))
                .limit(sizes.pageSize()).build();
        figures.addAll(page(listing, "list.audit", Map.of("$first", Integer.toString(sizes.pageSize())),
                tenant.getValue(), services, wholeFeed));

        String action = actionId(3);
        QueryRequest oneAction = QueryRequest.builder().tableName(services.tables().events()).indexName(Keys.AUDIT_BY_ACTION)
                .keyConditionExpression(Keys.AUDIT_ACTION_PK + " = :partition AND sk BETWEEN :low AND :high")
                .expressionAttributeValues(Map.of(":partition", AttributeValue.fromS(Keys.auditByAction(integrationId, 0, action)),
                        ":low", AttributeValue.fromS(low), ":high", AttributeValue.fromS(HIGHEST_ID)))
                .limit(sizes.pageSize()).build();
        figures.addAll(page(listing, "list.audit.action", Map.of("$first", Integer.toString(sizes.pageSize()), "action", action),
                tenant.getValue(), services, oneAction));
        return figures;
    }

    private List<Figure> page(LocalFunction listing, String name, Map<String, String> query, String token,
                              Services services, QueryRequest floor) {
        APIGatewayV2HTTPEvent request = HttpApiEvents.request(ROUTE, query, token, null);
        JsonNode firstPage = ApiResult.invoke(listing, request, 200).data();
        int floorItems = services.dynamo().query(floor).count();
        if (firstPage.size() != sizes.pageSize() || floorItems != sizes.pageSize()) {
            throw new IllegalStateException(name + ": a page must hold " + sizes.pageSize() + " events; eduledger gave "
                    + firstPage.size() + ", the floor " + floorItems);
        }
        long[][] times = Figure.alternate(sizes.warmUp(), sizes.samples(),
                () -> ApiResult.invoke(listing, request, 200),
                () -> services.dynamo().query(floor));
        return List.of(
                new Figure(name + ".p50", "ms", Figure.percentileMillis(times[0], 50), Figure.percentileMillis(times[1], 50),
                        sizes.samples()),
                new Figure(name + ".p99", "ms", Figure.percentileMillis(times[0], 99), Figure.percentileMillis(times[1], 99),
                        sizes.samples()));
    }

    /**
     * Writes the integration's events straight in the store's item format (the store's own item
     * builder, BatchWriteItem from a few threads): far faster than as many API calls, and the same
     * items. Events are made 10 ms apart over the last minutes, with one of {@link #ACTIONS} actions
     * each and no targets, so each is one item.
     */
    private void seed(Services services, String integrationId) throws Exception {
        long started = System.nanoTime();
        AuditEventStore store = new AuditEventStore(services.dynamo(), services.tables(), services.clock(),
                services.settings().retention());
        SchemaRef schema = new SchemaRef(UUID.randomUUID().toString(), UUID.randomUUID().toString(), 1);
        Validation conforms = new Validation(ValidationLevel.STRICT, true, List.of());
        Instant first = services.clock().instant().minusMillis(10L * sizes.events() + 60_000);
        ExecutorService writers = Executors.newFixedThreadPool(SEED_WRITERS);
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (int from = 0; from < sizes.events(); from += SEED_CHUNK) {
                int start = from;
                int end = Math.min(sizes.events(), from + SEED_CHUNK);
                chunks.add(writers.submit(() -> {
                    List<Map<String, AttributeValue>> items = new ArrayList<>();
                    for (int n = start; n < end; n++) {
                        ObjectNode submitted = AuditEventShapes.gradingEvent(actionId(n % ACTIONS), n, false);
                        Instant madeAt = first.plusMillis(10L * n);
                        AuditEvent event = new AuditEvent(EventIds.next(madeAt), madeAt, null, actionId(n % ACTIONS),
                                "update", new Party("teacher-" + (n % 500), "person", "Teacher " + (n % 500)), List.of(),
                                submitted.get("scope"), submitted.get("context"), submitted.get("data"), schema, conforms);
                        items.addAll(store.items(integrationId, event, Tokens.hash(Json.write(submitted))));
                    }
                    RawWrites.put(services.dynamo(), services.tables().events(), items);
                }));
            }
            for (Future<?> chunk : chunks) {
                chunk.get();
            }
        } finally {
            writers.shutdownNow();
        }
        System.err.printf("bench: seeded %d audit events in %.1f s%n", sizes.events(), (System.nanoTime() - started) / 1e9);
    }

    private static String actionId(int n) {
        return "bench.action." + n;
    }
}
