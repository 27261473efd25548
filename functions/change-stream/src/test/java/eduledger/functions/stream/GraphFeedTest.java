package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.eventually;
import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.events.EventIds;
import eduledger.functions.listing.ListingHandler;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Integrations' feeds through the local stream trigger: sharing, rule changes, paging, retention. */
class GraphFeedTest {
    private static final String LIST = "GET /api/v2/graph/events";
    private static final String GET = "GET /api/v2/graph/events/{id}";
    private static GraphWorld world;

    @BeforeAll
    static void start() {
        world = new GraphWorld(List.of(), true);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static void organization(String id, String parent) {
        world.put(
                "organizations",
                id,
                parent == null
                        ? "{\"name\": \"" + id + "\", \"type\": \"district\"}"
                        : "{\"name\": \"" + id + "\", \"type\": \"school\", \"parent_id\": \"" + parent + "\"}");
    }

    private static void person(String id, String school, String role) {
        world.put(
                "people",
                id,
                "{\"first_name\": \"" + id + "\", \"roles\": [\"" + role + "\"], \"school_id\": \"" + school + "\"}");
    }

    private static List<JsonNode> feedOf(Reader reader, int atLeast) {
        return eventually(() -> world.feed(reader), f -> f.size() >= atLeast, atLeast + " events");
    }

    @Test
    void referencesThatCouldNeverBeKeysAreRefusedAtTheWriteNotInTheStream() {
        String g = unique("district-g");
        for (String reference : List.of(
                "\"parent_id\": \"" + "p".repeat(3_000) + "\"",
                "\"parent_id\": \"" + "\u00e9".repeat(100) + "\"",
                "\"parent_id\": 42",
                "\"account_id\": \"a b\"",
                "\"school_ids\": [\"" + "s".repeat(300) + "\"]")) {
            Response refused = world.put("courses", unique("course-g"), "{\"name\": \"x\", " + reference + "}");
            assertEquals(
                    400,
                    refused.status(),
                    reference.substring(0, Math.min(40, reference.length())) + ": " + refused.body());
            assertEquals("INVALID_REFERENCE", refused.firstErrorCode());
        }
        Response accepted =
                world.put("organizations", unique("school-g"), "{\"name\": \"s\", \"parent_id\": \"" + g + "\"}");
        assertEquals(201, accepted.status(), String.valueOf(accepted.body()));
    }

    @Test
    void integrationsWithDifferentSharingSeeDifferentFeeds() {
        String a = unique("district-a");
        String a1 = unique("school-a1");
        String b = unique("district-b");
        String studentA = unique("student");
        String teacherB = unique("teacher");
        String studentB = unique("student");
        Reader onlyA = world.reader(rules(a));
        Reader teachersOfB = world.reader(
                "{\"type\": \"rules\", \"organization_ids\": [\"" + b + "\"], \"person_roles\": [\"teacher\"]}");
        Reader everything = world.reader("{\"type\": \"all\"}");
        organization(a, null);
        organization(a1, a);
        organization(b, null);
        person(studentA, a1, "student");
        person(teacherB, b, "teacher");
        person(studentB, b, "student");

        assertEquals(
                List.of("organization.created:" + a, "organization.created:" + a1, "person.created:" + studentA),
                types(feedOf(onlyA, 3)));
        assertEquals(List.of("organization.created:" + b, "person.created:" + teacherB), types(feedOf(teachersOfB, 2)));
        Set<String> ours = Set.of(a, a1, b, studentA, teacherB, studentB);
        List<JsonNode> all = eventually(
                () -> world.feed(everything).stream()
                        .filter(e -> ours.contains(e.path("target_id").asText()))
                        .toList(),
                f -> f.size() >= 6,
                "six events");
        assertEquals(6, all.size());

        String eventOfA = feedOf(onlyA, 3).get(0).path("id").asText();
        assertEquals(
                200, world.list(onlyA, ApiCall.to(GET).path("id", eventOfA)).status());
        Response foreign = world.list(teachersOfB, ApiCall.to(GET).path("id", eventOfA));
        assertEquals(404, foreign.status(), "another integration's event is not there for it");
        assertEquals(
                "UNKNOWN_CURSOR",
                world.list(teachersOfB, ApiCall.to(LIST).query("$after", eventOfA))
                        .firstErrorCode());
    }

    @Test
    void ruleChangesBringObjectsInAsCreatedAndTakeThemOutAsDeleted() {
        String c = unique("district-c");
        String d = unique("district-d");
        String d1 = unique("school-d1");
        String teacher = unique("teacher");
        String student = unique("student");
        Reader reader = world.reader(rules(c));
        organization(c, null);
        organization(d, null);
        organization(d1, d);
        person(teacher, d1, "teacher");
        person(student, d1, "student");
        feedOf(reader, 1);
        // The roster writes above must have reached the stream before the rules move to d.
        eventually(
                () -> world.delivered.stream()
                        .mapToInt(e -> e.getRecords().size())
                        .sum(),
                n -> n >= 5,
                "five records");

        Response moved = world.admin(ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                .path("integration_id", reader.integrationId())
                .body(rules(d)));
        assertEquals(200, moved.status(), String.valueOf(moved.body()));
        assertEquals(5, moved.data().path("events_written").asInt());
        List<String> afterMove = types(feedOf(reader, 6));
        assertEquals("organization.created:" + c, afterMove.get(0));
        assertEquals(
                Set.of(
                        "organization.deleted:" + c,
                        "organization.created:" + d,
                        "organization.created:" + d1,
                        "person.created:" + teacher,
                        "person.created:" + student),
                Set.copyOf(afterMove.subList(1, 6)));

        Response narrowed = world.admin(ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                .path("integration_id", reader.integrationId())
                .body("{\"type\": \"rules\", \"organization_ids\": [\"" + d + "\"], \"person_roles\": [\"teacher\"]}"));
        assertEquals(1, narrowed.data().path("events_written").asInt());
        assertEquals("person.deleted:" + student, types(feedOf(reader, 7)).get(6));

        world.put("organizations", c, "{\"name\": \"renamed, no longer shared\"}");
        world.put("organizations", d1, "{\"name\": \"renamed\", \"parent_id\": \"" + d + "\"}");
        assertEquals("organization.updated:" + d1, types(feedOf(reader, 8)).get(7));

        Response invalid = world.admin(ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                .path("integration_id", reader.integrationId())
                .body("{\"type\": \"rules\"}"));
        assertEquals(400, invalid.status());
    }

    @Test
    void pagesFollowNextInOrderAndAStaleCursorAsksForAFullSync() {
        String e = unique("district-e");
        Reader reader = world.reader(rules(e));
        organization(e, null);
        for (int i = 0; i < 6; i++) {
            organization(e + "-school-" + i, e);
        }
        List<JsonNode> whole = feedOf(reader, 7);
        List<String> ids = whole.stream().map(n -> n.path("id").asText()).toList();

        List<String> paged = new ArrayList<>();
        Response page = world.list(reader, ApiCall.to(LIST).query("$first", "3"));
        int pages = 1;
        while (true) {
            page.data().forEach(n -> paged.add(n.path("id").asText()));
            if (page.next() == null) {
                break;
            }
            assertTrue(page.next().startsWith("https://api.test/api/v2/graph/events?"), page.next());
            page = world.list(reader, ApiCall.follow(LIST, page.next()));
            pages++;
        }
        assertEquals(ids, paged);
        assertEquals(3, pages);

        Response last = world.list(reader, ApiCall.to(LIST).query("$last", "3"));
        // Backward pages come newest first.
        assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4)), ids(last.data()));
        Response before = world.list(reader, ApiCall.follow(LIST, last.next()));
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), ids(before.data()));

        Response schools = world.list(
                reader, ApiCall.to(LIST).query("type", "organization.created").query("$after", ids.get(0)));
        assertEquals(ids.subList(1, 7), ids(schools.data()));
        assertEquals(
                0,
                world.list(reader, ApiCall.to(LIST).query("type", "person.created"))
                        .data()
                        .size());
        assertEquals(
                "INVALID_TYPE",
                world.list(reader, ApiCall.to(LIST).query("type", "person.exploded"))
                        .firstErrorCode());

        String unknown = EventIds.next(Instant.now().minusSeconds(60));
        Response stale = world.list(reader, ApiCall.to(LIST).query("$after", unknown));
        assertEquals(404, stale.status());
        assertEquals("UNKNOWN_CURSOR", stale.firstErrorCode());
        assertTrue(stale.body().path("$errors").path(0).path("message").asText().contains("full sync"));
        Response expired = world.list(
                reader,
                ApiCall.to(LIST).query("$after", EventIds.next(Instant.now().minus(Duration.ofDays(40)))));
        assertEquals("CURSOR_EXPIRED", expired.firstErrorCode());
        assertEquals(
                404,
                world.list(reader, ApiCall.to(LIST).query("$after", "not-an-id"))
                        .status());
        assertEquals(
                200, world.list(reader, ApiCall.to(GET).path("id", ids.get(3))).status());
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    @Test
    void eventsPastRetentionAreHiddenBeforeTtlRemovesThem() {
        String f = unique("district-f");
        Reader reader = world.reader(rules(f));
        organization(f, null);
        String id = feedOf(reader, 1).get(0).path("id").asText();

        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(31));
        ListingHandler listingLater = new ListingHandler(TestServices.create(later));
        Response list = ApiCall.to(LIST).token(reader.token()).send(listingLater);
        assertEquals(200, list.status());
        assertEquals(0, list.data().size());
        assertEquals(
                404,
                ApiCall.to(GET)
                        .path("id", id)
                        .token(reader.token())
                        .send(listingLater)
                        .status());
        assertEquals(
                "CURSOR_EXPIRED",
                ApiCall.to(LIST)
                        .query("$after", id)
                        .token(reader.token())
                        .send(listingLater)
                        .firstErrorCode());
        assertEquals(1, world.feed(reader).size(), "still there today");
    }
}
