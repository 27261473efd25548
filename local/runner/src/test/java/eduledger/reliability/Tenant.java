package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Scope;
import eduledger.courses.CourseAuditListener;
import eduledger.courses.CourseAuditStore;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.roster.RosterChange;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An integration with something behind every route: a schema with two versions, audit events (one
 * under an id the client chose), and a course in an account with course events. Two tenants made with
 * the same {@code clientEventId} overlap in every id a caller can choose.
 */
record Tenant(String id, String token, String operatorToken, Map<String, String> pathValues, String clientEventId) {
    static final String ACTION = "course.grade";
    static final String COURSE = "course-1";
    static final String ACCOUNT = "account-1";

    static Tenant create(Services services, DeployedRoutes routes, String clientEventId) {
        var integration = TestServices.integration(services);
        DeployedRoutes.addSchool(services);
        Response created = routes.send(ApiCall.to("POST /api/v2/audit/schemas")
                .token(integration.token())
                .body(DeployedRoutes.validBody("POST /api/v2/audit/schemas")));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        Response patched = routes.send(ApiCall.to("PATCH /api/v2/audit/schemas/{identifier}")
                .token(integration.token())
                .path("identifier", ACTION)
                .body(DeployedRoutes.validBody("PATCH /api/v2/audit/schemas/{identifier}")));
        assertEquals(200, patched.status(), String.valueOf(patched.body()));
        String eventId = null;
        for (int i = 0; i < 3; i++) {
            Response event = routes.send(ApiCall.to("POST /api/v2/audit/events")
                    .token(integration.token())
                    .body(DeployedRoutes.validBody("POST /api/v2/audit/events")));
            assertEquals(201, event.status(), String.valueOf(event.body()));
            eventId = event.data().path("id").asText();
        }
        Response chosen = routes.send(ApiCall.to("POST /api/v2/audit/events")
                .token(integration.token())
                .body("{\"id\": \"" + clientEventId + "\", "
                        + DeployedRoutes.event(ACTION, "teacher-1", "{\"grade\": \"B\"}")
                                .substring(1)));
        assertEquals(201, chosen.status(), String.valueOf(chosen.body()));

        writeCourseEvents(services, integration.id());
        Map<String, String> pathValues = new HashMap<>();
        pathValues.put("identifier", ACTION);
        pathValues.put("version", created.data().path("version").asText());
        pathValues.put("id", eventId);
        pathValues.put("course_id", COURSE);
        pathValues.put("account_id", ACCOUNT);
        pathValues.put("collection", "organizations");
        pathValues.put("integration_id", integration.id());
        pathValues.put("scope_id", DeployedRoutes.SCHOOL);
        pathValues.put("scope_type", "institution");
        String operatorToken = services.tokens().issueOperator(Scope.operatorScopes());
        return new Tenant(integration.id(), integration.token(), operatorToken, Map.copyOf(pathValues), clientEventId);
    }

    /** Course events as the change stream would write them, enough for more than one page. */
    private static void writeCourseEvents(Services services, String integrationId) {
        CourseAuditListener listener = new CourseAuditListener(
                new CourseAuditStore(services.dynamo(), services.tables()),
                services.settings().retention(),
                services.clock());
        Instant time = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        String before = null;
        for (int i = 0; i < 4; i++) {
            String after =
                    "{\"name\": \"Course " + i + "\", \"state\": \"available\", \"account_id\": \"" + ACCOUNT + "\"}";
            listener.onChange(
                    new RosterChange(
                            eduledger.roster.RosterCollection.COURSES,
                            COURSE,
                            before == null ? null : Json.readStored(before),
                            Json.readStored(after),
                            SourceWrite.api(),
                            UUID.randomUUID().toString(),
                            time.plusSeconds(i)),
                    Set.of(integrationId));
            before = after;
        }
    }

    /**
     * The token the route is called with: the integration's, or for source writes, which only the
     * platform operator's token may make, the operator's (the admin routes keep the integration's).
     */
    String tokenFor(String routeKey) {
        return DeployedRoutes.sourceWrite(routeKey) ? operatorToken : token;
    }

    /** A request to the route reaching this tenant's own objects. */
    ApiCall call(String routeKey) {
        ApiCall call = ApiCall.to(routeKey).token(tokenFor(routeKey));
        for (String segment : routeKey.substring(routeKey.indexOf(' ') + 1).split("/")) {
            if (segment.startsWith("{")) {
                String name = segment.substring(1, segment.length() - 1);
                String value = pathValues.get(name);
                if (value == null) {
                    throw new IllegalStateException(
                            "add a value for {" + name + "} of the new route " + routeKey + " to Tenant");
                }
                call.path(name, value);
            }
        }
        return call;
    }

    /** Every item of this integration in every table, keyed by table and key: what "nothing written" compares. */
    /**
     * Every item of every table, as table, key and content: a write anywhere shows, whoever's key it
     * is under (roster items and delivery markers hold no integration id in their keys).
     */
    static Set<String> everyItem(Services services) {
        Set<String> items = new TreeSet<>();
        for (String table : Set.of(
                services.tables().control(),
                services.tables().events(),
                services.tables().roster())) {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                var page = services.dynamo()
                        .scan(b -> b.tableName(table).exclusiveStartKey(from).consistentRead(true));
                page.items()
                        .forEach(item -> items.add(table + " " + item.get("pk").s() + " "
                                + item.get("sk").s() + " " + new TreeMap<>(item)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey()
                        : null;
            } while (start != null);
        }
        return items;
    }

    static JsonNode errorsOf(Response response) {
        return response.body() == null
                ? null
                : response.body().has("$errors")
                        ? response.body().path("$errors")
                        : response.body().path("errors");
    }
}
