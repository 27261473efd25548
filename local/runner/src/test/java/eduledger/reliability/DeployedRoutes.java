package eduledger.reliability;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eduledger.harness.SamTemplate;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final Map<String, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> byRouteKey =
            new LinkedHashMap<>();

    DeployedRoutes(Services services) {
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            if (function.routes().isEmpty()) {
                continue;
            }
            RequestStreamHandler handler = instantiate(function, services);
            for (SamTemplate.Route route : function.routes()) {
                byRouteKey.put(route.routeKey(), event -> throughBytes(handler, event));
            }
        }
    }

    /**
     * The event as API Gateway sends it, bytes of JSON, through the stream entry the Java runtime
     * calls, and the answer read back from the bytes it writes: what the typed entry would never see
     * (the envelope's own parsing and writing) is part of every check.
     */
    private static APIGatewayV2HTTPResponse throughBytes(RequestStreamHandler handler, APIGatewayV2HTTPEvent event) {
        try {
            byte[] request = ENVELOPE.writeValueAsBytes(event);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(request), output, null);
            JsonNode answer = ENVELOPE.readTree(output.toByteArray());
            APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
            response.setStatusCode(answer.path("statusCode").asInt());
            if (answer.has("headers")) {
                Map<String, String> headers = new LinkedHashMap<>();
                answer.path("headers")
                        .fields()
                        .forEachRemaining(
                                h -> headers.put(h.getKey(), h.getValue().asText()));
                response.setHeaders(headers);
            }
            if (answer.has("multiValueHeaders")) {
                Map<String, List<String>> headers = new LinkedHashMap<>();
                answer.path("multiValueHeaders").fields().forEachRemaining(h -> {
                    List<String> values = new ArrayList<>();
                    h.getValue().forEach(v -> values.add(v.asText()));
                    headers.put(h.getKey(), values);
                });
                response.setMultiValueHeaders(headers);
            }
            response.setBody(answer.hasNonNull("body") ? answer.path("body").asText() : null);
            response.setIsBase64Encoded(answer.path("isBase64Encoded").asBoolean());
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes events with the names API Gateway uses (the event classes' property names), no nulls. */
    private static final ObjectMapper ENVELOPE =
            new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private static RequestStreamHandler instantiate(SamTemplate.Function function, Services services) {
        try {
            return (RequestStreamHandler) Class.forName(function.handlerClass())
                    .getConstructor(Services.class)
                    .newInstance(services);
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
    private static final Map<String, String> VALID_BODIES = Map.ofEntries(
            Map.entry(
                    "PUT /api/v2/source/{collection}/{id}",
                    "{\"name\": \"Sample High\", \"type\": \"school\", \"parent_id\": null}"),
            Map.entry(
                    "POST /api/v2/source/batch",
                    "{\"operations\": [{\"method\": \"PUT\", \"collection\": \"organizations\", \"id\": \"school-1\","
                            + " \"data\": {\"name\": \"Sample High\", \"type\": \"school\"}}]}"),
            Map.entry(
                    "POST /api/v2/admin/integrations",
                    "{\"name\": \"Sample reader\", \"sharing\": {\"type\": \"all\"}}"),
            Map.entry("PUT /api/v2/admin/integrations/{integration_id}/sharing", "{\"type\": \"all\"}"),
            Map.entry("POST /api/v2/admin/integrations/{integration_id}/tokens", "{\"scopes\": [\"graph:read\"]}"),
            Map.entry("POST /api/v2/admin/applications", "{\"name\": \"Sample application\"}"),
            Map.entry(
                    "POST /api/v2/admin/applications/{application_id}/integrations",
                    "{\"integration_id\": \"00000000-0000-4000-a000-000000000001\"}"),
            Map.entry(
                    "POST /api/v2/audit/schemas",
                    "{\"action\": {\"id\": \"course.grade\", \"type\": \"update\"}, \"validation_level\": \"strict\","
                            + " \"data\": {\"type\": \"object\", \"properties\": {\"grade\": {\"type\": \"string\"}}}}"),
            Map.entry(
                    "PATCH /api/v2/audit/schemas/{identifier}",
                    "{\"action\": {\"id\": \"course.grade\", \"type\": \"read\"}}"),
            Map.entry("PATCH /api/v2/audit/schemas", "{\"action\": \"course.grade\", \"action_type\": \"read\"}"),
            Map.entry("POST /api/v2/audit/events", event("course.grade", "teacher-1", "{\"grade\": \"A\"}")));

    /** The institution every tenant's events are scoped to: a roster organization every integration sees. */
    static final String SCHOOL = "reliability-school";

    /** Puts {@link #SCHOOL} in the roster, so that events may be scoped to it. */
    static void addSchool(Services services) {
        new RosterStore(services.dynamo(), services.tables(), services.clock())
                .put(
                        RosterCollection.ORGANIZATIONS,
                        SCHOOL,
                        Json.readStored("{\"name\": \"Reliability High\", \"type\": \"school\"}"),
                        SourceWrite.api());
    }

    /** The list of {@link #SCHOOL}'s audit events, as the caller sees them. */
    static ApiCall listEvents(String token) {
        return ApiCall.to(LIST_EVENTS).token(token).path("scope_id", SCHOOL).path("scope_type", "institution");
    }

    static final String LIST_EVENTS = "GET /api/v2/audit/events/{scope_id}/{scope_type}";

    /**
     * Whether a route answers a page of a list rather than one object: the scoped audit list ends in a
     * path parameter too, and the caller's own integration is one object without one.
     */
    static boolean isList(String routeKey) {
        return routeKey.startsWith("GET ")
                && !routeKey.contains("/my/")
                && (!routeKey.endsWith("}") || routeKey.equals(LIST_EVENTS));
    }

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

    /** Routes only the platform operator's token may call: the admin routes and the sync jobs' source writes. */
    static boolean operatorRoute(String routeKey) {
        return routeKey.contains(" /api/v2/admin/") || routeKey.contains(" /api/v2/source/");
    }

    static boolean sourceWrite(String routeKey) {
        return routeKey.contains(" /api/v2/source/");
    }

    static boolean hasBody(String routeKey) {
        return routeKey.startsWith("POST ") || routeKey.startsWith("PATCH ") || routeKey.startsWith("PUT ");
    }

    static String validBody(String routeKey) {
        String body = VALID_BODIES.get(routeKey);
        if (body == null) {
            throw new IllegalStateException(
                    "add a valid body for the new write route " + routeKey + " to DeployedRoutes");
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
