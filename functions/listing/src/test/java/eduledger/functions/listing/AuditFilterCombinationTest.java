package eduledger.functions.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.AuditJoin;
import eduledger.audit.AuditKeys;
import eduledger.audit.AuditScope;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.schemas.JsonSchemas;
import eduledger.storage.BatchWrites;
import eduledger.storage.ShardLayout;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Audit lists under several filters at once, against a model that filters every event in memory:
 * random events, random combinations of filters (with and without a date range), paged forward and
 * backward in random page sizes, on a scope whose lists are spread over 1, 2, 4 and then 8 shards.
 * Every walk must list exactly the matching events, newest first, each once. Pages short of full
 * with more after them are allowed only as partial pages that say so.
 */
class AuditFilterCombinationTest {
    private static final String LIST = "GET /api/v2/audit/events/{scope_id}/{scope_type}";
    private static final List<String> ACTIONS = List.of("user.login", "grade.update", "roster.sync");
    private static final List<String> PEOPLE = List.of("p-0", "p-1", "p-2", "p-3");
    private static final List<String> ISSUERS = List.of("sis", "lms");
    private static final List<String> TARGET_TYPES = List.of("course", "school", "person");
    private static final List<String> METHODS = List.of("GET", "POST");
    private static final List<String> QUERIES = List.of("page=1", "page=2&sort=name");

    private final Services services = TestServices.withTenantLimit(TestServices.shared(), 1_000_000);
    private final Random random = new Random(20261130);
    private TestIntegration tenant;
    private Instant base;

    @BeforeEach
    void newIntegration() {
        tenant = TestServices.integration(services);
        base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    }

    /** A filter a client sends: its parameters, and which events it keeps. */
    private record Filter(Map<String, String> parameters, Predicate<JsonNode> keeps) {}

    @Test
    void everyCombinationPagesExactlyAsTheModelInBothDirectionsAcrossShardEpochs() {
        ShardLayout layout = ShardLayout.SINGLE
                .then(base.plus(Duration.ofMinutes(15)), 2)
                .then(base.plus(Duration.ofMinutes(30)), 4)
                .then(base.plus(Duration.ofMinutes(45)), 8);
        AuditScope scope = new AuditScope(tenant.id(), AuditScope.INTEGRATION);
        services.shardLayouts().replace(AuditKeys.listLayoutTenant(tenant.id(), scope), layout);
        List<ObjectNode> events = ingest(260);
        ListingHandler handler = new ListingHandler(services);

        int combinations = 0;
        int nonEmpty = 0;
        while (combinations < 40) {
            Filter filter = randomFilter(random.nextInt(4) == 0);
            if (filter.parameters().keySet().stream()
                            .filter(name -> !name.endsWith("_date"))
                            .count()
                    < 2) {
                continue;
            }
            combinations++;
            List<String> expected = newestFirst(events, filter.keeps());
            nonEmpty += expected.isEmpty() ? 0 : 1;
            int size = 1 + random.nextInt(expected.size() < 10 ? 4 : 30);
            List<List<String>> forward = walk(handler, filter, "$first", size);
            assertEquals(expected, flat(forward), "forward, pages of " + size + ": " + filter);
            List<List<String>> backward = walk(handler, filter, "$last", size);
            assertEquals(expected, newestFirst(backward), "backward, pages of " + size + ": " + filter);
            if (backward.subList(0, backward.size() - 1).stream().allMatch(page -> page.size() == size)) {
                // No page stopped short: backward pages are the list cut from its end.
                assertEquals(reversedPages(expected, size), flat(backward), "backward, pages of " + size);
            }
        }
        assertTrue(nonEmpty > 20, "most combinations drawn match something: " + nonEmpty);
    }

