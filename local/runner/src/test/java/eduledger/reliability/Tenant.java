package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.RateLimitKeys;
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
 * the same {@code clientEventId} overlap in every id a caller can choose. Made {@link
 * #withApplication}, the integration belongs to an application (with one more integration) whose
 * secret key ({@code secret}) sends and reads the audit events and reaches the meta routes;
 * otherwise it belongs to none and its token does all ({@code secret} null).
 */
record Tenant(
        String id,
        String token,
        String operatorToken,
        Map<String, String> pathValues,
        String clientEventId,
        String secret) {
    static final String ACTION = "course.grade";
    static final String COURSE = "course-1";
    static final String ACCOUNT = "account-1";

    static Tenant create(Services services, DeployedRoutes routes, String clientEventId) {
        return create(services, routes, clientEventId, false);
    }

    /** A tenant whose integration belongs to an application of its own. */
    static Tenant withApplication(Services services, DeployedRoutes routes, String clientEventId) {
        return create(services, routes, clientEventId, true);
    }

    private static Tenant create(
            Services services, DeployedRoutes routes, String clientEventId, boolean withApplication) {
        var integration = TestServices.integration(services);
        String secret = null;
        String applicationId = null;
        if (withApplication) {
            var application = services.applications().create("tenant " + System.nanoTime());
            services.applications().attach(application.application().id(), integration.id());
            // A second integration of the application, so that its meta list has more than one page.
            services.applications()
                    .attach(
                            application.application().id(),
                            TestServices.integration(services).id());
            secret = application.secret();
            applicationId = application.application().id();
        }
        String eventToken = secret != null ? secret : integration.token();
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
                    .token(eventToken)
                    .body(DeployedRoutes.validBody("POST /api/v2/audit/events")));
            assertEquals(201, event.status(), String.valueOf(event.body()));
            eventId = event.data().path("id").asText();
        }
        Response chosen = routes.send(ApiCall.to("POST /api/v2/audit/events")
                .token(eventToken)
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
        pathValues.put("application_id", applicationId != null ? applicationId : integration.id());
        String operatorToken = services.tokens().issueOperator(Scope.operatorScopes());
        return new Tenant(
                integration.id(), integration.token(), operatorToken, Map.copyOf(pathValues), clientEventId, secret);
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

    /** Routes an application's secret key calls, when the tenant has one: audit events and the meta routes. */
    static boolean takesSecret(String routeKey) {
        return routeKey.contains(" /api/v2/audit/events") || routeKey.contains(" /api/v1/integrations");
    }

    /**
     * What this tenant calls the route with: its application's secret key, or for source writes,
     * which only the platform operator's token may make, the operator's (the admin routes keep the
     * integration's), or else its integration's token.
     */
    String tokenFor(String routeKey) {
        if (DeployedRoutes.sourceWrite(routeKey)) {
            return operatorToken;
        }
        return secret != null && takesSecret(routeKey) ? secret : token;
    }

    /** A request to the route reaching this tenant's own objects. */
    ApiCall call(String routeKey) {
        ApiCall call = ApiCall.to(routeKey).token(tokenFor(routeKey));
        for (String segment : routeKey.substring(routeKey.indexOf(' ') + 1).split("/")) {
            if (segment.startsWith("{")) {
                String name = segment.substring(1, segment.length() - 1);
                // The meta routes name an integration by {id}; the event routes an event.
                String value = routeKey.startsWith("GET /api/v1/integrations/") ? id : pathValues.get(name);
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
                page.items().stream()
                        // Every request spends its integration's rate limit, refused or not: the
                        // counters are the one write a hostile request is meant to make.
                        .filter(item -> !item.get("pk").s().startsWith(RateLimitKeys.PREFIX))
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
