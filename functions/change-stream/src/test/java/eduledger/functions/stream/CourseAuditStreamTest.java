package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.courses.CourseAuditListener;
import eduledger.courses.CourseAuditStore;
import eduledger.functions.courses.CourseEventsHandler;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Canvas course audit log end to end: a sync job's source writes with their provenance
 * headers, the roster table's real stream into the change-stream function, and the course events
 * function reading what it derived, per course and per account.
 */
class CourseAuditStreamTest {
    private final Services services = TestServices.shared();
    private final GraphWorld world = new GraphWorld(
            List.of(new CourseAuditListener(
                    new CourseAuditStore(services.dynamo(), services.tables()),
                    services.settings().retention(),
                    services.clock())),
            false);
    private final CourseEventsHandler courseEvents = new CourseEventsHandler(world.services);

    @AfterEach
    void close() {
        world.close();
    }

    private Response read(String token, String route, String parameter, String id) {
        ApiCall call = ApiCall.to(route).token(token).path(parameter, id).query("per_page", "100");
        if (parameter.equals("account_id")) {
            // The district's events come from its schools' courses: the roll-up is asked for.
            call.query("include_sub_accounts", "true");
        }
        return call.send(courseEvents);
    }

    private static List<String> types(Response response) {
        List<String> types = new ArrayList<>();
        response.body()
                .path("events")
                .forEach(e -> types.add(e.path("event_type").asText()));
        return types;
    }

    @Test
    void sourceWritesBecomeCourseEventsReadablePerCourseAndPerAccount() {
        String district = unique("district");
        String school = unique("school");
        String course = unique("course");
        String copy = unique("course");
        String token =
                world.courseAuditToken(world.reader("{\"type\": \"all\"}").integrationId());

        assertEquals(
                201,
                world.put("organizations", district, "{\"name\": \"D\", \"type\": \"district\"}")
                        .status());
        assertEquals(
                201,
                world.put(
                                "organizations",
                                school,
                                "{\"name\": \"S\", \"type\": \"school\", \"parent_id\": \"" + district + "\"}")
                        .status());
        world.pump();
        String biology = "{\"name\": \"Biology\", \"account_id\": \"" + school + "\", \"state\": \"unpublished\"}";
        assertEquals(
                201,
                world.put("courses", course, biology, "X-Event-Source", "sis", "X-Sis-Batch-Id", "batch-9")
                        .status());
        world.pump();
        assertEquals(
                200,
                world.put(
                                "courses",
                                course,
                                biology.replace("unpublished", "available"),
                                "X-Event-Source",
                                "manual",
                                "X-User-Id",
                                "teacher-4",
                                "X-Page-View-Id",
                                "pv-77")
                        .status());
        world.pump();
        assertEquals(
                201,
                world.put(
                                "courses",
                                copy,
                                "{\"name\": \"Biology (copy)\", \"account_id\": \"" + school
                                        + "\", \"state\": \"unpublished\"}",
                                "X-Copied-From",
                                course)
                        .status());
        world.pump();
        world.delete("courses", copy, "X-Event-Source", "api");
        world.pump();

        Response byCourse = read(token, "GET /api/v1/audit/course/courses/{course_id}", "course_id", course);
        assertEquals(200, byCourse.status(), String.valueOf(byCourse.body()));
        assertEquals(List.of("copied_to", "published", "created"), types(byCourse));
        JsonNode published = byCourse.body().path("events").path(1);
        assertEquals("manual", published.path("event_source").asText());
        assertEquals("teacher-4", published.path("links").path("user").asText());
        assertEquals("pv-77", published.path("links").path("page_view").asText());
        JsonNode created = byCourse.body().path("events").path(2);
        assertEquals("sis", created.path("event_source").asText());
        assertEquals("batch-9", created.path("links").path("sis_batch").asText());
        assertEquals("Biology", created.path("event_data").path("name").path(1).asText());
        assertEquals(
                copy,
                byCourse.body()
                        .path("events")
                        .path(0)
                        .path("links")
                        .path("copied_to")
                        .asText());

        Response byDistrict = read(token, "GET /api/v1/audit/course/accounts/{account_id}", "account_id", district);
        assertEquals(200, byDistrict.status(), String.valueOf(byDistrict.body()));
        List<String> all = types(byDistrict);
        assertTrue(
                all.containsAll(List.of("deleted", "copied_from", "copied_to", "published", "created")),
                all.toString());

        // The same stream batches delivered again add nothing.
        int before = all.size();
        List<DynamodbEvent> again;
        synchronized (world.delivered) {
            again = List.copyOf(world.delivered);
        }
        again.forEach(batch -> world.deliver(batch));
        assertEquals(
                before,
                types(read(token, "GET /api/v1/audit/course/accounts/{account_id}", "account_id", district))
                        .size());
    }

