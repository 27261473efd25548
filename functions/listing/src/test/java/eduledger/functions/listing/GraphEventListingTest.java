package eduledger.functions.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.events.EventIds;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventItems;
import eduledger.graph.GraphFeed;
import eduledger.graph.GraphKeys;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.storage.BatchWrites;
import eduledger.storage.ShardLayout;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.FunctionTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Paging the graph feed across its shards, on the test store: every page of a walk in either
 * direction, put together, is the whole feed in id order, with nothing left out or seen twice.
 */
class GraphEventListingTest extends FunctionTest<ListingHandler> {
    private static final String LIST = "GET /api/v2/graph/events";
    private static final List<String> TYPES =
            List.of("person.created", "person.updated", "class.created", "enrollment.deleted");

    GraphEventListingTest() {
        super(ListingHandler::new);
    }

    private final GraphEventItems store = services.graphEventItems();

    @Test
    void pagesOfSevenWalkTheWholeFeedForwardAndBackward() {
        List<GraphEvent> made = seed(300, shard -> true);
        List<String> feed = made.stream().map(GraphEvent::id).sorted().toList();

        List<String> forward = new ArrayList<>();
        Response page = send(ApiCall.to(LIST).query("$first", "7"));
        int pages = 1;
        while (true) {
            assertEquals(
                    page.next() == null ? feed.size() % 7 : 7, page.data().size(), "every page but the last is full");
            forward.addAll(ids(page.data()));
            if (page.next() == null) {
                break;
            }
            page = send(ApiCall.follow(LIST, page.next()));
            pages++;
        }
        assertEquals(feed, forward);
        assertEquals(43, pages);

        List<String> backward = new ArrayList<>();
        page = send(ApiCall.to(LIST).query("$last", "7"));
        while (true) {
            // Each backward page is newest first; the one before it holds older events.
            List<String> newestFirst = ids(page.data());
            List<String> sorted = new ArrayList<>(newestFirst);
            sorted.sort(java.util.Comparator.reverseOrder());
            assertEquals(sorted, newestFirst);
            backward.addAll(0, reversed(newestFirst));
            if (page.next() == null) {
                break;
            }
            page = send(ApiCall.follow(LIST, page.next()));
        }
        assertEquals(feed, backward);

        assertEquals(
                feed.subList(101, 121),
                ids(send(ApiCall.to(LIST).query("$first", "20").query("$after", feed.get(100)))
                        .data()));
        assertEquals(
                reversed(feed.subList(80, 100)),
                ids(send(ApiCall.to(LIST).query("$last", "20").query("$before", feed.get(100)))
                        .data()));
    }

    @Test
    void aPageHoldingTheRestOfTheFeedSaysThereIsNoMore() {
        List<String> feed =
                seed(60, shard -> true).stream().map(GraphEvent::id).sorted().toList();
        Response all = send(ApiCall.to(LIST).query("$first", "60"));
        assertEquals(feed, ids(all.data()));
        assertNull(all.next());
        Response allButOne = send(ApiCall.to(LIST).query("$first", "59"));
        assertEquals(feed.subList(0, 59), ids(allButOne.data()));
        Response last = send(ApiCall.follow(LIST, allButOne.next()));
        assertEquals(feed.subList(59, 60), ids(last.data()));
        assertNull(last.next());
        assertNull(send(ApiCall.to(LIST).query("$last", "30").query("$before", feed.get(30)))
                .next());
    }

