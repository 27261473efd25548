package eduledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.audit.AuditKeys;
import eduledger.audit.AuditScope;
import eduledger.audit.Identifier;
import eduledger.audit.Party;
import eduledger.audit.SchemaRef;
import eduledger.audit.Validation;
import eduledger.auth.Scope;
import eduledger.events.EventIds;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventItems;
import eduledger.graph.GraphKeys;
import eduledger.integrations.Integration;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import eduledger.lambda.Services;
import eduledger.schemas.ValidationLevel;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardedPages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Event listing: one page of {@code GET /api/v2/audit/events/{scope_id}/{scope_type}} and of {@code GET /api/v2/graph/events}
 * through ListingHandler, each without a filter and with one (an action, a type), from an
 * integration holding many events, against the raw floor of the one Query that returns a page of as
 * many such items from one partition. A typical integration's lists are on one shard (its {@link
 * ShardLayout} never grew), so its page is one Query (an audit page with a filter then reads its
 * events by key, as only the whole list's lookup items carry them). The same is measured for an integration whose lists were spread
 * over the most shards, 8, from the start: its page is 8 Queries at once, merged. Every variant is
 * then timed again with the engine answering each request {@link #STORE_LATENCY} later, as a store
 * across a network does: there the 8 Queries wait out their latency together, as the floor's one
 * does, where on this machine they only compete for its cores.
 */
final class ListBench {
    private static final String AUDIT_ROUTE = "GET /api/v2/audit/events/{scope_id}/{scope_type}";
    private static final String GRAPH_ROUTE = "GET /api/v2/graph/events";
    private static final int ACTIONS = 10;
    private static final List<String> GRAPH_TYPES = List.of(
            "person.created",
            "person.updated",
            "enrollment.created",
            "enrollment.deleted",
            "class.updated",
            "organization.updated");
    /**
     * The latency of the second timing, at the low end of DynamoDB's single-digit milliseconds: the
     * lower it is, the more the page's own work weighs against it.
     */
    static final Duration STORE_LATENCY = Duration.ofMillis(2);

    private static final int SEED_CHUNK = 25;
    private static final int SEED_WRITERS = 4;

    /**
     * @param spreadEvents the events of each list of the integration spread over 8 shards: fewer, as a
     *                     page costs the same however long the list (each Query is a key range read
     *                     that stops after its share of the page)
     * @param jitWarmUp    pages asked for, alternating with the floor, before anything is timed (see
     *                     {@link Figure#warmUp}), the eight variants taking turns: each integration
     *                     asks for a quarter of them, kept inside its rate limit ({@link WarmUpPace})
     */
    record Sizes(
            int auditEvents, int graphEvents, int spreadEvents, int pageSize, int jitWarmUp, int warmUp, int samples) {
        static final Sizes FULL = new Sizes(100_000, 100_000, 20_000, 100, 12_000, 10, 100);
    }

    /** One page asked for, by eduledger and by its floor, timed under {@code name}. */
    private record Variant(String name, String integrationId, HttpApiEvent request, QueryRequest floor) {}

    private final LocalSystem system;
    private final Sizes sizes;

    ListBench(LocalSystem system, Sizes sizes) {
        this.system = system;
        this.sizes = sizes;
    }

    List<Figure> run() throws Exception {
        LocalFunction listing = system.function("ListingFunction");
        Services services = listing.services();
        List<Variant> variants = new ArrayList<>(audit(listing, "list.audit", 1, sizes.auditEvents()));
        variants.addAll(graph(listing, "list.graph", 1, sizes.graphEvents()));
        variants.addAll(audit(listing, "list.audit.8shards", 8, sizes.spreadEvents()));
        variants.addAll(graph(listing, "list.graph.8shards", 8, sizes.spreadEvents()));
        for (Variant variant : variants) {
            checkFullPages(listing, services, variant);
        }
        List<byte[]> events = new ArrayList<>();
        for (Variant variant : variants) {
            events.add(variant.request().bytes());
        }
        int[] ours = {0};
        int[] floors = {0};
        WarmUpPace pace = new WarmUpPace(services.settings().tenantLimit(), services.clock());
        Figure.warmUp(
                sizes.jitWarmUp(),
                () -> {
                    int turn = ours[0]++ % variants.size();
                    pace.before(variants.get(turn).integrationId());
                    ApiResult.invoke(listing, variants.get(turn).request().routeKey(), events.get(turn), 200);
                },
                () -> services.dynamo()
                        .query(variants.get(floors[0]++ % variants.size()).floor()));
        // The timed pages come from the same integrations, two variants each, timed twice.
        pace.reserve(2 * 2 * (sizes.warmUp() + sizes.samples()));
        List<Figure> figures = new ArrayList<>();
        for (Variant variant : variants) {
            figures.addAll(page(listing, services, variant, variant.name()));
        }
        String suffix = ".at" + STORE_LATENCY.toMillis() + "ms";
        if (system.storeLatency(STORE_LATENCY)) {
            try {
                for (Variant variant : variants) {
                    figures.addAll(page(listing, services, variant, variant.name() + suffix));
                }
            } finally {
                system.storeLatency(Duration.ZERO);
            }
        }
        return figures;
    }

    private List<Variant> audit(LocalFunction listing, String name, int shards, int count) throws Exception {
        Services services = listing.services();
        Map.Entry<Integration, String> tenant = system.createIntegration("bench list", Scope.integrationScopes());
        String integrationId = tenant.getKey().id();
        AuditScope scope = new AuditScope(integrationId, AuditScope.INTEGRATION);
        if (shards > 1) {
            services.shardLayouts().replace(AuditKeys.listLayoutTenant(integrationId, scope), ShardLayout.of(shards));
        }
        AuditEventStore store = new AuditEventStore(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                services.shardLayouts());
        SchemaRef schema =
                new SchemaRef(UUID.randomUUID().toString(), UUID.randomUUID().toString(), 1);
        Validation conforms = new Validation(ValidationLevel.STRICT, true, List.of());
        // One of ACTIONS actions each and no targets, so each event is one item.
        seed(services, count, "audit events over " + shards + " shard(s)", (n, madeAt) -> {
            ObjectNode submitted = AuditEventShapes.gradingEvent(actionId(n % ACTIONS), integrationId, n, false);
            AuditEvent event = new AuditEvent(
                    EventIds.next(madeAt),
                    madeAt,
                    actionId(n % ACTIONS),
                    "update",
                    new Party(List.of(new Identifier("teacher-" + (n % 500), "gradebook")), "person"),
                    List.of(),
                    scope,
                    submitted.get("context"),
                    submitted.get("data"),
                    schema,
                    conforms);
            // Posted without an id of its own, so with no request hash, as the store writes such an event.
            return store.items(integrationId, event, null);
        });

        // The list reads the scope's whole-list lookup items, which carry the events (one Query per
        // shard); filtered by action, that list's key-only lookup items, then the events by key.
        HttpApiEvent list = HttpApiEvents.request(
                        AUDIT_ROUTE, Map.of("$first", Integer.toString(sizes.pageSize())), tenant.getValue(), null)
                .path("scope_id", integrationId)
                .path("scope_type", "integration");
        Variant whole = new Variant(
                name,
                integrationId,
                list,
                onePartition(services, null, Keys.PK, AuditKeys.auditEvents(integrationId, 0)));

        String action = actionId(3);
        HttpApiEvent byAction = HttpApiEvents.request(
                        AUDIT_ROUTE,
                        Map.of("$first", Integer.toString(sizes.pageSize()), "action", action),
                        tenant.getValue(),
                        null)
                .path("scope_id", integrationId)
                .path("scope_type", "integration");
        return List.of(
                whole,
                new Variant(
                        name + ".action",
                        integrationId,
                        byAction,
                        onePartition(services, null, Keys.PK, AuditKeys.auditEvents(integrationId, 0))));
    }

    private List<Variant> graph(LocalFunction listing, String name, int shards, int count) throws Exception {
        Services services = listing.services();
        Map.Entry<Integration, String> tenant = system.createIntegration("bench graph list", Scope.integrationScopes());
        String integrationId = tenant.getKey().id();
        if (shards > 1) {
            services.shardLayouts().replace(GraphKeys.feedLayoutTenant(integrationId), ShardLayout.of(shards));
        }
        GraphEventItems store = services.graphEventItems();
        // Changes of people, enrollments, classes and schools, their types taking turns, each carrying
        // an object the size of a person record; each event is one item.
        seed(services, count, "graph events over " + shards + " shard(s)", (n, madeAt) -> {
            String type = GRAPH_TYPES.get(n % GRAPH_TYPES.size());
            String target = type.substring(0, type.indexOf('.'));
            ObjectNode data = Json.object()
                    .put("id", target + "-" + n)
                    .put("first_name", "Ada " + n)
                    .put("last_name", "Lovelace")
                    .put("email", "ada" + n + "@example.edu")
                    .put("school_id", "school-" + (n % 20));
            data.putArray("roles").add("student");
            return List.of(store.item(new GraphEvent(
                    EventIds.next(madeAt), integrationId, type, target, target + "-" + n, madeAt, data)));
        });

        String type = GRAPH_TYPES.get(1);
        return List.of(
                new Variant(
                        name,
                        integrationId,
                        HttpApiEvents.request(
                                GRAPH_ROUTE,
                                Map.of("$first", Integer.toString(sizes.pageSize())),
                                tenant.getValue(),
                                null),
                        onePartition(services, null, Keys.PK, GraphKeys.graphEvents(integrationId, 0))),
                new Variant(
                        name + ".type",
                        integrationId,
                        HttpApiEvents.request(
                                GRAPH_ROUTE,
                                Map.of("$first", Integer.toString(sizes.pageSize()), "type", type),
                                tenant.getValue(),
                                null),
                        onePartition(
                                services,
                                GraphKeys.BY_TYPE_INDEX,
                                GraphKeys.TYPE_PK,
                                GraphKeys.graphEventsOfType(integrationId, type, 0))));
    }

    /**
     * The floor: the one Query that returns a page of items from one partition of the table or of an
     * index, from the retention cut-off on, as eduledger's reads start there too.
     */
    private QueryRequest onePartition(Services services, String index, String partitionKey, String partition) {
        String low = EventIds.lowerBound(
                services.clock().instant().minus(services.settings().retention()));
        return QueryRequest.builder()
                .tableName(services.tables().events())
                .indexName(index)
                .keyConditionExpression("#partition = :partition AND sk BETWEEN :low AND :high")
                .expressionAttributeNames(Map.of("#partition", partitionKey))
                .expressionAttributeValues(Map.of(
                        ":partition",
                        AttributeValue.fromS(partition),
                        ":low",
                        AttributeValue.fromS(low),
                        ":high",
                        AttributeValue.fromS(ShardedPages.HIGHEST_ID)))
                .limit(sizes.pageSize())
                .build();
    }

    private void checkFullPages(LocalFunction listing, Services services, Variant variant) {
        JsonNode firstPage = ApiResult.invoke(listing, variant.request(), 200).data();
        int floorItems = services.dynamo().query(variant.floor()).count();
        if (firstPage.size() != sizes.pageSize() || floorItems != sizes.pageSize()) {
            throw new IllegalStateException(variant.name() + ": a page must hold " + sizes.pageSize()
                    + " events; eduledger gave " + firstPage.size() + ", the floor " + floorItems);
        }
    }

    private List<Figure> page(LocalFunction listing, Services services, Variant variant, String name) {
        HttpApiEvent request = variant.request();
        QueryRequest floor = variant.floor();
        // The request's bytes made once, before the clock starts: writing the event is API Gateway's work.
        byte[] event = request.bytes();
        long[][] times = Figure.alternate(
                name,
                sizes.warmUp(),
                sizes.samples(),
                () -> ApiResult.invoke(listing, request.routeKey(), event, 200),
                () -> services.dynamo().query(floor));
        return List.of(
                new Figure(
                        name + ".p50",
                        "ms",
                        Figure.percentileMillis(times[0], 50),
                        Figure.percentileMillis(times[1], 50),
                        sizes.samples()),
                new Figure(
                        name + ".p99",
                        "ms",
                        Figure.percentileMillis(times[0], 99),
                        Figure.percentileMillis(times[1], 99),
                        sizes.samples()));
    }

    /** The items one event is stored as, for the {@code n}th event, made at {@code madeAt}. */
    private interface EventItems {
        List<Map<String, AttributeValue>> of(int n, Instant madeAt);
    }

    /**
     * Writes {@code count} events straight in the store's item format (the store's own item
     * builder, BatchWriteItem from a few threads): far faster than as many API calls, and the same
     * items. Events are made 10 ms apart, ending a minute ago: within retention, and long settled.
     */
    private void seed(Services services, int count, String what, EventItems items) throws Exception {
        long started = System.nanoTime();
        Instant first = services.clock().instant().minusMillis(10L * count + 60_000);
        ExecutorService writers = Executors.newFixedThreadPool(SEED_WRITERS);
        try {
            List<Future<?>> chunks = new ArrayList<>();
            for (int from = 0; from < count; from += SEED_CHUNK) {
                int start = from;
                int end = Math.min(count, from + SEED_CHUNK);
                chunks.add(writers.submit(() -> {
                    List<Map<String, AttributeValue>> chunk = new ArrayList<>();
                    for (int n = start; n < end; n++) {
                        chunk.addAll(items.of(n, first.plusMillis(10L * n)));
                    }
                    RawWrites.put(services.dynamo(), services.tables().events(), chunk);
                }));
            }
            for (Future<?> chunk : chunks) {
                chunk.get();
            }
        } finally {
            writers.shutdownNow();
        }
        System.err.printf("bench: seeded %d %s in %.1f s%n", count, what, (System.nanoTime() - started) / 1e9);
    }

    private static String actionId(int n) {
        return "bench.action." + n;
    }
}
