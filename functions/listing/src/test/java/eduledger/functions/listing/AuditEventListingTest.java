package eduledger.functions.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.AuditKeys;
import eduledger.auth.Scope;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.schemas.JsonSchemas;
import eduledger.schemas.SchemaDefinition;
import eduledger.schemas.SchemaStore;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit event list and fetch by id, over events ingested through the core, on the test store. */
class AuditEventListingTest {
    private static final String LIST = "GET /api/v2/audit/events";
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

    private Response list(String... query) {
        ApiCall call = ApiCall.to(LIST).token(tenant.token());
        for (int i = 0; i < query.length; i += 2) {
            call.query(query[i], query[i + 1]);
        }
        return send(call);
    }

    /** Indexes may lag a write; poll the list until it shows what the test wrote, with a deadline. */
    private Response eventually(Predicate<Response> settled, String... query) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Response response = list(query);
        while (!settled.test(response) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            response = list(query);
        }
        return response;
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

    private static String event(String action, String actor, String target, String data) {
        return "{\"action\": {\"id\": \"" + action + "\"}, \"actor\": {\"id\": \"" + actor
                + "\", \"type\": \"person\"},"
                + " \"targets\": [{\"id\": \"" + target
                + "\", \"type\": \"course\"}, {\"id\": \"shared\", \"type\": \"school\"}],"
                + " \"data\": " + data + "}";
    }

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

    @Test
    void pagesForwardThroughNextUrlsOldestFirstAndBackwardWithLast() {
        List<String> made = sevenEvents();
        List<String> seen = new ArrayList<>();
        Response page = list("$first", "3");
        int pages = 1;
        while (true) {
            seen.addAll(ids(page.data()));
            if (page.next() == null) {
                break;
            }
            assertTrue(page.next().startsWith("https://api.test/api/v2/audit/events?"), page.next());
            page = send(ApiCall.follow(LIST, page.next()).token(tenant.token()));
            pages++;
        }
        assertEquals(made, seen);
        assertEquals(3, pages);

        Response last = list("$last", "3");
        assertEquals(made.subList(4, 7), ids(last.data()));
        Response before = send(ApiCall.follow(LIST, last.next()).token(tenant.token()));
        assertEquals(made.subList(1, 4), ids(before.data()));
        Response first = send(ApiCall.follow(LIST, before.next()).token(tenant.token()));
        assertEquals(made.subList(0, 1), ids(first.data()));
        assertEquals(null, first.next());
    }

    @Test
    void aPageIsExactWhenOneShardHoldsMostOfIt() {
        // Client-chosen ids, drawn so that three of every four land in shard 0: that shard runs out of
        // its first share of a page and must be read on, in either direction.
        Instant base = Instant.now().minus(Duration.ofHours(1));
        List<String> made = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean crowded = i % 4 != 3;
            String id;
            do {
                id = EventIds.next(base.plusSeconds(i));
            } while ((AuditKeys.auditShard(id) == 0) != crowded);
            made.add(id);
            events.add("{\"id\": \"" + id + "\", \"action\": {\"id\": \"skewed\"},"
                    + " \"actor\": {\"id\": \"a\", \"type\": \"person\"}}");
        }
        ingest(TestServices.shared(), tenant.id(), events.toArray(String[]::new));

