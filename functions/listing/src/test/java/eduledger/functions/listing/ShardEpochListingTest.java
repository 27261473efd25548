package eduledger.functions.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.AuditKeys;
import eduledger.audit.AuditScope;
import eduledger.events.EventIds;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventItems;
import eduledger.graph.GraphFeed;
import eduledger.graph.GraphKeys;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.schemas.JsonSchemas;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardedPages;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Lists whose shard count changed several times while they were written: events at random times over
 * an hour whose layout went from one shard to 2 and 8, then back to 4 and 1, each written where the
 * layout in force at its id's time puts it. Every walk through the pages, forward and back, with page sizes drawn at
 * random, for each filter and across a date range, lists each matching event exactly once, in order.
 */
class ShardEpochListingTest {
    private static final String AUDIT_LIST = "GET /api/v2/audit/events/{scope_id}/{scope_type}";
    private static final String GRAPH_LIST = "GET /api/v2/graph/events";
    private static final List<String> TYPES = List.of("person.created", "person.updated", "class.created");
    private static final int BATCH_WRITE_LIMIT = 25;

    private final Services services = TestServices.shared();
    private final ListingHandler handler = new ListingHandler(services);
    private final Random random = new Random(16);
    private TestIntegration tenant;
    private Instant base;
    private ShardLayout layout;

    @BeforeEach
    void newIntegration() {
        tenant = TestServices.integration(services);
        base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        layout = ShardLayout.SINGLE
                .then(base.plus(Duration.ofMinutes(15)), 2)
                .then(base.plus(Duration.ofMinutes(25)), 8)
                .then(base.plus(Duration.ofMinutes(40)), 4)
                .then(base.plus(Duration.ofMinutes(50)), 1);
    }

    /** An event's time: mostly anywhere in the hour, some within a few milliseconds of an epoch's start. */
    private Instant randomTime() {
        if (random.nextInt(4) == 0) {
            ShardLayout.Epoch epoch =
                    layout.epochs().get(1 + random.nextInt(layout.epochs().size() - 1));
            return epoch.from().plusMillis(random.nextInt(5) - 2);
        }
        return base.plusMillis(random.nextInt((int) Duration.ofMinutes(59).toMillis()));
    }

    @Test
    void auditListsReadEveryEventOnceAcrossEpochs() {
        AuditScope scope = new AuditScope(tenant.id(), AuditScope.INTEGRATION);
        services.shardLayouts().replace(AuditKeys.listLayoutTenant(tenant.id(), scope), layout);
        AuditIngestion ingestion = new AuditIngestion(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                new JsonSchemas());
        List<ObjectNode> events = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        while (events.size() < 240) {
            String id = EventIds.next(randomTime());
            if (!ids.add(id)) {
                continue;
            }
            int n = events.size();
            ObjectNode event = Json.object().put("id", id).put("action", "act." + random.nextInt(3));
            event.putObject("actor")
                    .put("type", "person")
                    .putArray("identifiers")
                    .addObject()
                    .put("value", "actor-" + random.nextInt(4))
                    .put("issuer", "gradebook");
            event.putArray("targets")
                    .addObject()
                    .put("type", random.nextBoolean() ? "course" : "school")
                    .putArray("identifiers")
                    .addObject()
                    .put("value", "target-" + n)
                    .put("issuer", "sis");
            event.putObject("scope").put("id", tenant.id()).put("type", "integration");
            event.putObject("context").put("ip", "198.51.100." + random.nextInt(3));
            event.putObject("data").put("n", n);
            events.add(event);
        }
        for (int from = 0; from < events.size(); from += 80) {
            ObjectNode batch = Json.object();
            ArrayNode sent = batch.putArray("events");
            events.subList(from, from + 80).forEach(sent::add);
            AuditIngestion.Outcome outcome = ingestion.submit(tenant.id(), batch, null);
            assertTrue(outcome.results().stream().allMatch(AuditIngestion.Result::stored));
        }

        // The layout placed the lookups: the eighth shard holds some of the 8-shard epoch's, none of
        // the epochs before it or after.
        String eighth = AuditKeys.auditLookup(tenant.id(), scope, 7, "");
        assertEquals(0, countLookups(eighth, EventIds.lowerBound(base), before(2)));
        assertTrue(
                countLookups(eighth, EventIds.lowerBound(layout.epochs().get(2).from()), before(3)) > 0);
        assertEquals(
                0,
                countLookups(eighth, EventIds.lowerBound(layout.epochs().get(3).from()), ShardedPages.HIGHEST_ID));

        List<String> newestFirst = newestFirst(events, event -> true);
        checkAuditWalks(newestFirst, List.of());
        checkAuditWalks(
                newestFirst(events, e -> e.path("action").asText().equals("act.1")), List.of("action", "act.1"));
        checkAuditWalks(
                newestFirst(
                        events, e -> e.at("/actor/identifiers/0/value").asText().equals("actor-2")),
                List.of("actor.value", "actor-2"));
        checkAuditWalks(
                newestFirst(events, e -> e.at("/targets/0/type").asText().equals("school")),
                List.of("target.type", "school"));
        checkAuditWalks(
                newestFirst(events, e -> e.at("/context/ip").asText().equals("198.51.100.0")),
                List.of("context.ip", "198.51.100.0"));
        // A date range from inside the first epoch to inside the last.
        Instant start = base.plus(Duration.ofMinutes(10));
        Instant end = base.plus(Duration.ofMinutes(50));
        checkAuditWalks(
                newestFirst(events, e -> {
                    Instant time = EventIds.timeOf(e.path("id").asText());
                    return !time.isBefore(start) && time.isBefore(end);
                }),
                List.of("start_date", start.toString(), "end_date", end.toString()));
    }