    @Test
    void aPageThatSpendsItsBudgetSaysSoAndItsNextGoesOnExactly() {
        List<ObjectNode> events = ingest(150);
        // One Query and one id a page: a page reads no more than it takes to decide its first id, and
        // goes on only as far as the chunks that read brought in.
        ListingHandler tight = new ListingHandler(services, new AuditJoin.Budget(1, 1));
        ListingHandler ample = new ListingHandler(services);
        Filter filter = new Filter(
                Map.of("action", "grade.update", "actor.type", "person"),
                event -> event.path("action").asText().equals("grade.update")
                        && event.at("/actor/type").asText().equals("person"));
        List<String> expected = newestFirst(events, filter.keeps());
        assertTrue(expected.size() > 5, "the combination matches several events: " + expected.size());

        Response first = send(tight, call(filter, "$first", 100));
        assertEquals(200, first.status(), first.body().toString());
        assertTrue(first.data().size() < expected.size(), "the first page stops short");
        assertTrue(first.next() != null, "a partial page has a $next");
        assertEquals(
                AuditJoin.PARTIAL_PAGE, first.body().at("/$warnings/0/code").asText());

        List<String> forward = new ArrayList<>();
        int partial = 0;
        Response page = first;
        while (true) {
            page.data().forEach(event -> forward.add(event.path("id").asText()));
            if (page.body().path("$warnings").size() > 0) {
                partial++;
            }
            if (page.next() == null) {
                break;
            }
            page = send(tight, follow(page.next()));
            assertEquals(200, page.status(), page.body().toString());
        }
        assertEquals(expected, forward, "following $next through partial pages yields every match once");
        assertTrue(partial >= 1, "a page was partial: " + partial);
        assertEquals(expected, newestFirst(walk(tight, filter, "$last", 100)));

        // With the default budget the same list is one full page and says nothing more.
        Response whole = send(ample, call(filter, "$first", 100));
        assertEquals(expected, ids(whole.data()));
        assertEquals(null, whole.next());
        assertEquals(0, whole.body().path("$warnings").size());
    }

    @Test
    void lookupsWhoseEventWasNeverWrittenAreNeitherListedNorAnchors() {
        List<ObjectNode> events = ingest(100);
        Filter filter = new Filter(
                Map.of("action", "user.login", "context.http_method", "POST"),
                event -> event.path("action").asText().equals("user.login")
                        && event.at("/context/http_method").asText().equals("POST"));
        // Lookup items in both filters' lists with no event behind them, as a write that stopped
        // after its lookups would leave: the join finds them as matches, the body read does not.
        AuditScope scope = new AuditScope(tenant.id(), AuditScope.INTEGRATION);
        List<String> dimensions =
                eduledger.audit.AuditQuery.from(filter.parameters()::get).dimensions();
        List<Map<String, AttributeValue>> orphans = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = EventIds.next(
                    base.plusMillis(random.nextInt((int) Duration.ofMinutes(59).toMillis())));
            for (String dimension : dimensions) {
                orphans.add(Map.of(
                        "pk", AttributeValue.fromS(AuditKeys.auditLookup(tenant.id(), scope, 0, dimension)),
                        "sk", AttributeValue.fromS(id)));
            }
        }
        BatchWrites.putAll(services.dynamo(), services.tables().events(), orphans);
        List<String> expected = newestFirst(events, filter.keeps());
        assertTrue(expected.size() > 3, expected.toString());

