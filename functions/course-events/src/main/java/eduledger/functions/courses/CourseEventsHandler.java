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
import eduledger.courses.CoursePeople;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Priming;
import eduledger.lambda.RawReply;
import eduledger.lambda.ResponseStyle;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.roster.RosterStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Canvas course audit log: course events per course and per account, as compound documents
 * with {@code links} and an RFC 8288 {@code Link} header ({@code current}; {@code next} while older
 * events remain; {@code prev} past the first page; {@code first}; {@code last}, the oldest events).
 * The account route reads the courses whose {@code account_id} is the account, as Canvas does;
 * {@code include_sub_accounts=true} widens it to the courses of its sub-accounts too.
 */
public final class CourseEventsHandler implements HttpFunction {
    static final String INCLUDE_SUB_ACCOUNTS = "include_sub_accounts";
    private static final Set<String> LIST_PARAMETERS = Set.of("start_time", "end_time", "per_page", "page");
    private static final Set<String> ACCOUNT_PARAMETERS =
            Set.of("start_time", "end_time", "per_page", "page", INCLUDE_SUB_ACCOUNTS);

    private final CourseAuditLog log;
    private final Router router;

    public CourseEventsHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public CourseEventsHandler(Services services) {
        this.log = new CourseAuditLog(
                new CourseAuditStore(services.dynamo(), services.tables()),
                new CoursePeople(
                        new RosterStore(services.dynamo(), services.tables(), services.clock()),
                        services.integrations()),
                services.cursors(),
                services.settings().retention(),
                services.clock());
        this.router = new Router(services.authenticator(), ResponseStyle.CANVAS)
                .limitedBy(services.rateLimiter(), services.settings().tenantLimit())
                .onRaw(
                        "GET /api/v1/audit/course/courses/{course_id}",
                        Scope.COURSE_AUDIT_READ,
                        LIST_PARAMETERS,
                        (request, caller) -> list(
                                request,
                                caller.integrationId(),
                                CourseEventFeed.course(request.pathParameter("course_id"))))
                .onRaw(
                        "GET /api/v1/audit/course/accounts/{account_id}",
                        Scope.COURSE_AUDIT_READ,
                        ACCOUNT_PARAMETERS,
                        (request, caller) -> list(
                                request,
                                caller.integrationId(),
                                subAccounts(request)
                                        ? CourseEventFeed.accountTree(request.pathParameter("account_id"))
                                        : CourseEventFeed.account(request.pathParameter("account_id"))));
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
        return RawReply.ok(document, Map.of("link", linkHeader(request, listing)));
    }

    /** Canvas's boolean spellings; anything else is refused rather than read as false. */
    private static boolean subAccounts(ApiRequest request) {
        String value = request.query(INCLUDE_SUB_ACCOUNTS);
        if (value == null || value.equals("false") || value.equals("0")) {
            return false;
        }
        if (value.equals("true") || value.equals("1")) {
            return true;
        }
        throw ServiceException.badRequest(
                "INVALID_PARAMETER", INCLUDE_SUB_ACCOUNTS + " must be true or false; got '" + value + "'.");
    }

    /** In Canvas's order: current, next, prev, first, last. */
    private static String linkHeader(ApiRequest request, CourseAuditLog.Listing listing) {
        CourseAuditQuery query = listing.query();
        List<String> links = new ArrayList<>();
        links.add("<" + url(request, query, query.pageToken()) + ">; rel=\"current\"");
        if (listing.nextToken() != null) {
            links.add("<" + url(request, query, listing.nextToken()) + ">; rel=\"next\"");
        }
        if (listing.prevToken() != null) {
            links.add("<" + url(request, query, listing.prevToken()) + ">; rel=\"prev\"");
        }
        links.add("<" + url(request, query, null) + ">; rel=\"first\"");
        links.add("<" + url(request, query, listing.lastToken()) + ">; rel=\"last\"");
        return String.join(",", links);
    }

    /** The listing's URL with the caller's range, the page size in force and {@code page}. */
    private static String url(ApiRequest request, CourseAuditQuery query, String pageToken) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : List.of("start_time", "end_time", INCLUDE_SUB_ACCOUNTS)) {
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
