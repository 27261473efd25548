package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ServiceException;
import eduledger.lambda.ApiRequest;
import eduledger.paging.CursorCodec;
import eduledger.json.Json;
import eduledger.lambda.RawReply;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a course or account listing and renders it as Canvas does: a compound document with
 * {@code links}, {@code events} (newest first) and {@code linked} courses, users and page views (each
 * once), and an RFC 8288 {@code Link} header with {@code current}, {@code next} (while older events
 * remain) and {@code first}.
 */
public final class CourseAuditLog {
    private static final List<String> COURSE_LINKS = List.of("course", "copied_from", "copied_to", "reset_from", "reset_to");

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

    public RawReply list(ApiRequest request, String integrationId, CourseEventFeed feed) {
        boolean known = feed.kind() == CourseEventFeed.Kind.COURSE
                ? store.course(integrationId, feed.id()).isPresent()
                : store.accountKnown(integrationId, feed.id());
        if (!known) {
            throw ServiceException.notFound("NOT_FOUND", "The specified resource does not exist.");
        }
        CourseAuditQuery query = CourseAuditQuery.from(request, feed, integrationId, cursors);
        CourseEventPage page = store.page(integrationId, feed, query.range(), query.perPage(),
                clock.instant().minus(retention));
        String next = page.more() ? CourseAuditQuery.nextToken(cursors, integrationId, feed, page.lastId()) : null;
        return RawReply.ok(document(request, integrationId, page), Map.of("link", linkHeader(request, query, next)));
    }

    private ObjectNode document(ApiRequest request, String integrationId, CourseEventPage page) {
        ObjectNode document = Json.object();
        ObjectNode links = document.putObject("links");
        links.put("events.course", request.baseUrl() + "/api/v1/courses/{events.course}");
        links.put("events.user", request.baseUrl() + "/api/v1/users/{events.user}");
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

    private static String linkHeader(ApiRequest request, CourseAuditQuery query, String nextToken) {
        List<String> links = new ArrayList<>();
        links.add("<" + url(request, query, query.pageToken()) + ">; rel=\"current\"");
        if (nextToken != null) {
            links.add("<" + url(request, query, nextToken) + ">; rel=\"next\"");
        }
        links.add("<" + url(request, query, null) + ">; rel=\"first\"");
        return String.join(",", links);
    }

    /** The listing's URL with the caller's range, the page size in force and {@code page}. */
    private static String url(ApiRequest request, CourseAuditQuery query, String pageToken) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : List.of("start_time", "end_time")) {
            String value = request.query(name);
            if (value != null && !value.isBlank()) {
                parameters.put(name, value);
            }
        }
        if (pageToken != null && !pageToken.isEmpty()) {
            parameters.put("page", pageToken);
        }
        parameters.put("per_page", Integer.toString(query.perPage()));
        StringBuilder url = new StringBuilder(request.baseUrl()).append(request.path());
        char separator = '?';
        for (var parameter : parameters.entrySet()) {
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