    private void checkAuditWalks(List<String> expected, List<String> filter) {
        assertFalse(expected.isEmpty());
        for (int walk = 0; walk < 3; walk++) {
            int size = 1 + random.nextInt(40);
            List<String> forward = walk(auditCall(filter, "$first", size), this::followAudit);
            assertEquals(expected, forward, "forward in pages of " + size + " with " + filter);
            List<String> backward = walk(auditCall(filter, "$last", size), this::followAudit);
            assertEquals(reversedPages(expected, size), backward, "backward in pages of " + size + " with " + filter);
        }
        // From an anchor in the middle, both ways.
        String anchor = expected.get(expected.size() / 2);
        ApiCall after = auditCall(filter, "$first", 7).query("$after", anchor);
        assertEquals(expected.subList(expected.size() / 2 + 1, expected.size()), walk(after, this::followAudit));
    }

    private ApiCall auditCall(List<String> filter, String sizeName, int size) {
        ApiCall call = ApiCall.to(AUDIT_LIST)
                .token(tenant.token())
                .path("scope_id", tenant.id())
                .path("scope_type", "integration")
                .query(sizeName, Integer.toString(size));
        for (int i = 0; i < filter.size(); i += 2) {
            call.query(filter.get(i), filter.get(i + 1));
        }
        return call;
    }

    private ApiCall followAudit(String next) {
        return ApiCall.follow(AUDIT_LIST, next)
                .token(tenant.token())
                .path("scope_id", tenant.id())
                .path("scope_type", "integration");
    }

    @Test
    void theGraphFeedReadsEveryEventOnceAcrossEpochs() {
        services.shardLayouts().replace(GraphKeys.feedLayoutTenant(tenant.id()), layout);
        GraphEventItems items = services.graphEventItems();
        List<GraphEvent> made = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        while (made.size() < 300) {
            String id = EventIds.next(randomTime());
            if (!ids.add(id)) {
                continue;
            }
            int n = made.size();
            String type = TYPES.get(random.nextInt(TYPES.size()));
            String target = type.substring(0, type.indexOf('.'));
            made.add(new GraphEvent(
                    id,
                    tenant.id(),
                    GraphFeed.checkType(type),
                    target,
                    target + "-" + n,
                    EventIds.timeOf(id),
                    Json.object().put("n", n)));
        }
        write(made.stream().map(items::item).toList());
        String eighth = GraphKeys.graphEvents(tenant.id(), 7);
        assertTrue(
                countLookups(eighth, EventIds.lowerBound(layout.epochs().get(2).from()), before(3)) > 0);
        assertEquals(
                0,
                countLookups(eighth, EventIds.lowerBound(layout.epochs().get(3).from()), ShardedPages.HIGHEST_ID));

        List<String> oldestFirst = made.stream().map(GraphEvent::id).sorted().toList();
        checkGraphWalks(oldestFirst, null);
        String type = TYPES.get(1);
        checkGraphWalks(
                made.stream()
                        .filter(event -> event.type().equals(type))
                        .map(GraphEvent::id)
                        .sorted()
                        .toList(),
                type);
        // A single event of each epoch, found by id.
        for (GraphEvent event : made.subList(0, 20)) {
            Response one = send(ApiCall.to("GET /api/v2/graph/events/{id}")
                    .token(tenant.token())
                    .path("id", event.id()));
            assertEquals(200, one.status(), one.body().toString());
            assertEquals(event.id(), one.data().path("id").asText());
        }
    }

