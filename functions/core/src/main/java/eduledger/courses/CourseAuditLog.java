package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.paging.CursorCodec;
import eduledger.paging.PageBytes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a course or account listing as Canvas shapes it: {@code events} (newest first) and the
 * {@code linked} courses (Canvas Course objects, {@link CanvasCourses}), users (Canvas Users, {@link
 * CoursePeople}) and page views they name, each once, with the tokens of the pages around this one.
 * The URLs (the document's {@code links}, the {@code Link} header) are the edge's to add.
 */
public final class CourseAuditLog {
    private static final List<String> COURSE_LINKS =
            List.of("course", "copied_from", "copied_to", "reset_from", "reset_to");

    private final CourseAuditStore store;
    private final CoursePeople people;
    private final CursorCodec cursors;
    private final Duration retention;
    private final Clock clock;

    public CourseAuditLog(
            CourseAuditStore store, CoursePeople people, CursorCodec cursors, Duration retention, Clock clock) {
        this.store = store;
        this.people = people;
        this.cursors = cursors;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * @param document  {@code events} and {@code linked}
     * @param query     the parameters in force
     * @param nextToken the token of the page of older events, or null when none remain
     * @param prevToken the token of the page of newer events, or null on the first page
     * @param lastToken the token of the page of the oldest events
     */
    public record Listing(
            ObjectNode document, CourseAuditQuery query, String nextToken, String prevToken, String lastToken) {}

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
        Fitted fitted = fit(integrationId, page, PageBytes.MAX_PAGE_BYTES);
        CourseEventRange asked = query.range();
        if (asked.direction() == CourseEventRange.Direction.NEWER
                && page.range().direction() != CourseEventRange.Direction.NEWER
                && fitted.page().events().size() < page.events().size()) {
            // A prev page that came out short was served as the top page, and that page is cut
            // at its newest events: served so, the events just newer than the anchor would be
            // skipped. Serve those instead, as the prev page they are.
            List<ObjectNode> newer = page.events().stream()
                    .filter(event -> event.path("id").asText().compareTo(asked.anchor()) > 0)
                    .toList();
            fitted = fit(integrationId, new CourseEventPage(newer, false, asked), PageBytes.MAX_PAGE_BYTES);
        }
        page = fitted.page();
        boolean olderRemain;
        boolean newerRemain;
        switch (page.range().direction()) {
            case OLDER:
                olderRemain = page.more();
                newerRemain = page.range().anchor() != null;
                break;
            case NEWER:
                olderRemain = true; // the anchor, at least
                newerRemain = page.more();
                break;
            default:
                olderRemain = false;
                newerRemain = page.more();
                break;
        }
        boolean any = !page.events().isEmpty();
        String next =
                any && olderRemain ? CourseAuditQuery.nextToken(cursors, integrationId, feed, page.lastId()) : null;
        String prev =
                any && newerRemain ? CourseAuditQuery.prevToken(cursors, integrationId, feed, page.firstId()) : null;
        return new Listing(
                fitted.document(), query, next, prev, CourseAuditQuery.lastToken(cursors, integrationId, feed));
    }

    /** The page as shown (cut to fit a response) and its document. */
    private record Fitted(CourseEventPage page, ObjectNode document) {}

    /**
     * The page's document, holding at most {@code maxBytes} of events and the linked objects they
     * name. Past that, the events furthest in the direction the page was read are left out and the
     * page says more remain, so its token continues right after the last event shown: the oldest
     * for a {@code next} page, the newest for {@code prev} and {@code last} pages.
     */
    private Fitted fit(String integrationId, CourseEventPage page, long maxBytes) {
        List<ObjectNode> events = page.events();
        Set<String> courseIds = new LinkedHashSet<>();
        Set<String> userIds = new LinkedHashSet<>();
        for (ObjectNode event : events) {
            JsonNode eventLinks = event.path("links");
            COURSE_LINKS.forEach(name -> addText(courseIds, eventLinks.get(name)));
            addText(userIds, eventLinks.get("user"));
        }
        Map<String, JsonNode> known = store.courses(integrationId, courseIds);
        Map<String, ObjectNode> found = people.users(integrationId, userIds);
        Map<String, JsonNode> courses = new LinkedHashMap<>();
        courseIds.stream()
                .filter(known::containsKey)
                .forEach(id -> courses.put(id, CanvasCourses.courseJson(id, known.get(id))));

        boolean older = page.range().direction() == CourseEventRange.Direction.OLDER;
        int count = events.size();
        Set<String> linkedShown = new HashSet<>();
        long bytes = 0;
        int shown = 0;
        for (; shown < count; shown++) {
            ObjectNode event = events.get(older ? shown : count - 1 - shown);
            long cost = PageBytes.of(event);
            JsonNode eventLinks = event.path("links");
            for (String name : COURSE_LINKS) {
                JsonNode id = eventLinks.get(name);
                if (id != null && courses.containsKey(id.asText()) && !linkedShown.contains("c" + id.asText())) {
                    cost += PageBytes.of(courses.get(id.asText()));
                }
            }
            JsonNode user = eventLinks.get("user");
            if (user != null
                    && !user.isNull()
                    && found.get(user.asText()) != null
                    && !linkedShown.contains("u" + user.asText())) {
                cost += PageBytes.of(found.get(user.asText()));
            }
            bytes += cost;
            if (shown > 0 && bytes > maxBytes) {
                break;
            }
            COURSE_LINKS.forEach(name -> {
                JsonNode id = eventLinks.get(name);
                if (id != null && !id.isNull()) {
                    linkedShown.add("c" + id.asText());
                }
            });
            if (user != null && !user.isNull()) {
                linkedShown.add("u" + user.asText());
            }
        }
        if (shown < count) {
            int from = older ? 0 : count - shown;
            page = new CourseEventPage(events.subList(from, from + shown), true, page.range());
        }
        return new Fitted(page, document(page, courses, found));
    }

    private static ObjectNode document(
            CourseEventPage page, Map<String, JsonNode> courseJson, Map<String, ObjectNode> found) {
        ObjectNode document = Json.object();
        ArrayNode events = document.putArray("events");
        Set<String> courseIds = new LinkedHashSet<>();
        Set<String> userIds = new LinkedHashSet<>();
        Map<String, ObjectNode> pageViews = new LinkedHashMap<>();
        for (ObjectNode event : page.events()) {
            events.add(event);
            JsonNode eventLinks = event.path("links");
            COURSE_LINKS.forEach(name -> addText(courseIds, eventLinks.get(name)));
            addText(userIds, eventLinks.get("user"));
            JsonNode pageView = eventLinks.get("page_view");
            if (pageView != null && !pageView.isNull()) {
                pageViews.putIfAbsent(pageView.asText(), pageViewJson(pageView.asText(), event));
            }
        }
        ObjectNode linked = document.putObject("linked");
        ArrayNode courses = linked.putArray("courses");
        courseIds.stream().filter(courseJson::containsKey).forEach(id -> courses.add(courseJson.get(id)));
        ArrayNode users = linked.putArray("users");
        userIds.forEach(id -> users.add(found.get(id)));
        linked.putArray("page_views").addAll(pageViews.values());
        return document;
    }

    /**
     * A Canvas PageView from what the event that names it knows: who, in which course, and when; the
     * request details Canvas records with a page view are not the source write's to know.
     */
    private static ObjectNode pageViewJson(String id, JsonNode event) {
        ObjectNode view = Json.object();
        view.put("id", id);
        for (String unknown : List.of(
                "app_name",
                "url",
                "asset_type",
                "controller",
                "action",
                "interaction_seconds",
                "user_request",
                "render_time",
                "user_agent",
                "participated",
                "http_method",
                "remote_ip")) {
            view.putNull(unknown);
        }
        view.put("context_type", "Course");
        view.set("created_at", event.get("created_at"));
        ObjectNode links = view.putObject("links");
        links.set("user", event.path("links").get("user"));
        links.set("context", event.path("links").get("course"));
        links.putNull("asset");
        links.putNull("real_user");
        links.putNull("account");
        return view;
    }

    private static void addText(Set<String> ids, JsonNode value) {
        if (value != null && !value.isNull()) {
            ids.add(value.asText());
        }
    }
}
