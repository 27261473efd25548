package eduledger.functions.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.AuditKeys;
import eduledger.audit.AuditScope;
import eduledger.auth.Scope;
import eduledger.events.EventIds;
import eduledger.integrations.Sharing;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.schemas.JsonSchemas;
import eduledger.storage.ShardLayout;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audit event list of a scope and fetch by id, over events ingested through the core, on the test
 * store. Requests use the parameters and events the shapes of Edlink's Audit Log Events documentation.
 */
class AuditEventListingTest {
    private static final String LIST = "GET /api/v2/audit/events/{scope_id}/{scope_type}";
    private static final String GET = "GET /api/v2/audit/events/{id}";

    /** A clock a second further on at every reading, so events made one after another never share a millisecond. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong millis;

        SteppingClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.getAndAdd(1_000));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final Services readers = TestServices.shared();
    private final ListingHandler handler = new ListingHandler(readers);
    private TestIntegration tenant;

    @BeforeEach
    void newIntegration() {
        tenant = TestServices.integration(readers);
    }

    private Response send(ApiCall call) {
        return call.send(handler);
    }

    private ApiCall listCall(TestIntegration caller, String scopeId, String scopeType, String... query) {
        ApiCall call =
                ApiCall.to(LIST).token(caller.token()).path("scope_id", scopeId).path("scope_type", scopeType);
        for (int i = 0; i < query.length; i += 2) {
            call.query(query[i], query[i + 1]);
        }
        return call;
    }

    /** The tenant's own scope's list. */
    private Response list(String... query) {
        return send(listCall(tenant, tenant.id(), "integration", query));
    }

    private Response follow(String next) {
        return send(ApiCall.follow(LIST, next)
                .token(tenant.token())
                .path("scope_id", tenant.id())
                .path("scope_type", "integration"));
    }

    private static List<String> ingest(Services writer, String integrationId, String... events) {
        List<String> ids = new ArrayList<>();
        AuditIngestion ingestion = new AuditIngestion(
                writer.dynamo(),
                writer.tables(),
                writer.clock(),
                writer.settings().retention(),
                new JsonSchemas());
        for (String event : events) {
            ids.add(ingestion
                    .submit(integrationId, Json.readStored(event), null)
                    .event()
                    .id());
        }
        return ids;
    }

    /** An event shaped as Edlink's documentation shows one, in the tenant's own scope. */
    private String event(String action, String actor, String target, String data) {
        return event(action, actor, target, data, tenant.id(), "integration");
    }

    private static String event(
            String action, String actor, String target, String data, String scopeId, String scopeType) {
        return """
                {"action": "%s",
                 "actor": {"identifiers": [{"value": "%s", "issuer": "gradebook"}], "type": "person"},
                 "targets": [{"identifiers": [{"value": "%s", "issuer": "gradebook"}], "type": "course"},
                             {"identifiers": [{"value": "shared", "issuer": "sis"}], "type": "school"}],
                 "scope": {"id": "%s", "type": "%s"},
                 "context": {"source": "gradebook", "http_method": "POST", "http_status": 201,
                             "ip": "198.51.100.%d", "path": "/grades"},
                 "data": %s}""".formatted(action, actor, target, scopeId, scopeType, Math.abs(actor.hashCode()) % 3, data);
    }

    /** Seven events an hour ago, a second apart, oldest first. */
    private List<String> sevenEvents() {
        Services writer = TestServices.create(new SteppingClock(Instant.now().minus(Duration.ofHours(1))));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(event("action." + (i % 2), "actor-" + (i % 3), "course-" + i, "{\"i\": " + i + "}"));
        }
        return ingest(writer, tenant.id(), events.toArray(String[]::new));
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static List<String> newestFirst(List<String> ids) {
        List<String> reversed = new ArrayList<>(ids);
        Collections.reverse(reversed);
        return reversed;
    }

