package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.paging.CursorCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a course or account listing as Canvas shapes it: {@code events} (newest first) and the
 * {@code linked} courses, users and page views they name (each once), with the token of the next
 * page while older events remain. The URLs (the document's {@code links}, the {@code Link} header)
 * are the edge's to add.
 */
public final class CourseAuditLog {
    private static final List<String> COURSE_LINKS =
            List.of("course", "copied_from", "copied_to", "reset_from", "reset_to");

    private final CourseAuditStore store;
    private final CursorCodec cursors;
    private final Duration retention;
    private final Clock clock;

    public CourseAuditLog(CourseAuditStore store, CursorCodec cursors, Duration retention, Clock clock) {
        this.store = store;
        this.cursors = cursors;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * @param document {@code events} and {@code linked}
     * @param query    the parameters in force
     * @param nextToken the next page's token, or null on the last page
     */
    public record Listing(ObjectNode document, CourseAuditQuery query, String nextToken) {}

    /** @param parameters the listing's parameters by name; absent ones are null */
    public Listing list(String integrationId, CourseEventFeed feed, Function<String, String> parameters) {
        boolean known = feed.kind() == CourseEventFeed.Kind.COURSE
                ? store.course(integrationId, feed.id()).isPresent()
                : store.accountKnown(integrationId, feed.id());
        if (!known) {
            throw ServiceException.notFound("NOT_FOUND", "The specified resource does not exist.");
        }
        CourseAuditQuery query = CourseAuditQuery.from(parameters, feed, integrationId, cursors);
        CourseEventPage page = store.page(
                integrationId,
                feed,
                query.range(),
                query.perPage(),
                clock.instant().minus(retention));
        String next = page.more() ? CourseAuditQuery.nextToken(cursors, integrationId, feed, page.lastId()) : null;
        return new Listing(document(integrationId, page), query, next);
    }

    private ObjectNode document(String integrationId, CourseEventPage page) {
        ObjectNode document = Json.object();
        ArrayNode events = document.putArray("events");
        Set<String> courseIds = new LinkedHashSet<>();
        Set<String> userIds = new LinkedHashSet<>();
        Set<String> pageViewIds = new LinkedHashSet<>();
        for (ObjectNode event : page.events()) {
            events.add(event);
            JsonNode eventLinks = event.path("links");
            COURSE_LINKS.forEach(name -> addText(courseIds, eventLinks.get(name)));
            addText(userIds, eventLinks.get("user"));
            addText(pageViewIds, eventLinks.get("page_view"));
        }
        ObjectNode linked = document.putObject("linked");
        ArrayNode courses = linked.putArray("courses");
        Map<String, JsonNode> known = store.courses(integrationId, courseIds);
        courseIds.stream().filter(known::containsKey).forEach(id -> courses.add(known.get(id)));
        ArrayNode users = linked.putArray("users");
        userIds.forEach(id -> users.addObject().put("id", id));
        ArrayNode pageViews = linked.putArray("page_views");
        pageViewIds.forEach(id -> pageViews.addObject().put("id", id));
        return document;
    }

    private static void addText(Set<String> ids, JsonNode value) {
        if (value != null && !value.isNull()) {
            ids.add(value.asText());
        }
    }
}