        Response first = list("$first", "20");
        assertEquals(made.subList(0, 20), ids(first.data()));
        Response rest = send(ApiCall.follow(LIST, first.next()).token(tenant.token()));
        assertEquals(made.subList(20, 40), ids(rest.data()));
        assertEquals(null, rest.next());
        Response last = list("$last", "20");
        assertEquals(made.subList(20, 40), ids(last.data()));
        assertEquals(
                made.subList(0, 20),
                ids(send(ApiCall.follow(LIST, last.next()).token(tenant.token()))
                        .data()));
        assertEquals(
                made.subList(5, 35),
                ids(eventually(r -> r.data().size() == 30, "action", "skewed", "$first", "30", "$after", made.get(4))
                        .data()));
    }

    @Test
    void eachFilterIsServedByItsOwnKey() {
        List<String> made = sevenEvents();
        assertEquals(
                List.of(made.get(1), made.get(3), made.get(5)),
                ids(eventually(r -> r.data().size() == 3, "action", "action.1").data()));
        assertEquals(
                List.of(made.get(0), made.get(3), made.get(6)),
                ids(eventually(r -> r.data().size() == 3, "actor_id", "actor-0").data()));
        assertEquals(List.of(made.get(4)), ids(list("target_id", "course-4").data()));
        assertEquals(made, ids(list("target_id", "shared").data()), "every event names the shared target");
        Response paged = list("action", "action.0", "$first", "2");
        assertEquals(List.of(made.get(0), made.get(2)), ids(paged.data()));
        assertTrue(paged.next().contains("action=action.0"), paged.next());
        assertEquals(
                List.of(made.get(4), made.get(6)),
                ids(send(ApiCall.follow(LIST, paged.next()).token(tenant.token()))
                        .data()));
        assertEquals(
                "UNSUPPORTED_FILTER_COMBINATION",
                list("action", "a", "actor_id", "b").firstErrorCode());
        assertEquals(400, list("conforms", "maybe").status());
    }

    @Test
    void conformsFiltersOnTheValidationOutcome() {
        JsonNode definition = Json.readStored("{\"action\": {\"id\": \"graded\", \"type\": \"update\"},"
                + " \"data\": {\"type\": \"object\", \"required\": [\"grade\"]}}");
        new SchemaStore(readers.dynamo(), readers.tables(), readers.clock())
                .create(tenant.id(), SchemaDefinition.forCreate(definition, new JsonSchemas()));
        Services writer = TestServices.create(new SteppingClock(Instant.now().minus(Duration.ofHours(1))));
        List<String> made = ingest(
                writer,
                tenant.id(),
                event("graded", "a", "c1", "{\"grade\": 1}"),
                event("graded", "a", "c2", "{}"),
                event("unschemed", "a", "c3", "{}"),
                event("graded", "a", "c4", "{\"grade\": 2}"));
        assertEquals(
                List.of(made.get(0), made.get(3)),
                ids(eventually(r -> r.data().size() == 2, "conforms", "true").data()));
        assertEquals(
                List.of(made.get(1)),
                ids(eventually(r -> r.data().size() == 1, "conforms", "false").data()));
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
        assertEquals(made.subList(1, 3), ids(list("start_date", start).data()));
        assertEquals(made.subList(0, 2), ids(list("end_date", end).data()));
        assertEquals(
                List.of(made.get(1)),
                ids(eventually(r -> r.data().size() == 1, "actor_id", "a", "start_date", start, "end_date", end)
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
        assertEquals(
                List.of(current),
                ids(eventually(r -> r.data().size() == 1, "action", "login").data()));
        assertEquals(List.of(current), ids(list("target_id", "c").data()));
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
    void anotherIntegrationSeesNothingWhateverIdsItGuesses() {
        List<String> made = sevenEvents();
        TestIntegration other = TestServices.integration(readers);
        Response fetched = send(ApiCall.to(GET).token(other.token()).path("id", made.get(0)));
        assertEquals(404, fetched.status());
        assertEquals("EVENT_NOT_FOUND", fetched.firstErrorCode());
        for (String[] query : List.of(
                new String[] {},
                new String[] {"action", "action.0"},
                new String[] {"actor_id", "actor-0"},
                new String[] {"target_id", "shared"})) {
            ApiCall call = ApiCall.to(LIST).token(other.token());
            for (int i = 0; i < query.length; i += 2) {
                call.query(query[i], query[i + 1]);
            }
            assertEquals(0, send(call).data().size());
        }
        Response cursor = send(ApiCall.to(LIST).token(other.token()).query("$after", made.get(0)));
        assertEquals(404, cursor.status());
        assertEquals("UNKNOWN_CURSOR", cursor.firstErrorCode());
    }

    @Test
    void tokensAreRequiredAndTheReadScopeEnforced() {
        assertEquals(401, send(ApiCall.to(LIST)).status());
        assertEquals(
                401, send(ApiCall.to(GET).token("edl_unknown").path("id", "x")).status());
        TestIntegration writer = TestServices.integration(readers, Scope.AUDIT_WRITE);
        Response forbidden = send(ApiCall.to(LIST).token(writer.token()));
        assertEquals(403, forbidden.status());
        assertEquals("INSUFFICIENT_SCOPE", forbidden.firstErrorCode());
        assertEquals(
                403, send(ApiCall.to(GET).token(writer.token()).path("id", "x")).status());
    }

    @Test
    void datesBeyondFourDigitYearsAreRefusedAndRangesBefore1970AreHonoured() {
        List<String> made = sevenEvents();
        for (String date :
                List.of("+999999999-12-31T00:00:00Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            Response start = list("start_date", date);
            assertEquals(400, start.status(), date + ": " + start.body());
            assertEquals("INVALID_FILTER", start.firstErrorCode());
            assertEquals(400, list("end_date", date).status(), date);
        }
        assertEquals(
                made,
                ids(eventually(r -> r.data().size() == 7, "start_date", "1960-01-01")
                        .data()));
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
}
