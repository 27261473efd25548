package eduledger.functions.courses;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.auth.Scope;
import eduledger.courses.CourseAuditLog;
import eduledger.courses.CourseAuditQuery;
import eduledger.courses.CourseAuditStore;
import eduledger.courses.CourseEventFeed;
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Priming;
import eduledger.lambda.RawReply;
import eduledger.lambda.ResponseStyle;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Canvas course audit log: course events per course and per account, as compound documents
 * with {@code links} and an RFC 8288 {@code Link} header ({@code current}, {@code next} while older
 * events remain, {@code first}).
 */
public final class CourseEventsHandler implements HttpFunction {
    private final CourseAuditLog log;
    private final Router router;

    public CourseEventsHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public CourseEventsHandler(Services services) {
        this.log = new CourseAuditLog(
                new CourseAuditStore(services.dynamo(), services.tables()),
                services.cursors(),
                services.settings().retention(),
                services.clock());
        this.router = new Router(services.authenticator(), ResponseStyle.CANVAS)
                .onRaw(
                        "GET /api/v1/audit/course/courses/{course_id}",
                        Scope.COURSE_AUDIT_READ,
                        (request, caller) -> list(
                                request,
                                caller.integrationId(),
                                CourseEventFeed.course(request.pathParameter("course_id"))))
                .onRaw(
                        "GET /api/v1/audit/course/accounts/{account_id}",
                        Scope.COURSE_AUDIT_READ,
                        (request, caller) -> list(
                                request,
                                caller.integrationId(),
                                CourseEventFeed.account(request.pathParameter("account_id"))));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    private RawReply list(ApiRequest request, String integrationId, CourseEventFeed feed) {
        CourseAuditLog.Listing listing = log.list(integrationId, feed, request::query);
        ObjectNode document = Json.object();
        ObjectNode links = document.putObject("links");
        links.put("events.course", request.baseUrl() + "/api/v1/courses/{events.course}");
        links.put("events.user", request.baseUrl() + "/api/v1/users/{events.user}");
        document.setAll(listing.document());
        return RawReply.ok(document, Map.of("link", linkHeader(request, listing.query(), listing.nextToken())));
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