    @Test
    void aClientPagesNewestFirstThroughNextUrlsAndBackWithLastAndBefore() {
        List<String> made = newestFirst(sevenEvents());
        List<String> seen = new ArrayList<>();
        Response page = list("$first", "3");
        int pages = 1;
        while (true) {
            assertEquals(200, page.status(), page.body().toString());
            seen.addAll(ids(page.data()));
            if (page.next() == null) {
                break;
            }
            assertTrue(
                    page.next().startsWith("https://api.test/api/v2/audit/events/" + tenant.id() + "/integration?"),
                    page.next());
            page = follow(page.next());
            pages++;
        }
        assertEquals(made, seen);
        assertEquals(3, pages);

        // $last takes the oldest events, still listed newest first; $before goes on to newer ones.
        Response last = list("$last", "3");
        assertEquals(made.subList(4, 7), ids(last.data()));
        Response before = follow(last.next());
        assertEquals(made.subList(1, 4), ids(before.data()));
        Response newest = follow(before.next());
        assertEquals(made.subList(0, 1), ids(newest.data()));
        assertEquals(null, newest.next());
    }

    @Test
    void theEventReadsBackInEdlinksShape() {
        String id = sevenEvents().get(0);
        JsonNode event = list("$first", "10").data().path(6);
        assertEquals(id, event.path("id").asText());
        assertEquals("action.0", event.path("action").asText());
        assertEquals("other", event.path("action_type").asText());
        assertTrue(event.path("schema").isNull());
        assertEquals(
                "actor-0",
                event.path("actor").path("identifiers").path(0).path("value").asText());
        assertEquals("person", event.path("actor").path("type").asText());
        assertEquals(
                "sis",
                event.path("targets")
                        .path(1)
                        .path("identifiers")
                        .path(0)
                        .path("issuer")
                        .asText());
        assertEquals(tenant.id(), event.path("scope").path("id").asText());
        assertEquals("integration", event.path("scope").path("type").asText());
        assertEquals("POST", event.path("context").path("http_method").asText());
        assertEquals(0, event.path("data").path("i").asInt());
        assertTrue(event.path("created_date").asText().endsWith("Z"));
    }

    @Test
    void aPageIsExactWhenOneShardHoldsMostOfIt() {
        // A scope spread over 8 shards, and client-chosen ids drawn so that three of every four land in
        // shard 0: that shard runs out of its first share of a page and must be read on, in either direction.
        ShardLayout eight = ShardLayout.of(8);
        readers.shardLayouts()
                .replace(
                        AuditKeys.listLayoutTenant(tenant.id(), new AuditScope(tenant.id(), AuditScope.INTEGRATION)),
                        eight);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        List<String> made = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean crowded = i % 4 != 3;
            String id;
            do {
                id = EventIds.next(base.plusSeconds(i));
            } while ((eight.shard(id) == 0) != crowded);
            made.add(id);
            events.add("{\"id\": \"" + id + "\", "
                    + event("skewed", "a", "c", "{}").substring(1));
        }
        ingest(TestServices.shared(), tenant.id(), events.toArray(String[]::new));
        made = newestFirst(made);

