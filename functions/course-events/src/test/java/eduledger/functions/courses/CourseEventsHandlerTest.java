package eduledger.functions.courses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import eduledger.auth.Scope;
import eduledger.courses.CourseAuditListener;
import eduledger.courses.CourseAuditStore;
import eduledger.json.Json;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterCollection;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.FunctionTest;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Course events end to end below the stream: roster changes go into the listener, the listing
 * function reads them back from the test store.
 */
class CourseEventsHandlerTest extends FunctionTest<CourseEventsHandler> {
    private static final String BY_COURSE = "GET /api/v1/audit/course/courses/{course_id}";
    private static final String BY_ACCOUNT = "GET /api/v1/audit/course/accounts/{account_id}";
    private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"([a-z]+)\"");

    CourseEventsHandlerTest() {
        super(CourseEventsHandler::new);
    }

    private final CourseAuditListener listener = new CourseAuditListener(
            new CourseAuditStore(services.dynamo(), services.tables()),
            services.settings().retention(),
            services.clock());
    /** Each change happens one second after the one before, well inside retention. */
    private Instant clock = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS);

    // ---- driving the listener ----

    private RosterChange change(
            String collection, String id, String before, String after, SourceWrite write, Instant time) {
        return new RosterChange(
                RosterCollection.valueOf(collection.toUpperCase()),
                id,
                before == null ? null : Json.readStored(before),
                after == null ? null : Json.readStored(after),
                write,
                UUID.randomUUID().toString(),
                time);
    }

    private RosterChange write(String collection, String id, String before, String after, SourceWrite write) {
        clock = clock.plusSeconds(1);
        RosterChange change = change(collection, id, before, after, write, clock);
        listener.onChange(change, Set.of(tenant.id()));
        return change;
    }

    private RosterChange course(String id, String before, String after) {
        return write("courses", id, before, after, SourceWrite.api());
    }

    private void account(String id, String parentId) {
        write(
                "organizations",
                id,
                null,
                parentId == null
                        ? "{\"id\": \"" + id + "\"}"
                        : "{\"id\": \"" + id + "\", \"parent_id\": \"" + parentId + "\"}",
                SourceWrite.api());
    }

    private static String courseJson(String name, String state, String account) {
        return "{\"name\": \"" + name + "\", \"state\": \"" + state + "\", \"account_id\": \"" + account + "\"}";
    }

    // ---- reading ----

    private Response get(String route, String param, String id, String token, Map<String, String> query) {
        ApiCall call = ApiCall.to(route).path(param, id).token(token);
        query.forEach(call::query);
        return call.send(handler);
    }

    private Response byCourse(String courseId, Map<String, String> query) {
        return get(BY_COURSE, "course_id", courseId, tenant.token(), query);
    }

    private Response byAccount(String accountId, Map<String, String> query) {
        return get(BY_ACCOUNT, "account_id", accountId, tenant.token(), query);
    }

    private static List<String> types(Response response) {
        List<String> types = new ArrayList<>();
        response.body()
                .path("events")
                .forEach(e -> types.add(e.path("event_type").asText()));
        return types;
    }

    private static List<String> ids(Response response) {
        List<String> ids = new ArrayList<>();
        response.body().path("events").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static Map<String, String> links(Response response) {
        Map<String, String> links = new HashMap<>();
        Matcher matcher = LINK.matcher(response.headers().getOrDefault("link", ""));
        while (matcher.find()) {
            links.put(matcher.group(2), matcher.group(1));
        }
        return links;
    }

    private Response follow(String route, String param, String id, String url) {
        return ApiCall.follow(route, url).path(param, id).token(tenant.token()).send(handler);
    }

    // ---- producing ----

    @Test
    void createdCarriesTheFieldsSetAsNullNewPairsAndItsSourceAndProvenance() {
        SourceWrite sis = new SourceWrite(SourceWrite.SIS, "user-7", "pv-1", "batch-3", null, null);
        write("courses", "c1", null, """
                {"id": "c1", "name": "Course 1", "start_date": "2012-01-19T15:00:00Z", "is_public": false,
                 "end_date": null, "state": "unpublished", "account_id": "a1"}""", sis);

        Response response = byCourse("c1", Map.of());
        assertEquals(200, response.status(), response.body().toString());
        JsonNode event = response.body().path("events").path(0);
        assertEquals("created", event.path("event_type").asText());
        assertEquals(Json.readStored("""
                {"name": [null, "Course 1"], "start_at": [null, "2012-01-19T15:00:00Z"], "is_public": [null, false],
                 "workflow_state": [null, "unpublished"], "account_id": [null, "a1"], "created_source": "sis"}"""), event.path("event_data"));
        assertEquals("sis", event.path("event_source").asText());
        assertEquals(
                Json.readStored(
                        "{\"course\": \"c1\", \"user\": \"user-7\", \"page_view\": \"pv-1\", \"sis_batch\": \"batch-3\"}"),
                event.path("links"));
        assertTrue(event.path("id")
                .asText()
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertEquals(Json.timestamp(clock), event.path("created_at").asText());
        assertEquals(
                Set.of("id", "created_at", "event_type", "event_data", "event_source", "links"), fieldNames(event));
    }

    @Test
    void updatedCarriesOnlyTheFieldsThatChangedAsOldNewPairs() {
        String v1 =
                "{\"id\": \"c1\", \"name\": \"Course 1\", \"is_public\": true, \"state\": \"available\", \"account_id\": \"a1\", \"term\": \"t1\"}";
        String v2 =
                "{\"id\": \"c1\", \"name\": \"Course 2\", \"is_public\": false, \"state\": \"available\", \"account_id\": \"a1\", \"end_date\": \"2025-06-01\"}";
        course("c1", null, v1);
        course("c1", v1, v2);
        course("c1", v2, v2); // nothing changed: no event

        Response response = byCourse("c1", Map.of());
        assertEquals(List.of("updated", "created"), types(response));
        assertEquals(
                Json.readStored("""
                {"name": ["Course 1", "Course 2"], "is_public": [true, false],
                 "conclude_at": [null, "2025-06-01"]}"""), response.body().path("events").path(0).path("event_data"));
        assertEquals(
                "api",
                response.body().path("events").path(0).path("event_source").asText());
    }

    @Test
    void stateTransitionsYieldTheirLifecycleEventsWithEmptyData() {
        String[] states = {
            "unpublished",
            "available",
            "unpublished",
            "available",
            "completed",
            "available",
            "completed",
            "unpublished",
            "deleted",
            "claimed"
        };
        String previous = null;
        for (String state : states) {
            String next = courseJson("C", state, "a1");
            course("c1", previous, next);
            previous = next;
        }
        course("c1", previous, null);

        Response response = byCourse("c1", Map.of("per_page", "50"));
        List<String> newestLast = new ArrayList<>(types(response));
        java.util.Collections.reverse(newestLast);
        // unconcluded + unpublished happen in one change; their order within it is not defined.
        assertEquals(
                List.of("created", "published", "unpublished", "published", "concluded", "unconcluded", "concluded"),
                newestLast.subList(0, 7));
        assertEquals(Set.of("unconcluded", "unpublished"), Set.copyOf(newestLast.subList(7, 9)));
        assertEquals(List.of("deleted", "restored", "deleted"), newestLast.subList(9, 12));
        response.body().path("events").forEach(event -> {
            if (!event.path("event_type").asText().equals("created")) {
                assertEquals(Json.object(), event.path("event_data"), event.toString());
            }
        });
    }

    @Test
    void copiesAndResetsGiveBothCoursesTheirEventEachLinkingTheOther() {
        course("source", null, courseJson("Source", "available", "a1"));
        write(
                "courses",
                "copy",
                null,
                courseJson("Copy", "unpublished", "a1"),
                new SourceWrite(SourceWrite.MANUAL, "u1", null, null, "source", null));
        write(
                "courses",
                "fresh",
                null,
                courseJson("Fresh", "unpublished", "a1"),
                new SourceWrite(SourceWrite.MANUAL, "u1", null, null, null, "source"));

        Response copy = byCourse("copy", Map.of());
        JsonNode copiedFrom = eventOfType(copy, "copied_from");
        assertEquals("source", copiedFrom.path("links").path("copied_from").asText());
        assertEquals(Json.object(), copiedFrom.path("event_data"));
        assertEquals("manual", copiedFrom.path("event_source").asText());

        Response source = byCourse("source", Map.of());
        JsonNode copiedTo = eventOfType(source, "copied_to");
        assertEquals("copy", copiedTo.path("links").path("copied_to").asText());
        assertEquals("source", copiedTo.path("links").path("course").asText());
        assertTrue(copiedTo.path("links").path("copied_from").isMissingNode());
        JsonNode resetTo = eventOfType(source, "reset_to");
        assertEquals("fresh", resetTo.path("links").path("reset_to").asText());
        assertEquals(
                "source",
                eventOfType(byCourse("fresh", Map.of()), "reset_from")
                        .path("links")
                        .path("reset_from")
                        .asText());

        // Both courses of the copy are in linked.courses, once each.
        List<String> linkedCourses = new ArrayList<>();
        source.body()
                .path("linked")
                .path("courses")
                .forEach(c -> linkedCourses.add(c.path("id").asText()));
        assertEquals(3, linkedCourses.size(), linkedCourses.toString());
        assertEquals(Set.of("source", "copy", "fresh"), Set.copyOf(linkedCourses));
    }

    private static JsonNode eventOfType(Response response, String type) {
        for (JsonNode event : response.body().path("events")) {
            if (event.path("event_type").asText().equals(type)) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event in " + response.body());
    }

    @Test
    void allTwelveTypesAreReadBackPerCourseAndPerAccount() {
        account("root", null);
        account("sub", "root");
        String v = null;
        for (String state : new String[] {
            "unpublished", "available", "unpublished", "completed", "available", "deleted", "available"
        }) {
            String next = "{\"name\": \"" + state + "\", \"state\": \"" + state + "\", \"account_id\": \"sub\"}";
            course("c1", v, next);
            v = next;
        }
        write(
                "courses",
                "c2",
                null,
                courseJson("Copy", "unpublished", "sub"),
                new SourceWrite(SourceWrite.API, null, null, null, "c1", "c1"));

        Set<String> all = Set.of(
                "created",
                "updated",
                "concluded",
                "unconcluded",
                "published",
                "unpublished",
                "deleted",
                "restored",
                "copied_to",
                "copied_from",
                "reset_to",
                "reset_from");
        Set<String> byAccount =
                new HashSet<>(types(byAccount("root", Map.of("per_page", "100", "include_sub_accounts", "true"))));
        assertEquals(all, byAccount);
        Set<String> byCourses = new HashSet<>(types(byCourse("c1", Map.of("per_page", "100"))));
        byCourses.addAll(types(byCourse("c2", Map.of("per_page", "100"))));
        assertEquals(all, byCourses);
    }

    @Test
    void aStreamRecordDeliveredTwiceYieldsOneEvent() {
        RosterChange created = course("c1", null, courseJson("A", "available", "a1"));
        listener.onChange(created, Set.of(tenant.id()));
        RosterChange published = write(
                "courses",
                "c1",
                courseJson("A", "unpublished", "a1"),
                courseJson("B", "available", "a1"),
                SourceWrite.api());
        listener.onChange(published, Set.of(tenant.id()));
        listener.onChange(published, Set.of(tenant.id()));

        assertEquals(
                List.of("published", "updated", "created").stream().sorted().toList(),
                types(byCourse("c1", Map.of())).stream().sorted().toList());
        assertEquals(3, ids(byAccount("a1", Map.of())).size());
        assertEquals(3, new HashSet<>(ids(byCourse("c1", Map.of()))).size());
    }

    // ---- account roll-up ----

    @Test
    void anAccountListsTheCoursesOfItsSubAccountsToo() {
        account("district", null);
        account("school", "district");
        account("department", "school");
        account("elsewhere", null);
        course("algebra", null, courseJson("Algebra", "available", "department"));
        course("biology", null, courseJson("Biology", "available", "school"));
        course("chemistry", null, courseJson("Chemistry", "available", "elsewhere"));

        Map<String, String> rollUp = Map.of("include_sub_accounts", "true");
        assertEquals(Set.of("algebra", "biology"), coursesIn(byAccount("district", rollUp)));
        assertEquals(Set.of("algebra", "biology"), coursesIn(byAccount("school", rollUp)));
        assertEquals(Set.of("algebra"), coursesIn(byAccount("department", rollUp)));
        assertEquals(Set.of("chemistry"), coursesIn(byAccount("elsewhere", rollUp)));
        assertEquals(404, byAccount("nowhere", rollUp).status());
        assertEquals(
                400,
                byAccount("district", Map.of("include_sub_accounts", "yes")).status());
    }

    @Test
    void anAccountListsTheCoursesWhoseAccountItIsAsCanvasDoes() {
        account("district", null);
        account("school", "district");
        course("algebra", null, courseJson("Algebra", "available", "school"));
        course("civics", null, courseJson("Civics", "available", "district"));
        // Edlink's courses name their school, not an account.
        course("biology", null, "{\"name\": \"Biology\", \"state\": \"available\", \"school_id\": \"school\"}");

        assertEquals(Set.of("civics"), coursesIn(byAccount("district", Map.of())));
        assertEquals(Set.of("algebra", "biology"), coursesIn(byAccount("school", Map.of())));
        assertEquals(Set.of("civics"), coursesIn(byAccount("district", Map.of("include_sub_accounts", "false"))));
        assertEquals(
                Set.of("algebra", "biology", "civics"),
                coursesIn(byAccount("district", Map.of("include_sub_accounts", "true"))));
    }

    @Test
    void anAccountKnownOnlyThroughItsCoursesIsListed() {
        course("c1", null, courseJson("A", "available", "unannounced"));
        Response response = byAccount("unannounced", Map.of());
        assertEquals(200, response.status());
        assertEquals(Set.of("c1"), coursesIn(response));
    }

    private static Set<String> coursesIn(Response response) {
        assertEquals(200, response.status(), String.valueOf(response.body()));
        Set<String> courses = new HashSet<>();
        response.body()
                .path("events")
                .forEach(e -> courses.add(e.path("links").path("course").asText()));
        return courses;
    }

    // ---- time range and page size ----

    @Test
    void timesBeyondFourDigitYearsAreRefusedAndRangesBefore1970AreHonoured() {
        course("c1", null, courseJson("v0", "available", "a1"));
        for (String time : List.of("+999999999-12-31", "+999999999-12-31T00:00:00Z", "-999999999-01-01T00:00:00Z")) {
            Response refused = byCourse("c1", Map.of("start_time", time));
            assertEquals(400, refused.status(), time + ": " + refused.body());
            assertEquals(400, byCourse("c1", Map.of("end_time", time)).status(), time);
        }
        assertEquals(
                1,
                ids(byCourse("c1", Map.of("start_time", "1960-01-01T00:00:00Z")))
                        .size());
        Response none = byCourse("c1", Map.of("end_time", "1969-12-31T23:59:59Z"));
        assertEquals(200, none.status(), String.valueOf(none.body()));
        assertEquals(0, ids(none).size());
    }

    @Test
    void startAndEndTimeAreBothInclusive() {
        List<Instant> times = new ArrayList<>();
        String v = null;
        for (int i = 0; i < 4; i++) {
            String next = courseJson("v" + i, "available", "a1");
            times.add(course("c1", v, next).time());
            v = next;
        }
        String t1 = times.get(1).toString();
        String t2 = times.get(2).toString();
        assertEquals(3, ids(byCourse("c1", Map.of("start_time", t1))).size());
        assertEquals(3, ids(byCourse("c1", Map.of("end_time", t2))).size());
        assertEquals(
                2, ids(byCourse("c1", Map.of("start_time", t1, "end_time", t2))).size());
        assertEquals(
                1, ids(byCourse("c1", Map.of("start_time", t1, "end_time", t1))).size());
        assertEquals(
                0,
                ids(byCourse(
                                "c1",
                                Map.of(
                                        "start_time",
                                        times.get(1).plusMillis(1).toString(),
                                        "end_time",
                                        times.get(2).minusMillis(1).toString())))
                        .size());
        assertEquals(
                0, ids(byCourse("c1", Map.of("start_time", t2, "end_time", t1))).size());
        // Offsets other than Z name the same instant.
        String t1InDenver =
                times.get(1).atOffset(java.time.ZoneOffset.ofHours(-6)).toString();
        assertEquals(
                ids(byCourse("c1", Map.of("start_time", t1))), ids(byCourse("c1", Map.of("start_time", t1InDenver))));
    }

    @Test
    void aBadTimeIsA400InCanvasShape() {
        course("c1", null, courseJson("A", "available", "a1"));
        for (String name : List.of("start_time", "end_time")) {
            Response response = byCourse("c1", Map.of(name, "last tuesday"));
            assertEquals(400, response.status());
            assertTrue(
                    response.body()
                            .path("errors")
                            .path(0)
                            .path("message")
                            .asText()
                            .contains(name),
                    response.body().toString());
            assertTrue(response.body().path("$errors").isMissingNode());
        }
    }

    @Test
    void perPageDefaultsToTenAndIsClampedToAHundred() {
        String v = null;
        for (int i = 0; i < 105; i++) {
            String next = "{\"name\": \"v" + i + "\"}";
            course("busy", v, next);
            v = next;
        }
        assertEquals(10, ids(byCourse("busy", Map.of())).size());
        assertEquals(10, ids(byCourse("busy", Map.of("per_page", "0"))).size());
        assertEquals(10, ids(byCourse("busy", Map.of("per_page", "many"))).size());
        assertEquals(7, ids(byCourse("busy", Map.of("per_page", "7"))).size());
        Response clamped = byCourse("busy", Map.of("per_page", "1000"));
        assertEquals(100, ids(clamped).size());
        assertTrue(links(clamped).get("next").contains("per_page=100"));
        Response rest = follow(BY_COURSE, "course_id", "busy", links(clamped).get("next"));
        assertEquals(5, ids(rest).size());
        assertNull(links(rest).get("next"));
    }

    // ---- pagination ----

    @Test
    void followingNextReturnsEveryEventOnceWhileNewEventsArrive() {
        String v = null;
        for (int i = 0; i < 24; i++) {
            String next = "{\"name\": \"v" + i + "\", \"account_id\": \"a1\"}";
            course("c1", v, next);
            v = next;
        }
        Set<String> expected = new HashSet<>(ids(byCourse("c1", Map.of("per_page", "100"))));
        assertEquals(24, expected.size());

        Response page = byCourse("c1", Map.of("per_page", "5"));
        Map<String, String> links = links(page);
        assertTrue(
                links.get("current").startsWith("https://api.test/api/v1/audit/course/courses/c1?"), links.toString());
        assertEquals("https://api.test/api/v1/audit/course/courses/c1?per_page=5", links.get("first"));
        List<String> seen = new ArrayList<>(ids(page));
        List<String> arrived = new ArrayList<>();
        int pages = 1;
        while (links.get("next") != null) {
            // A newer event arrives between every two pages.
            String next = "{\"name\": \"late" + pages + "\", \"account_id\": \"a1\"}";
            course("c1", v, next);
            v = next;
            arrived.add(ids(byCourse("c1", Map.of("per_page", "1"))).get(0));
            assertTrue(links.get("next").startsWith("https://api.test/"), links.get("next"));
            page = follow(BY_COURSE, "course_id", "c1", links.get("next"));
            assertEquals(200, page.status(), page.body().toString());
            links = links(page);
            assertTrue(links.get("current").contains("page="));
            seen.addAll(ids(page));
            pages++;
        }
        assertEquals(5, pages);
        assertEquals(24, seen.size());
        assertEquals(expected, new HashSet<>(seen));
        List<String> newestFirst = new ArrayList<>(seen);
        newestFirst.sort(java.util.Comparator.reverseOrder());
        assertEquals(newestFirst, seen);
        // What arrived meanwhile leads a fresh first page.
        List<String> arrivedNewestFirst = new ArrayList<>(arrived);
        java.util.Collections.reverse(arrivedNewestFirst);
        assertEquals(arrivedNewestFirst, ids(byCourse("c1", Map.of("per_page", "4"))));
    }

    @Test
    void theAccountListingPagesToo() {
        account("root", null);
        account("sub", "root");
        for (int i = 0; i < 7; i++) {
            course("c" + i, null, courseJson("C" + i, "available", i % 2 == 0 ? "root" : "sub"));
        }
        List<String> seen = new ArrayList<>();
        Response page = byAccount("root", Map.of("per_page", "3", "include_sub_accounts", "true"));
        seen.addAll(ids(page));
        while (links(page).get("next") != null) {
            page = follow(BY_ACCOUNT, "account_id", "root", links(page).get("next"));
            seen.addAll(ids(page));
        }
        assertEquals(7, seen.size());
        assertEquals(7, new HashSet<>(seen).size());
    }

    // ---- linked ----

    @Test
    void linkedCoursesUsersAndPageViewsAppearOncePerPage() {
        SourceWrite ann = new SourceWrite(SourceWrite.MANUAL, "ann", "pv-ann", null, null, null);
        SourceWrite bob = new SourceWrite(SourceWrite.MANUAL, "bob", null, null, null, null);
        String v = null;
        for (int i = 0; i < 6; i++) {
            String next = courseJson("v" + i, "available", "a1");
            write("courses", "c1", v, next, i % 2 == 0 ? ann : bob);
            v = next;
        }
        Response response = byCourse("c1", Map.of());
        JsonNode linked = response.body().path("linked");
        assertEquals(1, linked.path("courses").size());
        assertEquals("v5", linked.path("courses").path(0).path("name").asText());
        assertEquals(Set.of("ann", "bob"), idsOf(linked.path("users")));
        assertEquals(2, linked.path("users").size());
        assertEquals(Set.of("pv-ann"), idsOf(linked.path("page_views")));
        assertEquals(1, linked.path("page_views").size());
        assertTrue(response.body()
                .path("links")
                .path("events.course")
                .asText()
                .endsWith("/api/v1/courses/{events.course}"));

        // Only what the page's events name: a one-event page of bob's has no page view.
        Response newest = byCourse("c1", Map.of("per_page", "1"));
        assertEquals(Set.of("bob"), idsOf(newest.body().path("linked").path("users")));
        assertEquals(0, newest.body().path("linked").path("page_views").size());
    }

    private static Set<String> idsOf(JsonNode items) {
        Set<String> ids = new LinkedHashSet<>();
        items.forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    // ---- tenancy, tokens, scopes ----

    @Test
    void anotherIntegrationsCoursesAndAccountsAreNotFound() {
        course("c1", null, courseJson("A", "available", "a1"));
        TestIntegration other = TestServices.integration(services);
        Response course = get(BY_COURSE, "course_id", "c1", other.token(), Map.of());
        assertEquals(404, course.status());
        assertEquals(
                "The specified resource does not exist.",
                course.body().path("errors").path(0).path("message").asText());
        assertEquals(
                404,
                get(BY_ACCOUNT, "account_id", "a1", other.token(), Map.of()).status());
        assertEquals(200, byCourse("c1", Map.of()).status());
    }

    @Test
    void aTamperedOrForeignPageTokenIsA400() {
        TestIntegration other = TestServices.integration(services);
        String v = null;
        for (int i = 0; i < 3; i++) {
            String next = courseJson("v" + i, "available", "a1");
            clock = clock.plusSeconds(1);
            // The course is visible to both integrations, so both may list it.
            listener.onChange(
                    change("courses", "shared", v, next, SourceWrite.api(), clock), Set.of(tenant.id(), other.id()));
            v = next;
        }
        String next = links(byCourse("shared", Map.of("per_page", "1"))).get("next");
        String token = next.replaceAll(".*[?&]page=([^&]+).*", "$1");

        Response foreign = get(BY_COURSE, "course_id", "shared", other.token(), Map.of("page", token));
        assertEquals(400, foreign.status());
        assertTrue(
                foreign.body().path("errors").path(0).path("message").asText().contains("another integration"));

        char flipped = token.charAt(10) == 'A' ? 'B' : 'A';
        String tampered = token.substring(0, 10) + flipped + token.substring(11);
        assertEquals(400, byCourse("shared", Map.of("page", tampered)).status());
        assertEquals(400, byAccount("a1", Map.of("page", token)).status());
        assertEquals(200, byCourse("shared", Map.of("page", token)).status());
    }

    @Test
    void missingTokenAndMissingScopeAnswerInCanvasShape() {
        course("c1", null, courseJson("A", "available", "a1"));
        Response anonymous = ApiCall.to(BY_COURSE).path("course_id", "c1").send(handler);
        assertEquals(401, anonymous.status());
        assertFalse(
                anonymous.body().path("errors").path(0).path("message").asText().isEmpty());
        TestIntegration reader = TestServices.integration(services, Scope.GRAPH_READ);
        assertEquals(
                403, get(BY_COURSE, "course_id", "c1", reader.token(), Map.of()).status());
    }

    @Test
    void anUpdateTooLargeForOneItemNamesTheChangedFieldsWithoutValues() {
        String big1 = "x".repeat(200_000);
        String big2 = "y".repeat(200_000);
        String v1 = "{\"name\": \"A\", \"syllabus_body\": \"" + big1 + "\"}";
        String v2 = "{\"name\": \"B\", \"syllabus_body\": \"" + big2 + "\"}";
        course("c1", null, v1);
        course("c1", v1, v2);
        JsonNode updated = eventOfType(byCourse("c1", Map.of()), "updated");
        assertEquals(
                Json.readStored("{\"truncated_fields\": [\"name\", \"syllabus_body\"]}"), updated.path("event_data"));
    }

    // ---- retention ----

    @Test
    void expiredEventsAreHidden() {
        Instant now = Instant.now();
        RosterChange old = change(
                "courses",
                "c1",
                null,
                courseJson("A", "available", "a1"),
                SourceWrite.api(),
                now.minus(Duration.ofDays(31)));
        RosterChange recent = change(
                "courses",
                "c1",
                courseJson("A", "available", "a1"),
                courseJson("B", "available", "a1"),
                SourceWrite.api(),
                now.minus(Duration.ofDays(29)));
        listener.onChange(old, Set.of(tenant.id()));
        listener.onChange(recent, Set.of(tenant.id()));

        assertEquals(List.of("updated"), types(byCourse("c1", Map.of())));
        assertEquals(
                List.of("updated"),
                types(byAccount(
                        "a1",
                        Map.of("start_time", now.minus(Duration.ofDays(60)).toString()))));
        assertEquals(
                List.of(),
                types(byCourse(
                        "c1", Map.of("end_time", now.minus(Duration.ofDays(30)).toString()))));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The response as Lambda would carry it, in bytes, read back as the client reads it. */
    private Response sizedAt(ApiCall call, List<Integer> sizes) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            eduledger.lambda.HttpEventJson.write(handler.handleRequest(call.event(), null), out);
            sizes.add(out.size());
            JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
            Map<String, String> headers = new HashMap<>();
            answer.path("headers")
                    .fields()
                    .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            return new Response(
                    answer.path("statusCode").asInt(),
                    headers,
                    Json.readStored(answer.path("body").asText()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void pagesOfLargeEventsStayUnderTheResponseLimitAndNextAndPrevShowEachEventOnce() {
        // Each update carries [old, new] names of 100,000 characters, half of them quotes: 300 KB of
        // stored JSON (under the 350,000-byte event limit), 500 KB of response once escaped again.
        String[] names = {"\"a".repeat(50_000), "\"b".repeat(50_000)};
        String before = null;
        for (int i = 0; i <= 20; i++) {
            String after = "{\"name\": " + Json.write(TextNode.valueOf(names[i % 2])) + ", \"state\": \"available\","
                    + " \"account_id\": \"big-account\"}";
            course("big", before, after);
            before = after;
        }
        List<Integer> sizes = new ArrayList<>();
        List<String> older = new ArrayList<>();
        String url = null;
        int pages = 0;
        do {
            ApiCall call =
                    url == null ? ApiCall.to(BY_COURSE).query("per_page", "100") : ApiCall.follow(BY_COURSE, url);
            Response page = sizedAt(call.path("course_id", "big").token(tenant.token()), sizes);
            assertEquals(200, page.status(), String.valueOf(page.body()));
            older.addAll(ids(page));
            url = links(page).get("next");
            pages++;
        } while (url != null && pages < 30);
        assertEquals(21, older.size());
        assertEquals(21, new HashSet<>(older).size());
        assertTrue(pages >= 3, pages + " pages");

        List<String> newer = new ArrayList<>();
        url = links(sizedAt(
                        ApiCall.to(BY_COURSE)
                                .query("per_page", "100")
                                .path("course_id", "big")
                                .token(tenant.token()),
                        sizes))
                .get("last");
        pages = 0;
        while (url != null && pages < 30) {
            Response page = sizedAt(
                    ApiCall.follow(BY_COURSE, url).path("course_id", "big").token(tenant.token()), sizes);
            newer.addAll(0, ids(page));
            url = links(page).get("prev");
            pages++;
        }
        assertEquals(older, newer);
        for (int size : sizes) {
            assertTrue(size < 6 * 1024 * 1024, "a response of " + size + " bytes");
        }
    }
}