    private void checkGraphWalks(List<String> expected, String type) {
        for (int walk = 0; walk < 3; walk++) {
            int size = 1 + random.nextInt(50);
            ApiCall first = ApiCall.to(GRAPH_LIST).token(tenant.token()).query("$first", Integer.toString(size));
            ApiCall last = ApiCall.to(GRAPH_LIST).token(tenant.token()).query("$last", Integer.toString(size));
            if (type != null) {
                first.query("type", type);
                last.query("type", type);
            }
            assertEquals(expected, walk(first, this::followGraph), "forward in pages of " + size);
            // Paging back, the feed hands out its newest events first, each page newest first.
            List<String> newestFirst = new ArrayList<>(expected);
            Collections.reverse(newestFirst);
            assertEquals(newestFirst, walk(last, this::followGraph), "backward in pages of " + size);
        }
    }

    private ApiCall followGraph(String next) {
        return ApiCall.follow(GRAPH_LIST, next).token(tenant.token());
    }

    /** Every page from the first call on, following {@code $next}, put together in the order received. */
    private List<String> walk(ApiCall first, java.util.function.Function<String, ApiCall> follow) {
        List<String> seen = new ArrayList<>();
        Response page = send(first);
        while (true) {
            assertEquals(200, page.status(), page.body().toString());
            page.data().forEach(event -> seen.add(event.path("id").asText()));
            if (page.next() == null) {
                return seen;
            }
            assertFalse(page.data().isEmpty(), "a page with more after it is not empty");
            page = send(follow.apply(page.next()));
        }
    }

    /** What paging backward in pages of {@code size} returns: the last page first, each page in list order. */
    private static List<String> reversedPages(List<String> list, int size) {
        List<String> seen = new ArrayList<>();
        for (int end = list.size(); end > 0; end -= size) {
            seen.addAll(list.subList(Math.max(0, end - size), end));
        }
        return seen;
    }

    private Response send(ApiCall call) {
        return call.send(handler);
    }

    private static List<String> newestFirst(List<ObjectNode> events, Predicate<JsonNode> matches) {
        List<String> ids = new ArrayList<>(events.stream()
                .filter(matches)
                .map(event -> event.path("id").asText())
                .sorted()
                .toList());
        Collections.reverse(ids);
        return ids;
    }

    /** The highest id before the layout's epoch {@code index} begins. */
    private String before(int index) {
        return ShardedPages.adjacent(
                EventIds.lowerBound(layout.epochs().get(index).from()), -1);
    }

    private int countLookups(String partition, String low, String high) {
        return services.dynamo()
                .query(b -> b.tableName(services.tables().events())
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :low AND :high")
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(partition),
                                ":low", AttributeValue.fromS(low),
                                ":high", AttributeValue.fromS(high))))
                .count();
    }

    private void write(List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += BATCH_WRITE_LIMIT) {
            List<WriteRequest> pending = items.subList(from, Math.min(items.size(), from + BATCH_WRITE_LIMIT)).stream()
                    .map(item -> WriteRequest.builder()
                            .putRequest(PutRequest.builder().item(item).build())
                            .build())
                    .toList();
            while (!pending.isEmpty()) {
                List<WriteRequest> batch = pending;
                var response = services.dynamo()
                        .batchWriteItem(
                                b -> b.requestItems(Map.of(services.tables().events(), batch)));
                pending = response.hasUnprocessedItems()
                        ? response.unprocessedItems()
                                .getOrDefault(services.tables().events(), List.of())
                        : List.of();
            }
        }
    }
}
