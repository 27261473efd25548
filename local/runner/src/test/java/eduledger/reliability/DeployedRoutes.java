package eduledger.reliability;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.harness.SamTemplate;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every HTTP route of template.yaml, served by the handler the template names, built on the given
 * {@link Services}. The suite takes its routes from here, so a route added to the template (and its
 * handler) is covered by every route-wide check without touching the tests.
 */
final class DeployedRoutes {
    static final SamTemplate TEMPLATE = SamTemplate.read(SamTemplate.locate());

    private final Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> byRouteKey = new LinkedHashMap<>();

    DeployedRoutes(Services services) {
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            if (function.routes().isEmpty()) {
                continue;
            }
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = instantiate(function, services);
            for (SamTemplate.Route route : function.routes()) {
                byRouteKey.put(route.routeKey(), event -> handler.handleRequest(event, null));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(
            SamTemplate.Function function, Services services) {
        try {
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(function.handlerClass())
                    .getConstructor(Services.class).newInstance(services);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + function.handler(), e);
        }
    }

    static List<String> routeKeys() {
        List<String> keys = new ArrayList<>();
        TEMPLATE.functions().values().forEach(f -> f.routes().forEach(r -> keys.add(r.routeKey())));
        return keys;
    }

    /**
     * A body each write route accepts. A new write route needs its entry here; {@link #validBody}
     * refuses to guess, so a missing one fails loudly instead of being tested with a wrong body.
     */
    private static final Map<String, String> VALID_BODIES = Map.of(
            "PUT /api/v2/source/{collection}/{id}",
            "{\"name\": \"Sample High\", \"type\": \"school\", \"parent_id\": null}",
            "POST /api/v2/source/batch",
            "{\"operations\": [{\"method\": \"PUT\", \"collection\": \"organizations\", \"id\": \"school-1\","
                    + " \"data\": {\"name\": \"Sample High\", \"type\": \"school\"}}]}",
            "POST /api/v2/admin/integrations", "{\"name\": \"Sample reader\", \"sharing\": {\"type\": \"all\"}}",
            "PUT /api/v2/admin/integrations/{integration_id}/sharing", "{\"type\": \"all\"}",
            "POST /api/v2/admin/integrations/{integration_id}/tokens", "{\"scopes\": [\"graph:read\"]}",
            "POST /api/v2/audit/schemas",
            "{\"action\": {\"id\": \"course.grade\", \"type\": \"update\"}, \"validation_level\": \"strict\","
                    + " \"data\": {\"type\": \"object\", \"properties\": {\"grade\": {\"type\": \"string\"}}}}",
            "PATCH /api/v2/audit/schemas/{identifier}", "{\"action\": {\"id\": \"course.grade\", \"type\": \"read\"}}",
            "POST /api/v2/audit/events",
            event("course.grade", "teacher-1", "{\"grade\": \"A\"}"));

    /** The institution every tenant's events are scoped to: a roster organization every integration sees. */
    static final String SCHOOL = "reliability-school";

    /** Puts {@link #SCHOOL} in the roster, so that events may be scoped to it. */
    static void addSchool(Services services) {
        new RosterStore(services.dynamo(), services.tables(), services.clock()).put(RosterCollection.ORGANIZATIONS, SCHOOL,
                Json.readStored("{\"name\": \"Reliability High\", \"type\": \"school\"}"), SourceWrite.api());
    }

    /** The list of {@link #SCHOOL}'s audit events, as the caller sees them. */
    static ApiCall listEvents(String token) {
        return ApiCall.to(LIST_EVENTS).token(token).path("scope_id", SCHOOL).path("scope_type", "institution");
    }

    static final String LIST_EVENTS = "GET /api/v2/audit/events/{scope_id}/{scope_type}";

    /** An audit event in Edlink's v2 shape, scoped to {@link #SCHOOL}. */
    static String event(String action, String actor, String data) {
        return "{\"action\": \"" + action + "\", \"actor\": {\"identifiers\": [{\"value\": \"" + actor
                + "\", \"issuer\": \"gradebook\"}], \"type\": \"person\"}, \"targets\": [{\"identifiers\":"
                + " [{\"value\": \"submission-1\", \"issuer\": \"gradebook\"}], \"type\": \"submission\"}],"
                + " \"scope\": {\"id\": \"" + SCHOOL + "\", \"type\": \"institution\"}, \"data\": " + data + "}";
    }

    /** Routes whose body is a roster object stored as the sync job sent it: any fields, any values. */
    static boolean storesBodyAsSent(String routeKey) {
        return routeKey.equals("PUT /api/v2/source/{collection}/{id}");
    }

    static boolean hasBody(String routeKey) {
        return routeKey.startsWith("POST ") || routeKey.startsWith("PATCH ") || routeKey.startsWith("PUT ");
    }

    static String validBody(String routeKey) {
        String body = VALID_BODIES.get(routeKey);
        if (body == null) {
            throw new IllegalStateException("add a valid body for the new write route " + routeKey + " to DeployedRoutes");
        }
        return body;
    }

    /** A request to the route with every path parameter set to {@code value}. */
    static ApiCall call(String routeKey, String value) {
        ApiCall call = ApiCall.to(routeKey);
        for (String segment : routeKey.substring(routeKey.indexOf(' ') + 1).split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                call.path(segment.substring(1, segment.length() - 1), value);
            }
        }
        return call;
    }

    APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        var handler = byRouteKey.get(event.getRouteKey());
        if (handler == null) {
            throw new IllegalArgumentException("no handler for " + event.getRouteKey());
        }
        return handler.apply(event);
    }

    ApiCall.Response send(ApiCall call) {
        return call.send((event, context) -> handle(event));
    }
}