    @Test
    void aTypeFilterPagesOnlyThatTypeAndItsPagesAreFull() {
        List<GraphEvent> made = seed(300, shard -> true);
        String type = TYPES.get(1);
        List<String> ofType = made.stream()
                .filter(event -> event.type().equals(type))
                .map(GraphEvent::id)
                .sorted()
                .toList();

        Response first = send(ApiCall.to(LIST).query("type", type).query("$first", "7"));
        assertEquals(ofType.subList(0, 7), ids(first.data()));
        assertTrue(first.next().contains("type=" + type), first.next());
        List<String> walked = new ArrayList<>(ids(first.data()));
        Response page = first;
        while (page.next() != null) {
            page = send(ApiCall.follow(LIST, page.next()));
            walked.addAll(ids(page.data()));
        }
        assertEquals(ofType, walked);
        Response last = send(ApiCall.to(LIST).query("type", type).query("$last", "7"));
        assertEquals(reversed(ofType.subList(ofType.size() - 7, ofType.size())), ids(last.data()));
    }

    @Test
    void aTargetFilterPagesEveryTypeOfThatObjectAndNothingElse() {
        List<GraphEvent> made = seed(120, shard -> true);
        List<String> people = made.stream()
                .filter(event -> event.type().startsWith("person."))
                .map(GraphEvent::id)
                .sorted()
                .toList();
        List<String> walked = new ArrayList<>();
        Response page = send(ApiCall.to(LIST).query("target", "person").query("$first", "9"));
        walked.addAll(ids(page.data()));
        while (page.next() != null) {
            assertTrue(page.next().contains("target=person"), page.next());
            assertEquals(9, page.data().size(), "every page but the last is full");
            page = send(ApiCall.follow(LIST, page.next()));
            walked.addAll(ids(page.data()));
        }
        assertEquals(people, walked);
        // Both filters apply: a type of another object leaves nothing.
        assertEquals(
                0,
                send(ApiCall.to(LIST).query("target", "person").query("type", "class.created"))
                        .data()
                        .size());
        assertEquals(400, send(ApiCall.to(LIST).query("target", "spaceship")).status());
        // A filter the feed cannot apply is refused, never ignored.
        Response unknown = send(ApiCall.to(LIST).query("first_name", "Sofia"));
        assertEquals(400, unknown.status());
        assertEquals("UNKNOWN_PARAMETER", unknown.firstErrorCode());
    }

    @Test
    void aPageIsExactWhenOneShardHoldsMostOfIt() {
        // Three of every four events land in shard 0, so that shard runs out of its first share of a
        // page and is read on, in either direction.
        List<String> feed = seed(80, shard -> shard == 0).stream()
                .map(GraphEvent::id)
                .sorted()
                .toList();
        Response first = send(ApiCall.to(LIST).query("$first", "40"));
        assertEquals(feed.subList(0, 40), ids(first.data()));
        Response rest = send(ApiCall.follow(LIST, first.next()));
        assertEquals(feed.subList(40, 80), ids(rest.data()));
        assertNull(rest.next());
        Response last = send(ApiCall.to(LIST).query("$last", "40"));
        assertEquals(reversed(feed.subList(40, 80)), ids(last.data()));
        Response before = send(ApiCall.follow(LIST, last.next()));
        assertEquals(reversed(feed.subList(0, 40)), ids(before.data()));
        assertNull(before.next());
    }

    @Test
    void unsettledAndExpiredEventsStayOutOfEveryPage() {
        List<GraphEvent> made = seed(10, shard -> true);
        List<String> feed = made.stream().map(GraphEvent::id).sorted().toList();
        List<String> ofType = made.stream()
                .filter(event -> event.type().equals(TYPES.get(0)))
                .map(GraphEvent::id)
                .sorted()
                .toList();
        GraphEvent unsettled = event(EventIds.next(Instant.now().plusSeconds(60)), 0);
        GraphEvent expired = event(
                EventIds.next(
                        Instant.now().minus(services.settings().retention()).minusSeconds(60)),
                0);
        write(List.of(store.item(unsettled), store.item(expired)));
        assertEquals(feed, ids(send(ApiCall.to(LIST)).data()));
        assertEquals(
                reversed(feed), ids(send(ApiCall.to(LIST).query("$last", "100")).data()));
        assertEquals(
                ofType, ids(send(ApiCall.to(LIST).query("type", TYPES.get(0))).data()));
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        java.util.Collections.reverse(copy);
        return copy;
    }