        for (AuditJoin.Budget budget : List.of(new AuditJoin.Budget(1, 1), AuditJoin.Budget.DEFAULT)) {
            ListingHandler handler = new ListingHandler(services, budget);
            for (int size : List.of(1, 2, 5)) {
                assertEquals(expected, flat(walk(handler, filter, "$first", size)), budget + ", pages of " + size);
                assertEquals(expected, newestFirst(walk(handler, filter, "$last", size)), budget + ", back in " + size);
            }
        }
    }

    @Test
    void oneFilterAndTheWholeListPassOverLookupsWithoutAnEvent() {
        List<ObjectNode> events = ingest(60);
        AuditScope scope = new AuditScope(tenant.id(), AuditScope.INTEGRATION);
        List<Filter> filters = List.of(
                new Filter(Map.of(), event -> true),
                new Filter(
                        Map.of("action", "user.login"),
                        event -> event.path("action").asText().equals("user.login")));
        for (Filter filter : filters) {
            String dimension =
                    eduledger.audit.AuditQuery.from(filter.parameters()::get).dimension();
            // Runs of lookups with no event behind them, longer than a page, as writes that
            // stopped after their lookups would leave.
            List<Map<String, AttributeValue>> orphans = new ArrayList<>();
            for (int run = 0; run < 4; run++) {
                Instant at = base.plusMillis(
                        random.nextInt((int) Duration.ofMinutes(59).toMillis()));
                for (int i = 0; i < 7; i++) {
                    orphans.add(Map.of(
                            "pk", AttributeValue.fromS(AuditKeys.auditLookup(tenant.id(), scope, 0, dimension)),
                            "sk", AttributeValue.fromS(EventIds.next(at.plusMillis(i)))));
                }
            }
            BatchWrites.putAll(services.dynamo(), services.tables().events(), orphans);
            List<String> expected = newestFirst(events, filter.keeps());
            ListingHandler handler = new ListingHandler(services);
            for (int size : List.of(1, 2, 5)) {
                List<List<String>> forward = walk(handler, filter, "$first", size);
                assertEquals(expected, flat(forward), filter.parameters() + ", pages of " + size);
                forward.subList(0, forward.size() - 1)
                        .forEach(page -> assertEquals(size, page.size(), "every page but the last is full"));
                assertEquals(
                        expected,
                        newestFirst(walk(handler, filter, "$last", size)),
                        filter.parameters() + ", back in " + size);
            }
        }
    }

    @Test
    void combinationsTakeDateRangesAnchorsAndTheExactQuery() {
        List<ObjectNode> events = ingest(120);
        ListingHandler handler = new ListingHandler(services);
        Instant start = base.plus(Duration.ofMinutes(12));
        Instant end = base.plus(Duration.ofMinutes(41));
        Filter filter = new Filter(
                new LinkedHashMap<>(Map.of(
                        "context.query",
                        "page=2&sort=name",
                        "actor.type",
                        "person",
                        "start_date",
                        start.toString(),
                        "end_date",
                        end.toString())),
                event -> event.at("/context/query").asText().equals("page=2&sort=name")
                        && event.at("/actor/type").asText().equals("person")
                        && inRange(event, start, end));
        List<String> expected = newestFirst(events, filter.keeps());
        assertTrue(expected.size() > 3, expected.toString());
        assertEquals(expected, flat(walk(handler, filter, "$first", 3)));

        // From an anchor in the middle, each way.
        int middle = expected.size() / 2;
        Response after = send(handler, call(filter, "$first", 100).query("$after", expected.get(middle)));
        assertEquals(expected.subList(middle + 1, expected.size()), ids(after.data()));
        Response before = send(handler, call(filter, "$last", 100).query("$before", expected.get(middle)));
        assertEquals(expected.subList(0, middle), ids(before.data()));

        Response unknown = send(
                handler, call(filter, "$first", 5).query("$after", EventIds.next(base.plus(Duration.ofMinutes(20)))));
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_CURSOR", unknown.firstErrorCode());
    }

    /** {@code count} events at random times in the last hour, each drawn from small sets of values so that filters meet. */
    private List<ObjectNode> ingest(int count) {
        AuditIngestion ingestion = new AuditIngestion(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                new JsonSchemas());
        List<ObjectNode> events = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        while (events.size() < count) {
            String id = EventIds.next(
                    base.plusMillis(random.nextInt((int) Duration.ofMinutes(59).toMillis())));
            if (!ids.add(id)) {
                continue;
            }
            ObjectNode event = Json.object().put("id", id).put("action", pick(ACTIONS));
            ObjectNode actor = event.putObject("actor");
            actor.putArray("identifiers").addObject().put("value", pick(PEOPLE)).put("issuer", pick(ISSUERS));
            actor.put("type", random.nextInt(5) == 0 ? "system" : "person");
            ArrayNode targets = event.putArray("targets");
            int targetCount = 1 + random.nextInt(2);
            for (int t = 0; t < targetCount; t++) {
                ObjectNode target = targets.addObject();
                target.putArray("identifiers")
                        .addObject()
                        .put("value", "t-" + random.nextInt(6))
                        .put("issuer", pick(ISSUERS));
                target.put("type", TARGET_TYPES.get(t == 0 ? random.nextInt(2) : 2));
            }
            event.putObject("scope").put("id", tenant.id()).put("type", "integration");
            ObjectNode context = event.putObject("context")
                    .put("http_method", pick(METHODS))
                    .put("ip", "198.51.100." + random.nextInt(3));
            if (random.nextBoolean()) {
                context.put("query", pick(QUERIES));
            }
            event.putObject("data").put("n", events.size());
            events.add(event);
        }
        for (int from = 0; from < events.size(); from += 100) {
            ObjectNode batch = Json.object();
            ArrayNode sent = batch.putArray("events");
            events.subList(from, Math.min(events.size(), from + 100)).forEach(sent::add);
            assertTrue(ingestion.submit(tenant.id(), batch, null).results().stream()
                    .allMatch(AuditIngestion.Result::stored));
        }
        return events;
    }

    /** Two to four filters (at times one, which the caller skips), values drawn where events have theirs. */
    private Filter randomFilter(boolean dated) {
        Map<String, String> parameters = new LinkedHashMap<>();
        List<Predicate<JsonNode>> tests = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(
                "action",
                "actor.value",
                "actor.issuer",
                "actor.type",
                "target.value",
                "target.issuer",
                "target.type",
                "context.http_method",
                "context.ip",
                "context.query"));
        Collections.shuffle(names, random);
        for (String name : names.subList(0, 2 + random.nextInt(3))) {
            String value = switch (name) {
                case "action" -> pick(ACTIONS);
                case "actor.value" -> pick(PEOPLE);
                case "actor.issuer", "target.issuer" -> pick(ISSUERS);
                case "actor.type" -> random.nextInt(4) == 0 ? "system" : "person";
                case "target.value" -> "t-" + random.nextInt(6);
                case "target.type" -> pick(TARGET_TYPES);
                case "context.http_method" -> pick(METHODS);
                case "context.ip" -> "198.51.100." + random.nextInt(3);
                default -> pick(QUERIES);
            };
            parameters.put(name, value);
        }
        // An identifier's value with its issuer names one identifier; every other filter on a party
        // holds when any of the event's parties of that kind (the actor, any target) has it.
        for (String party : List.of("actor", "target")) {
            String value = parameters.get(party + ".value");
            String issuer = parameters.get(party + ".issuer");
            String type = parameters.get(party + ".type");
            if (value != null && issuer != null) {
                tests.add(event -> parties(event, party).stream()
                        .anyMatch(p -> identifiers(p).stream()
                                .anyMatch(id -> id.path("value").asText().equals(value)
                                        && id.path("issuer").asText().equals(issuer))));
            } else if (value != null) {
                tests.add(event -> anyIdentifier(event, party, "value", value));
            } else if (issuer != null) {
                tests.add(event -> anyIdentifier(event, party, "issuer", issuer));
            }
            if (type != null) {
                tests.add(event -> parties(event, party).stream()
                        .anyMatch(p -> p.path("type").asText().equals(type)));
            }
        }
        if (parameters.containsKey("action")) {
            String action = parameters.get("action");
            tests.add(event -> event.path("action").asText().equals(action));
        }
        for (String field : List.of("http_method", "ip", "query")) {
            String value = parameters.get("context." + field);
            if (value != null) {
                tests.add(event -> event.path("context").path(field).asText().equals(value));
            }
        }
        if (dated) {
            Instant start = base.plusSeconds(random.nextInt(1800));
            Instant end = start.plusSeconds(600 + random.nextInt(1800));
            parameters.put("start_date", start.toString());
            parameters.put("end_date", end.toString());
            tests.add(event -> inRange(event, start, end));
        }
        return new Filter(parameters, event -> tests.stream().allMatch(test -> test.test(event)));
    }

    private static boolean inRange(JsonNode event, Instant start, Instant end) {
        Instant time = EventIds.timeOf(event.path("id").asText());
        return !time.isBefore(start) && time.isBefore(end);
    }

    private static List<JsonNode> parties(JsonNode event, String party) {
        List<JsonNode> parties = new ArrayList<>();
        if (party.equals("actor")) {
            parties.add(event.path("actor"));
        } else {
            event.path("targets").forEach(parties::add);
        }
        return parties;
    }

    private static List<JsonNode> identifiers(JsonNode party) {
        List<JsonNode> identifiers = new ArrayList<>();
        party.path("identifiers").forEach(identifiers::add);
        return identifiers;
    }

    private static boolean anyIdentifier(JsonNode event, String party, String field, String value) {
        return parties(event, party).stream()
                .anyMatch(p -> identifiers(p).stream()
                        .anyMatch(id -> id.path(field).asText().equals(value)));
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    /**
     * Every page from the first on, following {@code $next}, in the order received. A page with a
     * {@code $next} is full unless it is marked partial, and only such a page may be empty.
     */
    private List<List<String>> walk(ListingHandler handler, Filter filter, String sizeName, int size) {
        List<List<String>> pages = new ArrayList<>();
        Response page = send(handler, call(filter, sizeName, size));
        while (true) {
            assertEquals(200, page.status(), page.body().toString());
            pages.add(ids(page.data()));
            if (page.next() == null) {
                return pages;
            }
            if (page.data().size() < size) {
                assertEquals(
                        AuditJoin.PARTIAL_PAGE,
                        page.body().at("/$warnings/0/code").asText(),
                        "a short page with more after it is a partial one: " + page.body());
            }
            page = send(handler, follow(page.next()));
        }
    }

    private static List<String> flat(List<List<String>> pages) {
        List<String> all = new ArrayList<>();
        pages.forEach(all::addAll);
        return all;
    }

    /** Pages walked backward, put back in list order: the last page received first, each newest first. */
    private static List<String> newestFirst(List<List<String>> pages) {
        List<List<String>> reversed = new ArrayList<>(pages);
        Collections.reverse(reversed);
        return flat(reversed);
    }

    private ApiCall call(Filter filter, String sizeName, int size) {
        ApiCall call = ApiCall.to(LIST)
                .token(tenant.token())
                .path("scope_id", tenant.id())
                .path("scope_type", "integration")
                .query(sizeName, Integer.toString(size));
        filter.parameters().forEach(call::query);
        return call;
    }

    private ApiCall follow(String next) {
        return ApiCall.follow(LIST, next)
                .token(tenant.token())
                .path("scope_id", tenant.id())
                .path("scope_type", "integration");
    }

    private static Response send(ListingHandler handler, ApiCall call) {
        return call.send(handler);
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    private static List<String> newestFirst(List<ObjectNode> events, Predicate<JsonNode> keeps) {
        List<String> ids = new ArrayList<>(events.stream()
                .filter(keeps)
                .map(event -> event.path("id").asText())
                .sorted()
                .toList());
        Collections.reverse(ids);
        return ids;
    }

    /** What paging backward in pages of {@code size} returns: the last page first, each page in list order. */
    private static List<String> reversedPages(List<String> list, int size) {
        List<String> seen = new ArrayList<>();
        for (int end = list.size(); end > 0; end -= size) {
            seen.addAll(list.subList(Math.max(0, end - size), end));
        }
        return seen;
    }
}
