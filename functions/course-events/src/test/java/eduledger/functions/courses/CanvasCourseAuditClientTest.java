package eduledger.functions.courses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.courses.CourseAuditListener;
import eduledger.courses.CourseAuditStore;
import eduledger.json.Json;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.FunctionTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The course audit log as a client written from Canvas's documentation sees it: the CourseEvent,
 * CourseEventLink, Course and User shapes the documentation lists, its pagination (the {@code Link}
 * header's {@code rel} values, {@code per_page}) and its {@code access_token} parameter. The
 * expectations are the documentation's, not read back from this code.
 */
class CanvasCourseAuditClientTest extends FunctionTest<CourseEventsHandler> {
    private static final String BY_COURSE = "GET /api/v1/audit/course/courses/{course_id}";
    private static final String BY_ACCOUNT = "GET /api/v1/audit/course/accounts/{account_id}";
    private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"([a-z]+)\"");

    CanvasCourseAuditClientTest() {
        super(CourseEventsHandler::new);
    }

    private final CourseAuditListener listener = new CourseAuditListener(
            new CourseAuditStore(services.dynamo(), services.tables()),
            services.settings().retention(),
            services.clock());
    private String course;
    private String account;
    private Instant clock = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void newIntegration() {
        course = "course-" + UUID.randomUUID();
        account = "account-" + UUID.randomUUID();
    }

    private void change(String id, String before, String after, SourceWrite write) {
        clock = clock.plusSeconds(1);
        listener.onChange(
                new RosterChange(
                        RosterCollection.COURSES,
                        id,
                        before == null ? null : Json.readStored(before),
                        after == null ? null : Json.readStored(after),
                        write,
                        UUID.randomUUID().toString(),
                        clock),
                Set.of(tenant.id()));
    }

    private Response get(String route, String param, String id, Map<String, String> query) {
        ApiCall call = ApiCall.to(route).path(param, id).token(tenant.token());
        query.forEach(call::query);
        return call.send(handler);
    }

    private static Map<String, String> links(Response response) {
        Map<String, String> links = new LinkedHashMap<>();
        Matcher matcher = LINK.matcher(response.headers().getOrDefault("link", ""));
        while (matcher.find()) {
            links.put(matcher.group(2), matcher.group(1));
        }
        return links;
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new HashSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void anEdlinkCourseIsServedAsCanvasCourseEventsAndACanvasCourse() {
        // What an Edlink sync job writes: Edlink's course field names.
        change(course, null, """
                {"name": "Course 1", "code": "C-1", "start_date": "2012-01-19T15:00:00Z",
                 "end_date": "2012-05-19T15:00:00Z", "is_public": true, "state": "unpublished",
                 "school_id": "%s", "session_ids": ["s1"]}""".formatted(account), SourceWrite.api());
        change(
                course,
                """
                {"name": "Course 1", "code": "C-1", "start_date": "2012-01-19T15:00:00Z",
                 "end_date": "2012-05-19T15:00:00Z", "is_public": true, "state": "unpublished",
                 "school_id": "%s", "session_ids": ["s1"]}""".formatted(account),
                """
                {"name": "Course 2", "code": "C-1", "start_date": "2012-07-19T15:00:00Z",
                 "end_date": "2012-05-19T15:00:00Z", "is_public": false, "state": "active",
                 "school_id": "%s", "session_ids": ["s2"]}""".formatted(account),
                new SourceWrite(null, null, null, null, null, null));

        Response response = get(BY_COURSE, "course_id", course, Map.of());
        assertEquals(200, response.status(), String.valueOf(response.body()));
        JsonNode events = response.body().path("events");
        assertEquals(3, events.size());
        // Newest first: the update and its lifecycle event, then the creation.
        JsonNode updated = null;
        for (JsonNode event : events) {
            assertEquals(Set.of("id", "created_at", "event_type", "event_data", "event_source", "links"), keys(event));
            // The CourseEventLink keys Canvas always sends, null when unknown.
            assertTrue(keys(event.path("links")).containsAll(Set.of("course", "user", "page_view", "sis_batch")));
            assertEquals(course, event.path("links").path("course").asText());
            assertTrue(event.path("links").path("user").isNull());
            if (event.path("event_type").asText().equals("updated")) {
                updated = event;
            }
        }
        assertNotNull(updated);
        // UpdatedEventData as the documentation's sample names its fields.
        assertEquals(Json.readStored("""
                {"name": ["Course 1", "Course 2"], "start_at": ["2012-01-19T15:00:00Z", "2012-07-19T15:00:00Z"],
                 "is_public": [true, false]}"""), updated.path("event_data"));
        // A write that names no source was made by hand, as Canvas records it.
        assertEquals("manual", updated.path("event_source").asText());
        assertEquals(
                "published",
                events.path(0).path("event_type").asText().equals("updated")
                        ? events.path(1).path("event_type").asText()
                        : events.path(0).path("event_type").asText());
        JsonNode created = events.path(2);
        assertEquals("created", created.path("event_type").asText());
        assertEquals(Json.readStored("""
                {"name": [null, "Course 1"], "course_code": [null, "C-1"], "start_at": [null, "2012-01-19T15:00:00Z"],
                 "conclude_at": [null, "2012-05-19T15:00:00Z"], "is_public": [null, true],
                 "workflow_state": [null, "unpublished"], "account_id": [null, "%s"], "created_source": "api"}""".formatted(account)), created.path("event_data"));

        JsonNode courseJson = response.body().path("linked").path("courses").path(0);
        assertEquals(course, courseJson.path("id").asText());
        assertEquals("Course 2", courseJson.path("name").asText());
        assertEquals("C-1", courseJson.path("course_code").asText());
        assertEquals("available", courseJson.path("workflow_state").asText());
        assertEquals(account, courseJson.path("account_id").asText());
        assertEquals("2012-07-19T15:00:00Z", courseJson.path("start_at").asText());
        assertEquals("2012-05-19T15:00:00Z", courseJson.path("end_at").asText());
        assertFalse(courseJson.path("is_public").asBoolean(true));
        assertTrue(
                keys(courseJson).containsAll(Set.of("sis_course_id", "root_account_id", "enrollment_term_id", "uuid")));
        assertFalse(courseJson.has("session_ids"));
        assertFalse(courseJson.has("code"));
    }

    @Test
    void linkedUsersArePeopleAsCanvasUsersAndPageViewsNameTheirUserAndCourse() {
        String person = "person-" + UUID.randomUUID();
        new RosterStore(services.dynamo(), services.tables(), services.clock())
                .put(RosterCollection.PEOPLE, person, Json.readStored("""
                                {"first_name": "Ann", "last_name": "Lee", "email": "ann@example.edu",
                                 "roles": ["teacher"]}"""), SourceWrite.api());
        String pageView = "e2b76430-27a5-0131-3ca1-48e0eb13f29b";
        change(
                course,
                null,
                "{\"name\": \"Biology\", \"account_id\": \"" + account + "\"}",
                new SourceWrite(SourceWrite.API, person, pageView, "batch-1", null, null));

        Response response = get(BY_COURSE, "course_id", course, Map.of());
        JsonNode event = response.body().path("events").path(0);
        assertEquals("api", event.path("event_source").asText());
        assertEquals(person, event.path("links").path("user").asText());
        assertEquals(pageView, event.path("links").path("page_view").asText());
        assertEquals("batch-1", event.path("links").path("sis_batch").asText());

        JsonNode user = response.body().path("linked").path("users").path(0);
        assertEquals(person, user.path("id").asText());
        assertEquals("Ann Lee", user.path("name").asText());
        assertEquals("Lee, Ann", user.path("sortable_name").asText());
        assertEquals("Ann", user.path("first_name").asText());
        assertEquals("Lee", user.path("last_name").asText());
        assertEquals("Ann", user.path("short_name").asText());
        assertEquals("ann@example.edu", user.path("email").asText());
        assertTrue(user.has("sis_user_id"));
        assertTrue(user.has("login_id"));

        JsonNode view = response.body().path("linked").path("page_views").path(0);
        assertEquals(pageView, view.path("id").asText());
        assertEquals("Course", view.path("context_type").asText());
        assertEquals(person, view.path("links").path("user").asText());
        assertEquals(course, view.path("links").path("context").asText());
        assertEquals(event.path("created_at").asText(), view.path("created_at").asText());
    }

    @Test
    void theAccessTokenQueryParameterAuthenticatesLikeTheHeader() {
        change(course, null, "{\"name\": \"Biology\", \"account_id\": \"" + account + "\"}", SourceWrite.api());
        Response byQuery = ApiCall.to(BY_COURSE)
                .path("course_id", course)
                .query("access_token", tenant.token())
                .send(handler);
        assertEquals(200, byQuery.status(), String.valueOf(byQuery.body()));
        assertEquals(1, byQuery.body().path("events").size());
        Response wrong = ApiCall.to(BY_COURSE)
                .path("course_id", course)
                .query("access_token", "not-a-token")
                .send(handler);
        assertEquals(401, wrong.status());
        assertFalse(wrong.body().path("errors").path(0).path("message").asText().isEmpty());
    }

    @Test
    void anUnknownParameterIsA400InCanvasShapeThatNamesIt() {
        change(course, null, "{\"name\": \"Biology\", \"account_id\": \"" + account + "\"}", SourceWrite.api());
        Response response = get(BY_COURSE, "course_id", course, Map.of("event_type", "created"));
        assertEquals(400, response.status());
        assertTrue(
                response.body().path("errors").path(0).path("message").asText().contains("event_type"),
                response.body().toString());
        assertNull(response.body().get("$errors"));
        // The course route has no sub-account roll-up to ask for.
        assertEquals(
                400,
                get(BY_COURSE, "course_id", course, Map.of("include_sub_accounts", "true"))
                        .status());
    }

    @Test
    void aMethodTheRouteDoesNotTakeIsA405InCanvasShape() {
        Response response = ApiCall.to("DELETE /api/v1/audit/course/courses/{course_id}")
                .path("course_id", course)
                .token(tenant.token())
                .send(handler);
        assertEquals(405, response.status());
        assertEquals("GET", response.headers().get("allow"));
        assertFalse(
                response.body().path("errors").path(0).path("message").asText().isEmpty());
        Response nowhere = ApiCall.to("GET /api/v1/audit/course/sections/{id}")
                .path("id", "x")
                .token(tenant.token())
                .send(handler);
        assertEquals(404, nowhere.status());
        assertTrue(nowhere.body().has("errors"));
    }

    /** A client follows {@code next} to the end, {@code prev} back to the start, and jumps to {@code last}. */
    @Test
    void aClientPagesBothWaysWithTheLinkHeader() {
        String previous = null;
        for (int i = 0; i < 7; i++) {
            String next = "{\"name\": \"v" + i + "\", \"account_id\": \"" + account + "\"}";
            change(course, previous, next, SourceWrite.api());
            previous = next;
        }
        for (String route : List.of(BY_COURSE, BY_ACCOUNT)) {
            String param = route.equals(BY_COURSE) ? "course_id" : "account_id";
            String id = route.equals(BY_COURSE) ? course : account;
            Response page = get(route, param, id, Map.of("per_page", "3"));
            assertEquals(200, page.status(), String.valueOf(page.body()));
            Map<String, String> links = links(page);
            assertEquals(List.of("current", "next", "first", "last"), new ArrayList<>(links.keySet()));
            assertTrue(links.get("next").contains("per_page=3"));

            List<List<String>> forward = new ArrayList<>();
            forward.add(ids(page));
            while (links(page).containsKey("next")) {
                page = ApiCall.follow(route, links(page).get("next"))
                        .path(param, id)
                        .token(tenant.token())
                        .send(handler);
                assertEquals(200, page.status());
                forward.add(ids(page));
            }
            assertEquals(List.of(3, 3, 1), forward.stream().map(List::size).toList());
            assertEquals(7, forward.stream().flatMap(List::stream).distinct().count(), "each of the seven events once");
            assertTrue(links(page).containsKey("prev"));

            List<List<String>> backward = new ArrayList<>();
            backward.add(ids(page));
            while (links(page).containsKey("prev")) {
                page = ApiCall.follow(route, links(page).get("prev"))
                        .path(param, id)
                        .token(tenant.token())
                        .send(handler);
                backward.add(0, ids(page));
            }
            assertEquals(forward, backward);

            Response last = ApiCall.follow(route, links(page).get("last"))
                    .path(param, id)
                    .token(tenant.token())
                    .send(handler);
            List<String> all = forward.stream().flatMap(List::stream).toList();
            assertEquals(all.subList(all.size() - 3, all.size()), ids(last));
            assertFalse(links(last).containsKey("next"));
            assertTrue(links(last).containsKey("prev"));
        }
    }

    private static List<String> ids(Response response) {
        List<String> ids = new ArrayList<>();
        response.body().path("events").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }
}