    private Response send(ApiCall call) {
        return call.token(tenant.token()).send(handler);
    }

    /** Several events of each of a few objects, one person's among them, a few milliseconds apart. */
    private List<GraphEvent> seedObjects() {
        Instant base = Instant.now().minus(Duration.ofMinutes(30));
        List<String[]> plan = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            plan.add(new String[] {round == 0 ? "person.created" : "person.updated", "person-a"});
            plan.add(new String[] {round == 0 ? "class.created" : "class.updated", "class-b"});
            plan.add(new String[] {round == 0 ? "person.created" : "person.updated", "person-c"});
        }
        plan.add(new String[] {"person.deleted", "person-a"});
        List<GraphEvent> made = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            String id = EventIds.next(base.plusMillis(3L * i));
            String type = plan.get(i)[0];
            made.add(new GraphEvent(
                    id,
                    tenant.id(),
                    type,
                    type.substring(0, type.indexOf('.')),
                    plan.get(i)[1],
                    EventIds.timeOf(id),
                    Json.object().put("id", plan.get(i)[1])));
        }
        write(made.stream().map(store::item).toList());
        return made;
    }

    private static List<String> idsIn(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }

    private static List<String> idsOf(List<GraphEvent> events, java.util.function.Predicate<GraphEvent> which) {
        return events.stream().filter(which).map(GraphEvent::id).sorted().toList();
    }

    private List<JsonNode> walk(ApiCall first) {
        List<JsonNode> seen = new ArrayList<>();
        Response page = send(first);
        while (true) {
            assertEquals(200, page.status(), String.valueOf(page.body()));
            page.data().forEach(seen::add);
            if (page.next() == null) {
                return seen;
            }
            assertEquals(2, page.data().size(), "a page before the last is full");
            page = send(ApiCall.follow(LIST, page.next()));
        }
    }

    @Test
    void aTargetIdFilterPagesOneObjectsEventsInOrderAndFullPages() {
        List<GraphEvent> made = seedObjects();
        List<JsonNode> ofA = walk(ApiCall.to(LIST).query("$first", "2").query("target_id", "person-a"));
        assertEquals(idsOf(made, e -> e.targetId().equals("person-a")), idsIn(ofA));
        // Shaped as Edlink's list sample: type, target, target_id and integration_id on each event.
        JsonNode last = ofA.get(ofA.size() - 1);
        assertEquals("person.deleted", last.path("type").asText());
        assertEquals("person", last.path("target").asText());
        assertEquals("person-a", last.path("target_id").asText());
        assertEquals(tenant.id(), last.path("integration_id").asText());
    }

    @Test
    void edlinksFilterNarrowsByTypeTargetAndTargetIdTogether() {
        List<GraphEvent> made = seedObjects();
        String filter = """
                {"target_id": [{"operator": "in", "value": ["person-a", "class-b"]}],
                 "type": [{"operator": "equals", "value": "person.updated"}]}""";
        List<JsonNode> updatesOfA = walk(ApiCall.to(LIST).query("$first", "2").query("$filter", filter));
        assertEquals(
                idsOf(made, e -> e.targetId().equals("person-a") && e.type().equals("person.updated")),
                idsIn(updatesOfA));
        assertEquals(3, updatesOfA.size());

        List<JsonNode> classes = walk(ApiCall.to(LIST)
                .query("$first", "2")
                .query("$filter", "{\"target\": [{\"operator\": \"equals\", \"value\": \"class\"}]}"));
        assertEquals(idsOf(made, e -> e.target().equals("class")), idsIn(classes));

        // A parameter and the filter both hold: person-c is not among the filter's ids.
        Response none = send(ApiCall.to(LIST).query("target_id", "person-c").query("$filter", filter));
        assertEquals(200, none.status());
        assertEquals(0, none.data().size());
        assertNull(none.next());
    }

    @Test
    void createdDateBoundsInTheFilterAreARangeOfIdsExactToTheMillisecond() {
        // Events 5 ms apart; bounds on a millisecond an event was made at, and between two.
        List<GraphEvent> made = seed(40, shard -> true);
        List<String> feed = made.stream().map(GraphEvent::id).sorted().toList();
        Instant tenth = EventIds.timeOf(feed.get(10));
        Instant thirtieth = EventIds.timeOf(feed.get(30));
        String both = """
                {"created_date": [{"operator": "gte", "value": "%s"}, {"operator": "lt", "value": "%s"}]}""".formatted(tenth, thirtieth);
        List<JsonNode> range = walk(ApiCall.to(LIST).query("$first", "2").query("$filter", both));
        assertEquals(feed.subList(10, 30), idsIn(range));
        String exclusive = """
                {"created_date": [{"operator": "gt", "value": "%s"}, {"operator": "lte", "value": "%s"}]}""".formatted(tenth, thirtieth);
        assertEquals(
                feed.subList(11, 31),
                idsIn(walk(ApiCall.to(LIST).query("$first", "2").query("$filter", exclusive))));
        // A bound between two events' milliseconds, under Edlink's v2 name for the field, newest first.
        String between = """
                {"date": [{"operator": "gt", "value": "%s"}]}""".formatted(tenth.plusMillis(2).plusNanos(500_000));
        Response newest = send(ApiCall.to(LIST).query("$last", "100").query("$filter", between));
        assertEquals(reversed(feed.subList(11, 40)), ids(newest.data()));
        // With a type, both hold.
        String typed = """
                {"created_date": [{"operator": "lt", "value": "%s"}],
                 "type": [{"operator": "equals", "value": "%s"}]}""".formatted(thirtieth, TYPES.get(2));
        assertEquals(
                made.stream()
                        .filter(e ->
                                e.type().equals(TYPES.get(2)) && e.createdDate().isBefore(thirtieth))
                        .map(GraphEvent::id)
                        .sorted()
                        .toList(),
                idsIn(walk(ApiCall.to(LIST).query("$first", "2").query("$filter", typed))));
        // The range also bounds what a target_id filter reads.
        String targeted =
                """
                {"created_date": [{"operator": "gte", "value": "%s"}],
                 "target_id": [{"operator": "in", "value": ["%s", "%s"]}]}""".formatted(tenth, made.get(5).targetId(), made.get(20).targetId());
        assertEquals(
                List.of(made.get(20).id()),
                ids(send(ApiCall.to(LIST).query("$filter", targeted)).data()));

        Map<String, String> refused = Map.of(
                "{\"created_date\": [{\"operator\": \"equals\", \"value\": \"2026-01-01\"}]}", "UNSUPPORTED_FILTER",
                "{\"created_date\": [{\"operator\": \"gt\", \"value\": \"yesterday\"}]}", "INVALID_FILTER",
                "{\"created_date\": [{\"operator\": \"gt\", \"value\": 1700000000}]}", "INVALID_FILTER",
                "{\"updated_date\": [{\"operator\": \"gt\", \"value\": \"2026-01-01\"}]}", "UNSUPPORTED_FILTER");
        refused.forEach((filter, code) -> {
            Response response = send(ApiCall.to(LIST).query("$filter", filter));
            assertEquals(400, response.status(), filter);
            assertEquals(code, response.firstErrorCode(), filter);
        });
        // An empty range is an empty list, not an error.
        String empty = """
                {"created_date": [{"operator": "gt", "value": "%s"}, {"operator": "lt", "value": "%s"}]}""".formatted(thirtieth, tenth);
        Response none = send(ApiCall.to(LIST).query("$filter", empty));
        assertEquals(200, none.status());
        assertEquals(0, none.data().size());
    }

    @Test
    void aFilterThatCannotBeAKeyConditionIsA400ThatNamesIt() {
        Map<String, String> refused = Map.of(
                "{\"data.first_name\": [{\"operator\": \"equals\", \"value\": \"Sofia\"}]}", "UNSUPPORTED_FILTER",
                "{\"target_id\": [{\"operator\": \"starts with\", \"value\": \"person-\"}]}", "UNSUPPORTED_FILTER",
                "{\"type\": {\"operator\": \"equals\", \"value\": \"person.created\"}}", "INVALID_FILTER",
                "{\"type\": [{\"operator\": \"equals\", \"value\": \"person.renamed\"}]}", "INVALID_TYPE",
                "not json", "INVALID_FILTER");
        refused.forEach((filter, code) -> {
            Response response = send(ApiCall.to(LIST).query("$filter", filter));
            assertEquals(400, response.status(), filter);
            assertEquals(code, response.firstErrorCode(), filter);
        });
        Response named = send(
                ApiCall.to(LIST).query("$filter", "{\"target_id\": [{\"operator\": \"contains\", \"value\": \"a\"}]}"));
        assertTrue(named.body().path("$errors").path(0).path("message").asText().contains("contains"));
    }

    /**
     * Writes {@code count} events straight in the store's item format, an hour old and a few
     * milliseconds apart, their types taking turns. Every fourth event's id is drawn freely; the
     * others are drawn until their shard satisfies {@code crowded}, to skew the spread.
     */
    private List<GraphEvent> seed(int count, IntPredicate crowded) {
        ShardLayout four = ShardLayout.of(4);
        services.shardLayouts().replace(GraphKeys.feedLayoutTenant(tenant.id()), four);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        List<GraphEvent> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id;
            do {
                id = EventIds.next(base.plusMillis(5L * i));
            } while (i % 4 != 3 && !crowded.test(four.shard(id)));
            made.add(event(id, i));
        }
        write(made.stream().map(store::item).toList());
        return List.copyOf(made);
    }

    private GraphEvent event(String id, int n) {
        String type = TYPES.get(n % TYPES.size());
        String target = type.substring(0, type.indexOf('.'));
        return new GraphEvent(
                id,
                tenant.id(),
                GraphFeed.checkType(type),
                target,
                target + "-" + n,
                EventIds.timeOf(id),
                Json.object().put("n", n));
    }

    private void write(List<Map<String, AttributeValue>> items) {
        BatchWrites.putAll(services.dynamo(), services.tables().events(), items);
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    @Test
    void aPageAfterTheFirstFindsItsAnchorInItsQueriesAndReadsNoEventByKey() {
        List<GraphEvent> made = seed(60, shard -> true);
        List<String> feed = made.stream().map(GraphEvent::id).sorted().toList();
        CountingStore store =
                new CountingStore(services.dynamo(), services.tables().events());
        ListingHandler counted = new ListingHandler(new Services(services.settings(), store, services.clock()));

        for (boolean forward : new boolean[] {true, false}) {
            List<String> seen = new ArrayList<>();
            Response page = ApiCall.to(LIST)
                    .token(tenant.token())
                    .query(forward ? "$first" : "$last", "9")
                    .send(counted);
            while (true) {
                assertEquals(200, page.status(), page.body().toString());
                List<String> ids = ids(page.data());
                if (forward) {
                    seen.addAll(ids);
                } else {
                    seen.addAll(0, reversed(ids));
                }
                if (page.next() == null) {
                    break;
                }
                page = ApiCall.follow(LIST, page.next()).token(tenant.token()).send(counted);
            }
            assertEquals(feed, seen);
        }
        assertEquals(0, store.getItems(), "no anchor was read by key");

        Response unknown = ApiCall.to(LIST)
                .token(tenant.token())
                .query("$after", EventIds.next(Instant.now().minus(Duration.ofMinutes(1))))
                .send(counted);
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_CURSOR", unknown.firstErrorCode());
        assertEquals(1, store.getItems(), "an anchor the pages did not hold is looked up");
    }
}