    @Test
    void aCourseThatMovesOutOfViewShowsTheIntegrationLosingItNothingOfWhatItBecame() {
        String oldDistrict = unique("district");
        String newDistrict = unique("district");
        String course = unique("course");
        String copy = unique("course");
        String reset = unique("course");
        GraphWorld.Reader losing = world.reader(GraphWorld.rules(oldDistrict));
        GraphWorld.Reader gaining = world.reader(GraphWorld.rules(newDistrict));
        String losingToken = world.courseAuditToken(losing.integrationId());
        String gainingToken = world.courseAuditToken(gaining.integrationId());
        assertEquals(
                201,
                world.put("organizations", oldDistrict, "{\"name\": \"Old\", \"type\": \"district\"}")
                        .status());
        assertEquals(
                201,
                world.put("organizations", newDistrict, "{\"name\": \"New\", \"type\": \"district\"}")
                        .status());
        world.pump();
        assertEquals(
                201,
                world.put(
                                "courses",
                                course,
                                "{\"name\": \"Biology\", \"account_id\": \"" + oldDistrict
                                        + "\", \"state\": \"unpublished\"}")
                        .status());
        world.pump();

        // Moved to the other district, renamed and published in one write, then copied, reset and renamed.
        assertEquals(
                200,
                world.put(
                                "courses",
                                course,
                                "{\"name\": \"Moved Biology\", \"account_id\": \"" + newDistrict
                                        + "\", \"state\": \"available\"}",
                                "X-User-Id",
                                "mover-1",
                                "X-Page-View-Id",
                                "pv-mover")
                        .status());
        world.pump();
        String underNew = "{\"name\": \"Other\", \"account_id\": \"" + newDistrict + "\", \"state\": \"unpublished\"}";
        assertEquals(
                201,
                world.put("courses", copy, underNew, "X-Copied-From", course).status());
        assertEquals(
                201,
                world.put("courses", reset, underNew, "X-Reset-From", course).status());
        world.pump();
        assertEquals(
                200,
                world.put(
                                "courses",
                                course,
                                "{\"name\": \"Moved Biology II\", \"account_id\": \"" + newDistrict
                                        + "\", \"state\": \"available\"}")
                        .status());
        world.pump();

        // The feed lists an event once it has settled: the gaining side's last event is the mark.
        GraphWorld.eventually(
                () -> GraphWorld.types(world.feed(gaining)).stream()
                        .filter(type -> type.startsWith("course.") && type.endsWith(course))
                        .toList(),
                List.of("course.created:" + course, "course.updated:" + course)::equals,
                "the gaining integration's feed: the course created as it now is, then updated");

        List<String> secrets = List.of("Moved", newDistrict, copy, reset, "mover-1", "pv-mover");
        Response lost = read(losingToken, "GET /api/v1/audit/course/courses/{course_id}", "course_id", course);
        assertEquals(200, lost.status(), String.valueOf(lost.body()));
        assertEquals(List.of("deleted", "created"), types(lost));
        assertEquals(
                "Biology",
                lost.body().path("linked").path("courses").path(0).path("name").asText(),
                lost.body().toString());
        Response lostAccount =
                read(losingToken, "GET /api/v1/audit/course/accounts/{account_id}", "account_id", oldDistrict);
        assertEquals(List.of("deleted", "created"), types(lostAccount));
        List<JsonNode> lostFeed = world.feed(losing);
        assertEquals(
                List.of("organization.created:" + oldDistrict, "course.created:" + course, "course.deleted:" + course),
                GraphWorld.types(lostFeed));
        for (String secret : secrets) {
            for (String shown :
                    List.of(lost.body().toString(), lostAccount.body().toString(), lostFeed.toString())) {
                assertTrue(
                        !shown.contains(secret), secret + " shown to the integration that lost the course: " + shown);
            }
        }

        Response gained = read(gainingToken, "GET /api/v1/audit/course/courses/{course_id}", "course_id", course);
        assertEquals(200, gained.status(), String.valueOf(gained.body()));
        List<String> gainedTypes = new ArrayList<>(types(gained));
        java.util.Collections.sort(gainedTypes);
        assertEquals(List.of("copied_to", "created", "reset_to", "updated"), gainedTypes);
        JsonNode created = null;
        for (JsonNode event : gained.body().path("events")) {
            if (event.path("event_type").asText().equals("created")) {
                created = event;
            }
        }
        assertEquals(
                "Moved Biology",
                created.path("event_data").path("name").path(1).asText(),
                gained.body().toString());
        assertTrue(created.path("event_data").path("name").path(0).isNull(), "created as it now is: " + created);
    }
}