        Response first = list("$first", "20");
        assertEquals(made.subList(0, 20), ids(first.data()));
        Response rest = follow(first.next());
        assertEquals(made.subList(20, 40), ids(rest.data()));
        assertEquals(null, rest.next());
        Response last = list("$last", "20");
        assertEquals(made.subList(20, 40), ids(last.data()));
        assertEquals(made.subList(0, 20), ids(follow(last.next()).data()));
        assertEquals(
                made.subList(5, 35),
                ids(list("action", "skewed", "$first", "30", "$after", made.get(4))
                        .data()));
    }

    @Test
    void eachFilterIsAKeyOfItsOwn() {
        List<String> made = sevenEvents();
        assertEquals(
                newestFirst(List.of(made.get(1), made.get(3), made.get(5))),
                ids(list("action", "action.1").data()));
        assertEquals(
                newestFirst(List.of(made.get(0), made.get(3), made.get(6))),
                ids(list("actor.value", "actor-0").data()));
        assertEquals(
                newestFirst(List.of(made.get(0), made.get(3), made.get(6))),
                ids(list("actor.value", "actor-0", "actor.issuer", "gradebook").data()),
                "an identifier's value with its issuer");
        assertEquals(
                0, list("actor.value", "actor-0", "actor.issuer", "sis").data().size());
        assertEquals(newestFirst(made), ids(list("actor.issuer", "gradebook").data()));
        assertEquals(newestFirst(made), ids(list("actor.type", "person").data()));
        assertEquals(0, list("actor.type", "system").data().size());
        assertEquals(List.of(made.get(4)), ids(list("target.value", "course-4").data()));
        assertEquals(newestFirst(made), ids(list("target.value", "shared").data()), "every event names it");
        assertEquals(newestFirst(made), ids(list("target.type", "school").data()));
        assertEquals(
                List.of(made.get(4)),
                ids(list("target.value", "course-4", "target.issuer", "gradebook")
                        .data()));
        assertEquals(newestFirst(made), ids(list("target.issuer", "sis").data()));
        assertEquals(newestFirst(made), ids(list("context.http_status", "201").data()));
        assertEquals(newestFirst(made), ids(list("context.source", "gradebook").data()));
        assertEquals(0, list("context.http_method", "GET").data().size());
        String actor0Ip = "198.51.100." + Math.abs("actor-0".hashCode()) % 3;
        assertTrue(
                ids(list("context.ip", actor0Ip).data()).containsAll(List.of(made.get(0), made.get(3), made.get(6))));

        Response paged = list("action", "action.0", "$first", "2");
        assertEquals(List.of(made.get(6), made.get(4)), ids(paged.data()));
        assertTrue(paged.next().contains("action=action.0"), paged.next());
        assertEquals(List.of(made.get(2), made.get(0)), ids(follow(paged.next()).data()));

        // Filters combine: an event is listed when it is in every filter's list.
        assertEquals(
                newestFirst(List.of(made.get(0), made.get(6))),
                ids(list("action", "action.0", "actor.value", "actor-0").data()));
        assertEquals(
                List.of(made.get(3)),
                ids(list("action", "action.1", "actor.value", "actor-0", "target.type", "school")
                        .data()));
        assertEquals(
                0, list("action", "action.1", "target.value", "course-4").data().size());
    }

    @Test
    void aDateRangeIsAKeyConditionOnTheTimeOrderedIds() {
        Instant base = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<String> made = new ArrayList<>();
        for (int day = 0; day < 3; day++) {
            Services writer = TestServices.create(Clock.fixed(base.plus(Duration.ofDays(day)), ZoneOffset.UTC));
            made.addAll(ingest(writer, tenant.id(), event("login", "a", "c", "{}")));
        }
        String start = base.plus(Duration.ofHours(12)).toString();
        String end = base.plus(Duration.ofDays(2)).toString();
        assertEquals(
                List.of(made.get(1)),
                ids(list("start_date", start, "end_date", end).data()),
                "end is exclusive");
        assertEquals(
                newestFirst(made.subList(1, 3)), ids(list("start_date", start).data()));
        assertEquals(newestFirst(made.subList(0, 2)), ids(list("end_date", end).data()));
        assertEquals(
                List.of(made.get(1)),
                ids(list("actor.value", "a", "start_date", start, "end_date", end)
                        .data()));
        assertEquals(400, list("start_date", end, "end_date", start).status());
        assertEquals(400, list("start_date", "last tuesday").status());
    }

    @Test
    void expiredEventsAreNeverReturnedEvenBeforeTtlDeletesThem() {
        Services past = TestServices.create(Clock.offset(Clock.systemUTC(), Duration.ofDays(-31)));
        String expired =
                ingest(past, tenant.id(), event("login", "a", "c", "{}")).get(0);
        String current =
                ingest(readers, tenant.id(), event("login", "a", "c", "{}")).get(0);
        assertEquals(List.of(current), ids(list().data()));
        assertEquals(List.of(current), ids(list("action", "login").data()));
        assertEquals(List.of(current), ids(list("target.value", "c").data()));
        assertEquals(
                404,
                send(ApiCall.to(GET).token(tenant.token()).path("id", expired)).status());
        Response cursor = list("$after", expired);
        assertEquals(404, cursor.status());
        assertEquals("UNKNOWN_CURSOR", cursor.firstErrorCode());
    }

    @Test
    void fetchesOneEventByIdWithItsWarnings() {
        String id = ingest(readers, tenant.id(), event("login", "a", "c", "{\"x\": 1}"))
                .get(0);
        Response fetched = send(ApiCall.to(GET).token(tenant.token()).path("id", id));
        assertEquals(200, fetched.status());
        assertEquals(id, fetched.data().path("id").asText());
        assertEquals("login", fetched.data().path("action").asText());
        assertEquals(1, fetched.data().path("data").path("x").asInt());
        assertEquals(
                "NO_SCHEMA",
                fetched.body().path("$warnings").path(0).path("code").asText());
        assertEquals(
                404,
                send(ApiCall.to(GET).token(tenant.token()).path("id", "not-an-id"))
                        .status());
    }

    @Test
    void institutionScopesAndEdlinkIdentifiersFollowWhatTheIntegrationSees() {
        RosterStore roster = new RosterStore(readers.dynamo(), readers.tables(), readers.clock());
        String seen = "school-seen-" + System.nanoTime();
        String hidden = "school-hidden-" + System.nanoTime();
        String person = "person-" + System.nanoTime();
        roster.put(
                RosterCollection.ORGANIZATIONS,
                seen,
                Json.readStored("{\"name\": \"Seen High\", \"type\": \"school\"}"),
                SourceWrite.api());
        roster.put(
                RosterCollection.ORGANIZATIONS,
                hidden,
                Json.readStored("{\"name\": \"Hidden High\", \"type\": \"school\"}"),
                SourceWrite.api());
        roster.put(
                RosterCollection.PEOPLE,
                person,
                Json.readStored("{\"first_name\": \"Ada\", \"school_id\": \"" + seen + "\", \"roles\": [\"student\"]}"),
                SourceWrite.api());
        var integration = readers.integrations()
                .create("rules " + System.nanoTime(), new Sharing(Sharing.RULES, Set.of(seen), Set.of(), 0));
        TestIntegration ruled = new TestIntegration(
                integration.id(), readers.tokens().issue(integration.id(), eduledger.auth.Scope.integrationScopes()));
        String sees = event("grade.view", "x", "c", "{}", seen, "institution")
                .replace(
                        "\"value\": \"x\", \"issuer\": \"gradebook\"",
                        "\"value\": \"" + person + "\", \"issuer\": \"edlink\"");
        String id = ingest(readers, ruled.id(), sees).get(0);

        Response listed = send(listCall(ruled, seen, "institution"));
        assertEquals(200, listed.status(), listed.body().toString());
        assertEquals(List.of(id), ids(listed.data()));
        JsonNode identifier =
                listed.data().path(0).path("actor").path("identifiers").path(0);
        assertEquals("Ada", identifier.path("details").path("first_name").asText(), identifier.toString());
        assertTrue(
                listed.data()
                        .path(0)
                        .path("targets")
                        .path(0)
                        .path("identifiers")
                        .path(0)
                        .path("details")
                        .isMissingNode(),
                "only edlink identifiers are enriched");

        Response hiddenScope = send(listCall(ruled, hidden, "institution"));
        assertEquals(404, hiddenScope.status());
        assertEquals("SCOPE_NOT_FOUND", hiddenScope.firstErrorCode());
        assertEquals(400, send(listCall(ruled, seen, "district")).status());
    }

    @Test
    void anotherIntegrationSeesNothingWhateverIdsItGuesses() {
        List<String> made = sevenEvents();
        TestIntegration other = TestServices.integration(readers);
        Response fetched = send(ApiCall.to(GET).token(other.token()).path("id", made.get(0)));
        assertEquals(404, fetched.status());
        assertEquals("EVENT_NOT_FOUND", fetched.firstErrorCode());
        for (String[] query : List.of(
                new String[] {},
                new String[] {"action", "action.0"},
                new String[] {"actor.value", "actor-0"},
                new String[] {"target.value", "shared"})) {
            Response response = send(listCall(other, tenant.id(), "integration", query));
            assertEquals(404, response.status());
            assertEquals("SCOPE_NOT_FOUND", response.firstErrorCode());
            assertEquals(
                    0,
                    send(listCall(other, other.id(), "integration", query))
                            .data()
                            .size());
        }
        Response cursor = send(listCall(other, other.id(), "integration", "$after", made.get(0)));
        assertEquals(404, cursor.status());
        assertEquals("UNKNOWN_CURSOR", cursor.firstErrorCode());
    }

    @Test
    void tokensAreRequiredAndTheReadScopeEnforced() {
        assertEquals(
                401,
                send(ApiCall.to(LIST).path("scope_id", "x").path("scope_type", "integration"))
                        .status());
        assertEquals(
                401, send(ApiCall.to(GET).token("edl_unknown").path("id", "x")).status());
        TestIntegration writer = TestServices.integration(readers, Scope.AUDIT_WRITE);
        Response forbidden = send(listCall(writer, writer.id(), "integration"));
        assertEquals(403, forbidden.status());
        assertEquals("INSUFFICIENT_SCOPE", forbidden.firstErrorCode());
        assertEquals(
                403, send(ApiCall.to(GET).token(writer.token()).path("id", "x")).status());
    }

    @Test
    void datesBeyondFourDigitYearsAreRefusedAndRangesBefore1970AreHonoured() {
        List<String> made = newestFirst(sevenEvents());
        for (String date :
                List.of("+999999999-12-31T00:00:00Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            Response start = list("start_date", date);
            assertEquals(400, start.status(), date + ": " + start.body());
            assertEquals("INVALID_FILTER", start.firstErrorCode());
            assertEquals(400, list("end_date", date).status(), date);
        }
        assertEquals(made, ids(list("start_date", "1960-01-01").data()));
        assertEquals(
                made,
                ids(list("start_date", "1960-01-01", "end_date", "9999-12-31").data()));
        Response none = list("end_date", "1969-12-31");
        assertEquals(200, none.status(), none.body().toString());
        assertEquals(List.of(), ids(none.data()));
        assertEquals(
                List.of(),
                ids(list("start_date", "0001-01-01", "end_date", "1970-01-01").data()));
    }

    @Test
    void pagesOfLargeEventsStayUnderTheResponseLimitAndNextShowsEachEventOnce() throws Exception {
        // 240 KB of stored JSON each (under the 400 KB item), 360 KB once escaped again in the
        // response: 100 to a page would be 36 MB.
        String data = "{\"text\": " + Json.write(TextNode.valueOf("x".repeat(120_000) + "\"".repeat(60_000))) + "}";
        Services writer = TestServices.create(new SteppingClock(Instant.now().minus(Duration.ofHours(1))));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event("large", "actor-" + i, "course-" + i, data));
        }
        List<String> made = newestFirst(ingest(writer, tenant.id(), events.toArray(String[]::new)));
        List<String> seen = new ArrayList<>();
        ApiCall call = listCall(tenant, tenant.id(), "integration", "$first", "100");
        int pages = 0;
        while (call != null && pages < 25) {
            var out = new java.io.ByteArrayOutputStream();
            eduledger.lambda.HttpEventJson.write(handler.handleRequest(call.event(), null), out);
            assertTrue(out.size() < 6 * 1024 * 1024, "a response of " + out.size() + " bytes");
            JsonNode body = Json.readStored(
                    ApiCall.bodyOf(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray())));
            assertTrue(
                    body.path("$data").size() < 20,
                    "a page of " + body.path("$data").size());
            seen.addAll(ids(body.path("$data")));
            String next = body.path("$next").asText(null);
            call = next == null
                    ? null
                    : ApiCall.follow(LIST, next)
                            .token(tenant.token())
                            .path("scope_id", tenant.id())
                            .path("scope_type", "integration");
            pages++;
        }
        assertEquals(made, seen);
        assertTrue(pages >= 2, pages + " pages");
    }
    /** The response body as the client receives it, before any parse. */
    private String rawBody(ApiCall call) {
        return call.sendForBody(handler);
    }

    /** The text of {@code $data} as it stands in a body: each item of a page, or the one event. */
    private static List<String> rawData(String body) throws Exception {
        List<String> items = new ArrayList<>();
        try (var parser = new com.fasterxml.jackson.core.JsonFactory().createParser(body)) {
            parser.nextToken();
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                boolean data = parser.currentName().equals("$data");
                var value = parser.nextToken();
                if (data && value == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        items.add(rawValue(body, parser));
                    }
                } else if (data) {
                    items.add(rawValue(body, parser));
                } else {
                    parser.skipChildren();
                }
            }
        }
        return items;
    }

    private static String rawValue(String body, com.fasterxml.jackson.core.JsonParser parser) throws Exception {
        int from = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        return body.substring(from, (int) parser.currentLocation().getCharOffset());
    }

    private static String withoutData(String event) {
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.readStored(event);
        json.remove("data");
        return Json.write(json);
    }

    @Test
    void aListedEventIsByteForByteWhatAFetchRendersFromTheParsedEvent() throws Exception {
        RosterStore roster = new RosterStore(readers.dynamo(), readers.tables(), readers.clock());
        String person = "person-" + System.nanoTime();
        roster.put(
                RosterCollection.PEOPLE,
                person,
                Json.readStored("{\"first_name\": \"Ada\", \"roles\": [\"student\"]}"),
                SourceWrite.api());
        Services writer = TestServices.create(new SteppingClock(Instant.now().minus(Duration.ofHours(1))));
        List<String> made = ingest(
                writer,
                tenant.id(),
                event(
                        "text",
                        "a",
                        "c",
                        "{\"s\": \"Zo\u00eb \u2603 \\ud834\\udd1e \\\" \\\\ \\n \\t \\u0001 \\u2028 </\"}"),
                event(
                        "numbers",
                        "a",
                        "c",
                        "{\"f\": 1.50, \"e\": 1e2, \"E\": -2.5E-3, \"z\": -0.0,"
                                + " \"big\": 123456789012345678901234567890.125, \"i\": -9223372036854775809}"),
                event(
                        "shapes",
                        "a",
                        "c",
                        "{\"n\": null, \"t\": true, \"a\": [[], {}, [1, [2, {\"x\": []}]]], \"o\": {}}"),
                event("edlink", person, "c", "{}")
                        .replace(
                                "\"issuer\": \"gradebook\"}], \"type\": \"person\"",
                                "\"issuer\": \"edlink\"}], \"type\": \"person\""),
                withoutData(event("empty", "a", "c", "{}")));

        List<String> listed = rawData(rawBody(listCall(tenant, tenant.id(), "integration")));
        List<String> fetched = new ArrayList<>();
        for (String id : newestFirst(made)) {
            fetched.add(rawData(rawBody(ApiCall.to(GET).token(tenant.token()).path("id", id)))
                    .get(0));
        }
        assertEquals(fetched, listed);
        assertTrue(listed.get(1).contains("\"details\":{\"first_name\":\"Ada\""), listed.get(1));
        // A filtered list reads the bodies by key, and renders the same bytes.
        assertEquals(
                List.of(fetched.get(4)),
                rawData(rawBody(listCall(tenant, tenant.id(), "integration", "action", "text"))));
    }

    @ParameterizedTest(name = "list of action \"{0}\" (empty: the whole list)")
    @ValueSource(strings = {"", "action.1"})
    void eventsWhoseBodyCarryingLookupItemsHoldKeysOnlyStillList(String action) throws Exception {
        List<String> made = sevenEvents();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            if (action.isEmpty() || action.equals("action." + (i % 2))) {
                expected.add(made.get(i));
            }
        }
        String[] filter = action.isEmpty() ? new String[0] : new String[] {"action", action};
        List<String> before = rawData(rawBody(listCall(tenant, tenant.id(), "integration", filter)));
        String partition = AuditKeys.auditLookup(
                tenant.id(),
                new AuditScope(tenant.id(), AuditScope.INTEGRATION),
                0,
                action.isEmpty() ? "" : AuditKeys.dimension("ACTION", action));
        var lookups = readers.dynamo()
                .query(q -> q.tableName(readers.tables().events())
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition))))
                .items();
        assertEquals(expected.size(), lookups.size());
        // Written as before these lists carried bodies: every other lookup item keys only.
        for (int i = 0; i < lookups.size(); i++) {
            assertTrue(lookups.get(i).containsKey("event"), "the list's lookup item carries the body");
            if (i % 2 == 0) {
                Map<String, AttributeValue> keysOnly = new HashMap<>(lookups.get(i));
                keysOnly.remove("event");
                readers.dynamo()
                        .putItem(p -> p.tableName(readers.tables().events()).item(keysOnly));
            }
        }
        Response page = list(filter);
        assertEquals(before, rawData(rawBody(listCall(tenant, tenant.id(), "integration", filter))));
        assertEquals(newestFirst(expected), ids(page.data()));
    }

    @Test
    void aPageAfterTheFirstFindsItsAnchorInItsQueriesAndReadsNoEventByKey() {
        List<String> made = newestFirst(sevenEvents());
        CountingStore store =
                new CountingStore(readers.dynamo(), readers.tables().events());
        ListingHandler counted = new ListingHandler(new Services(readers.settings(), store, readers.clock()));
        for (String[] filter :
                List.of(new String[0], new String[] {"action", "action.0"}, new String[] {"actor.value", "actor-1"})) {
            List<String> seen = new ArrayList<>();
            Response page = listCall(tenant, tenant.id(), "integration", with(filter, "$first", "2"))
                    .send(counted);
            while (true) {
                assertEquals(200, page.status(), page.body().toString());
                seen.addAll(ids(page.data()));
                if (page.next() == null) {
                    break;
                }
                page = ApiCall.follow(LIST, page.next())
                        .token(tenant.token())
                        .path("scope_id", tenant.id())
                        .path("scope_type", "integration")
                        .send(counted);
            }
            assertEquals(
                    made.stream().filter(id -> matches(made, id, filter)).toList(), seen, String.join(" ", filter));
        }
        assertEquals(0, store.getItems(), "no anchor was read by key");

        // An anchor no page handed out is still looked up, and one that names no event refused.
        Response after = listCall(tenant, tenant.id(), "integration", "action", "action.1", "$after", made.get(0))
                .send(counted);
        assertEquals(200, after.status(), after.body().toString());
        assertEquals(1, store.getItems());
        Response unknown = listCall(tenant, tenant.id(), "integration", "$after", EventIds.next(Instant.now()))
                .send(counted);
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_CURSOR", unknown.firstErrorCode());
    }

    private static String[] with(String[] filter, String... more) {
        List<String> all = new ArrayList<>(List.of(filter));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Whether the event {@code id} of {@link #sevenEvents} (by its place in {@code made}, newest first) meets the filter. */
    private static boolean matches(List<String> made, String id, String[] filter) {
        int i = made.size() - 1 - made.indexOf(id);
        if (filter.length == 0) {
            return true;
        }
        return filter[0].equals("action")
                ? filter[1].equals("action." + (i % 2))
                : filter[1].equals("actor-" + (i % 3));
    }
}
