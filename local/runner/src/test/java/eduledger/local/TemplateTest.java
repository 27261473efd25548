package eduledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** template.yaml is what gets deployed: every handler, route, table and sample event in it must hold up. */
class TemplateTest {
    private static final Path ROOT = SamTemplate.locate().getParent();
    private static final SamTemplate TEMPLATE = SamTemplate.read(SamTemplate.locate());
    private static LocalSystem system;

    @BeforeAll
    static void attach() {
        system = LocalSystem.attach(TEMPLATE, TestStore.get().endpoint());
        system.devToken(null);
    }

    @AfterAll
    static void detach() {
        system.close();
    }

    @Test
    void everyHandlerClassExistsWithTheConstructorsLambdaAndTheRunnerUse() throws Exception {
        assertFalse(TEMPLATE.functions().isEmpty());
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            Class<?> type = Class.forName(function.handlerClass());
            assertTrue(RequestHandler.class.isAssignableFrom(type), function.handler());
            assertTrue(function.handler().endsWith("::handleRequest"), function.handler());
            assertNotNull(type.getConstructor(), "Lambda needs a public no-argument constructor: " + type);
            assertNotNull(type.getConstructor(Services.class), type.getName());
            // The runtime then hands the event's bytes to the stream overload, and the function
            // reads them itself instead of loading the runtime's serializer on a cold start.
            assertTrue(RequestStreamHandler.class.isAssignableFrom(type), function.handler());
        }
    }

    @Test
    void everyCodeUriIsTheShadedJarOfAFunctionModule() {
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            String uri = function.codeUri();
            assertTrue(uri.matches("functions/([a-z-]+)/target/\\1-lambda\\.jar"), uri);
            assertTrue(Files.isRegularFile(ROOT.resolve(uri.substring(0, uri.indexOf("/target/"))).resolve("pom.xml")), uri);
        }
    }

    @Test
    void everyRouteReachesItsFunction() {
        int routes = 0;
        for (LocalFunction function : system.functions()) {
            for (SamTemplate.Route route : function.definition().routes()) {
                ApiCall call = ApiCall.to(route.routeKey());
                for (String segment : route.path().split("/")) {
                    if (segment.startsWith("{")) {
                        call.path(segment.substring(1, segment.length() - 1), "x");
                    }
                }
                APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) function.invoke(call.event());
                // Without a token a served route answers 401; an unserved one would be a 404.
                assertEquals(401, response.getStatusCode(), route.routeKey() + " -> " + response.getBody());
                routes++;
            }
        }
        assertTrue(routes > 0);
        long distinct = TEMPLATE.functions().values().stream().flatMap(f -> f.routes().stream())
                .map(SamTemplate.Route::routeKey).distinct().count();
        assertEquals(routes, distinct, "a route key is declared twice");
    }

    @Test
    void everyTableHasKeysTtlOnDemandBillingAndBackups() {
        assertFalse(TEMPLATE.tables().isEmpty());
        for (SamTemplate.Table table : TEMPLATE.tables().values()) {
            JsonNode properties = table.properties();
            assertEquals("PAY_PER_REQUEST", properties.path("BillingMode").asText(), table.logicalId());
            assertEquals("pk", properties.path("KeySchema").path(0).path("AttributeName").asText());
            assertEquals("HASH", properties.path("KeySchema").path(0).path("KeyType").asText());
            assertEquals("sk", properties.path("KeySchema").path(1).path("AttributeName").asText());
            assertEquals("RANGE", properties.path("KeySchema").path(1).path("KeyType").asText());
            assertEquals("expires_at", table.ttlAttribute(), table.logicalId());
            assertTrue(properties.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean());
        }
        assertEquals("NEW_AND_OLD_IMAGES", TEMPLATE.tables().get("RosterTable").streamViewType());
    }

    /** The template as YAML, for what {@link SamTemplate} does not model: policies, the API, alarms. */
    private static JsonNode raw() throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Files.readString(SamTemplate.locate()));
    }

    /**
     * Least privilege: each function's policy is explicit statements naming single DynamoDB actions
     * on the template's own tables; no SAM policy template (DynamoDBCrudPolicy grants Scan, DeleteItem
     * and more), no wildcard action, no Scan anywhere (no request path scans).
     */
    @Test
    void everyFunctionHasExplicitLeastPrivilegePolicies() throws Exception {
        JsonNode resources = raw().path("Resources");
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            JsonNode policies = resources.path(function.logicalId()).path("Properties").path("Policies");
            assertTrue(policies.isArray() && !policies.isEmpty(), function.logicalId() + " has no policies");
            for (JsonNode policy : policies) {
                assertTrue(policy.has("Statement") && policy.size() == 1,
                        function.logicalId() + " uses a policy template instead of explicit statements: " + policy);
                for (JsonNode statement : policy.path("Statement")) {
                    assertEquals("Allow", statement.path("Effect").asText());
                    for (JsonNode action : statement.path("Action")) {
                        String name = action.asText();
                        assertTrue(name.matches("dynamodb:[A-Z][A-Za-z]+|sqs:SendMessage"), function.logicalId() + " action " + name);
                        assertFalse(name.equals("dynamodb:Scan"), function.logicalId() + " may " + name);
                    }
                    JsonNode resource = statement.path("Resource");
                    List<String> targets = new ArrayList<>();
                    if (resource.isArray()) {
                        resource.forEach(r -> targets.add(r.asText()));
                    } else {
                        targets.add(resource.asText());
                    }
                    for (String target : targets) {
                        String table = target.replaceAll("^\\$\\{?|\\.Arn.*$|}.*$", "");
                        assertTrue(TEMPLATE.tables().containsKey(table) || table.equals("RosterStreamFailures"),
                                function.logicalId() + " resource " + target);
                    }
                }
            }
        }
    }

    @Test
    void theHttpApiThrottlesEveryRoute() throws Exception {
        JsonNode settings = raw().path("Resources").path("HttpApi").path("Properties").path("DefaultRouteSettings");
        assertTrue(settings.path("ThrottlingBurstLimit").asInt() > 0, "burst limit: " + settings);
        assertTrue(settings.path("ThrottlingRateLimit").asInt() > 0, "rate limit: " + settings);
    }

    @Test
    void everyFunctionHasAnErrorsAlarmThatNotifiesSomeone() throws Exception {
        JsonNode resources = raw().path("Resources");
        List<String> alarmed = new ArrayList<>();
        resources.fields().forEachRemaining(resource -> {
            JsonNode properties = resource.getValue().path("Properties");
            if (resource.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")
                    && properties.path("MetricName").asText().equals("Errors")) {
                assertFalse(properties.path("AlarmActions").isEmpty(), resource.getKey() + " notifies no one");
                properties.path("Dimensions").forEach(d -> alarmed.add(d.path("Value").asText()));
            }
        });
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            assertTrue(alarmed.contains(function.logicalId()), function.logicalId() + " has no errors alarm");
        }
    }

    @Test
    void everyFunctionReadsItsTableNamesFromTheTemplate() {
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            for (String variable : List.of("CONTROL_TABLE", "ROSTER_TABLE", "EVENTS_TABLE")) {
                assertTrue(TEMPLATE.tables().containsKey(function.environment().get(variable)),
                        function.logicalId() + " " + variable + "=" + function.environment().get(variable));
            }
        }
    }

    /**
     * Replayed in name order (writes first where a name says "create"), each sample event must reach
     * its route and be accepted: authenticated, authorized and answered without a server error.
     * A read of something the samples never made may be a 404, but never the router's own 404.
     */
    @Test
    void everyRouteHasASampleEventAndEverySampleEventIsServed() throws Exception {
        List<Path> files;
        try (Stream<Path> listing = Files.list(ROOT.resolve("events"))) {
            files = new ArrayList<>(listing.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        }
        // Writes first, so reads of what they wrote find it.
        files.sort((a, b) -> Boolean.compare(!a.getFileName().toString().contains("create"),
                !b.getFileName().toString().contains("create")));
        List<String> covered = new ArrayList<>();
        for (Path file : files) {
            JsonNode event = Json.readStored(Files.readString(file));
            if (event.has("Records")) {
                continue; // a stream trigger's event: see theStreamSampleEventIsProcessedWithoutFailures
            }
            String routeKey = event.path("routeKey").asText();
            LocalFunction function = system.functions().stream()
                    .filter(f -> f.definition().routes().stream().anyMatch(r -> r.routeKey().equals(routeKey)))
                    .findFirst().orElseThrow(() -> new AssertionError(file + " names no route of the template: " + routeKey));
            JsonNode response = Json.readStored(function.invokeJson(Files.readString(file)));
            int status = response.path("statusCode").asInt();
            String body = response.path("body").asText();
            assertTrue(status < 500 && status != 401 && status != 403 && !body.contains("ROUTE_NOT_FOUND"),
                    file + " -> " + response);
            covered.add(routeKey);
        }
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            for (SamTemplate.Route route : function.routes()) {
                assertTrue(covered.contains(route.routeKey()), "no sample event in events/ for " + route.routeKey());
            }
        }
    }

    /** The DynamoDB stream sample (INSERT, MODIFY, REMOVE) goes through the function its trigger names. */
    @Test
    void theStreamSampleEventIsProcessedWithoutFailures() throws Exception {
        String sample = Files.readString(ROOT.resolve("events/change-stream-records.json"));
        List<String> names = new ArrayList<>();
        Json.readStored(sample).path("Records").forEach(r -> names.add(r.path("eventName").asText()));
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), names);
        List<LocalFunction> triggered = system.functions().stream()
                .filter(f -> !f.definition().streamSources().isEmpty()).toList();
        assertEquals(1, triggered.size());
        assertEquals(DynamodbEvent.class, triggered.get(0).inputType());
        for (int delivery = 0; delivery < 2; delivery++) {
            JsonNode response = Json.readStored(triggered.get(0).invokeJson(sample));
            assertTrue(response.path("batchItemFailures").isArray(), response.toString());
            assertEquals(0, response.path("batchItemFailures").size(), response.toString());
        }
    }

    /** Without these a returned batchItemFailures list is ignored and a poisoned record is retried for a day. */
    @Test
    void theStreamTriggerReportsPartialFailuresRetriesBoundedlyAndKeepsWhatFails() throws Exception {
        JsonNode resources = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("template.yaml").toFile()).path("Resources");
        JsonNode trigger = resources.path("ChangeStreamFunction").path("Properties").path("Events").path("RosterChanges");
        assertEquals("DynamoDB", trigger.path("Type").asText());
        JsonNode properties = trigger.path("Properties");
        assertEquals("ReportBatchItemFailures", properties.path("FunctionResponseTypes").path(0).asText());
        assertTrue(properties.path("BisectBatchOnFunctionError").asBoolean());
        int retries = properties.path("MaximumRetryAttempts").asInt(-1);
        assertTrue(retries >= 0 && retries <= 10, "bounded retries: " + retries);
        assertEquals("TRIM_HORIZON", properties.path("StartingPosition").asText());
        assertEquals("SQS", properties.path("DestinationConfig").path("OnFailure").path("Type").asText());
        assertEquals("AWS::SQS::Queue", resources.path("RosterStreamFailures").path("Type").asText());
    }

    @Test
    void sampleEventsParseIntoTheRuntimesEventObjects() throws Exception {
        APIGatewayV2HTTPEvent event = eduledger.harness.LambdaEvents.fromJson(
                Files.readString(ROOT.resolve("events/schemas-get.json")), APIGatewayV2HTTPEvent.class);
        assertEquals("GET", event.getRequestContext().getHttp().getMethod());
        assertEquals(Map.of("identifier", "assignment.submit"), event.getPathParameters());
        assertNotEquals(null, event.getHeaders().get("authorization"));
    }
}
