package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import eduledger.lambda.Services;
import eduledger.lambda.Telemetry;
import eduledger.metrics.Counts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
            assertTrue(
                    Files.isRegularFile(ROOT.resolve(uri.substring(0, uri.indexOf("/target/")))
                            .resolve("pom.xml")),
                    uri);
        }
    }

    @Test
    void everyRouteReachesItsFunction() {
        int routes = 0;
        for (LocalFunction function : system.functions()) {
            for (SamTemplate.Route route : function.definition().routes()) {
                HttpApiEvent call = HttpApiEvent.to(route.routeKey());
                for (String segment : route.path().split("/")) {
                    if (segment.startsWith("{")) {
                        call.path(segment.substring(1, segment.length() - 1), "x");
                    }
                }
                JsonNode response = Json.readStored(new String(function.invoke(call.bytes()), StandardCharsets.UTF_8));
                // Without a token a served route answers 401; an unserved one would be a 404.
                assertEquals(401, response.path("statusCode").asInt(), route.routeKey() + " -> " + response);
                routes++;
            }
        }
        assertTrue(routes > 0);
        long distinct = TEMPLATE.functions().values().stream()
                .flatMap(f -> f.routes().stream())
                .map(SamTemplate.Route::routeKey)
                .distinct()
                .count();
        assertEquals(routes, distinct, "a route key is declared twice");
    }

    @Test
    void everyTableHasKeysTtlOnDemandBillingAndBackups() {
        assertFalse(TEMPLATE.tables().isEmpty());
        for (SamTemplate.Table table : TEMPLATE.tables().values()) {
            JsonNode properties = table.properties();
            assertEquals("PAY_PER_REQUEST", properties.path("BillingMode").asText(), table.logicalId());
            assertEquals(
                    "pk",
                    properties.path("KeySchema").path(0).path("AttributeName").asText());
            assertEquals(
                    "HASH", properties.path("KeySchema").path(0).path("KeyType").asText());
            assertEquals(
                    "sk",
                    properties.path("KeySchema").path(1).path("AttributeName").asText());
            assertEquals(
                    "RANGE",
                    properties.path("KeySchema").path(1).path("KeyType").asText());
            assertEquals("expires_at", table.ttlAttribute(), table.logicalId());
            assertTrue(properties
                    .path("PointInTimeRecoverySpecification")
                    .path("PointInTimeRecoveryEnabled")
                    .asBoolean());
        }
        assertEquals("NEW_AND_OLD_IMAGES", TEMPLATE.tables().get("RosterTable").streamViewType());
    }

    /** The template as YAML, for what {@link SamTemplate} does not model: policies, the API, alarms. */
    private static JsonNode raw;

    private static JsonNode raw() throws Exception {
        if (raw == null) {
            raw = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SamTemplate.locate()));
        }
        return raw;
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
            JsonNode policies =
                    resources.path(function.logicalId()).path("Properties").path("Policies");
            assertTrue(policies.isArray() && !policies.isEmpty(), function.logicalId() + " has no policies");
            for (JsonNode policy : policies) {
                assertTrue(
                        policy.has("Statement") && policy.size() == 1,
                        function.logicalId() + " uses a policy template instead of explicit statements: " + policy);
                for (JsonNode statement : policy.path("Statement")) {
                    assertEquals("Allow", statement.path("Effect").asText());
                    for (JsonNode action : statement.path("Action")) {
                        String name = action.asText();
                        assertTrue(
                                name.matches("dynamodb:[A-Z][A-Za-z]+|sqs:SendMessage|secretsmanager:GetSecretValue"),
                                function.logicalId() + " action " + name);
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
                        assertTrue(
                                TEMPLATE.tables().containsKey(table)
                                        || table.equals("RosterStreamFailures")
                                        || table.equals("CursorKeys"),
                                function.logicalId() + " resource " + target);
                    }
                }
            }
        }
    }

    @Test
    void theHttpApiThrottlesEveryRoute() throws Exception {
        JsonNode settings =
                raw().path("Resources").path("HttpApi").path("Properties").path("DefaultRouteSettings");
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
                properties
                        .path("Dimensions")
                        .forEach(d -> alarmed.add(d.path("Value").asText()));
            }
        });
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            assertTrue(alarmed.contains(function.logicalId()), function.logicalId() + " has no errors alarm");
        }
    }

    /** The stored data outlives the stack: deleting it or replacing a table leaves the table and its backups. */
    @Test
    void everyTableIsRetainedProtectedAndRecoverable() throws Exception {
        JsonNode resources = raw().path("Resources");
        for (String table : TEMPLATE.tables().keySet()) {
            JsonNode resource = resources.path(table);
            assertEquals("Retain", resource.path("DeletionPolicy").asText(), table + " DeletionPolicy");
            assertEquals("Retain", resource.path("UpdateReplacePolicy").asText(), table + " UpdateReplacePolicy");
            assertTrue(
                    resource.path("Properties")
                            .path("DeletionProtectionEnabled")
                            .asBoolean(false),
                    table + " deletion protection");
            assertTrue(
                    resource.path("Properties")
                            .path("PointInTimeRecoverySpecification")
                            .path("PointInTimeRecoveryEnabled")
                            .asBoolean(false),
                    table + " point-in-time recovery");
        }
    }

    /** A log group Lambda creates on its own keeps logs forever; each function gets one of the template's, with retention. */
    @Test
    void everyFunctionLogsToItsOwnGroupWithRetention() throws Exception {
        JsonNode resources = raw().path("Resources");
        List<String> groups = new ArrayList<>();
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            String group = resources
                    .path(function.logicalId())
                    .path("Properties")
                    .path("LoggingConfig")
                    .path("LogGroup")
                    .asText();
            assertEquals(
                    "AWS::Logs::LogGroup",
                    resources.path(group).path("Type").asText(),
                    function.logicalId() + " logs to " + group);
            assertRetention(resources.path(group));
            assertFalse(groups.contains(group), group + " is shared by two functions");
            groups.add(group);
        }
    }

    private static void assertRetention(JsonNode logGroup) {
        String retention = logGroup.path("Properties").path("RetentionInDays").asText();
        assertFalse(retention.isEmpty(), "no retention: " + logGroup);
        JsonNode parameter = raw.path("Parameters").path(retention);
        int days = parameter.isMissingNode()
                ? Integer.parseInt(retention)
                : parameter.path("Default").asInt();
        assertTrue(days > 0, "retention " + retention);
    }

    /** One JSON line per request in a log group of the template; its request id is the one the function sees. */
    @Test
    void theHttpApiWritesJsonAccessLogs() throws Exception {
        JsonNode resources = raw().path("Resources");
        JsonNode settings = resources.path("HttpApi").path("Properties").path("AccessLogSettings");
        String destination = settings.path("DestinationArn").asText();
        assertTrue(destination.endsWith(".Arn"), destination);
        JsonNode group = resources.path(destination.substring(0, destination.length() - ".Arn".length()));
        assertEquals("AWS::Logs::LogGroup", group.path("Type").asText(), destination);
        assertRetention(group);
        JsonNode line = Json.readStored(settings.path("Format").asText());
        assertEquals("$context.requestId", line.path("requestId").asText());
        for (String field : List.of("routeKey", "status", "latencyMs", "integrationError")) {
            assertTrue(line.has(field), "access log lacks " + field + ": " + line);
        }
    }

    @Test
    void everyFunctionIsTracedInXRay() throws Exception {
        JsonNode template = raw();
        String global =
                template.path("Globals").path("Function").path("Tracing").asText();
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            String own = template.path("Resources")
                    .path(function.logicalId())
                    .path("Properties")
                    .path("Tracing")
                    .asText(global);
            assertEquals("Active", own, function.logicalId());
        }
    }

    /**
     * sam deploy --guided refuses, on its defaults, a route with no authorization declared. Each route
     * says it has no API Gateway authorizer (its function checks the bearer token), and the API's
     * default closes any route that forgets to say so.
     */
    @Test
    void everyRouteDeclaresItsAuthorizationAndTheApiDefaultIsClosed() throws Exception {
        JsonNode resources = raw().path("Resources");
        JsonNode auth = resources.path("HttpApi").path("Properties").path("Auth");
        assertEquals("AWS_IAM", auth.path("DefaultAuthorizer").asText(), auth.toString());
        assertTrue(auth.path("EnableIamAuthorizer").asBoolean(false), auth.toString());
        int routes = 0;
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = resources
                            .path(function.logicalId())
                            .path("Properties")
                            .path("Events")
                            .fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> event = it.next();
                if (event.getValue().path("Type").asText().equals("HttpApi")) {
                    assertEquals(
                            "NONE",
                            event.getValue()
                                    .path("Properties")
                                    .path("Auth")
                                    .path("Authorizer")
                                    .asText(),
                            function.logicalId() + "." + event.getKey());
                    routes++;
                }
            }
        }
        assertEquals(
                TEMPLATE.functions().values().stream()
                        .mapToInt(f -> f.routes().size())
                        .sum(),
                routes);
    }

    /** Alarms of a metric, by the value of their one dimension; each must notify the alarm topic. */
    private static List<String> alarmed(JsonNode resources, String namespace, String metric) {
        List<String> subjects = new ArrayList<>();
        resources.fields().forEachRemaining(resource -> {
            JsonNode properties = resource.getValue().path("Properties");
            if (resource.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")
                    && properties.path("Namespace").asText().equals(namespace)
                    && properties.path("MetricName").asText().equals(metric)) {
                assertEquals(
                        "AlarmTopic", properties.path("AlarmActions").path(0).asText(), resource.getKey());
                properties
                        .path("Dimensions")
                        .forEach(d -> subjects.add(d.path("Value").asText()));
            }
        });
        return subjects;
    }

    @Test
    void whatPagesAnOperatorHasAnAlarmOnTheAlarmTopic() throws Exception {
        JsonNode resources = raw().path("Resources");
        assertEquals(
                "AWS::SNS::Topic", resources.path("AlarmTopic").path("Type").asText());
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            assertTrue(
                    alarmed(resources, "AWS/Lambda", "Errors").contains(function.logicalId()),
                    function.logicalId() + " errors");
            assertTrue(
                    alarmed(resources, "AWS/Lambda", "Throttles").contains(function.logicalId()),
                    function.logicalId() + " throttles");
        }
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            if (!function.streamSources().isEmpty()) {
                assertTrue(
                        alarmed(resources, "AWS/Lambda", "IteratorAge").contains(function.logicalId()),
                        function.logicalId() + " has no stream lag alarm");
            }
        }
        assertTrue(alarmed(resources, "AWS/SQS", "ApproximateNumberOfMessagesVisible")
                .contains("RosterStreamFailures.QueueName"));
        assertTrue(alarmed(resources, "AWS/ApiGateway", "5xx").contains("HttpApi"));
        // DynamoDB throttling: metric math over each table's (and its indexes') read and write throttle events.
        for (String table : TEMPLATE.tables().keySet()) {
            List<String> metrics = new ArrayList<>();
            resources.fields().forEachRemaining(resource -> {
                JsonNode properties = resource.getValue().path("Properties");
                if (resource.getValue().path("Type").asText().equals("AWS::CloudWatch::Alarm")) {
                    for (JsonNode query : properties.path("Metrics")) {
                        JsonNode metric = query.path("MetricStat").path("Metric");
                        if (metric.path("Namespace").asText().equals("AWS/DynamoDB")
                                && metric.path("Dimensions")
                                        .path(0)
                                        .path("Value")
                                        .asText()
                                        .equals(table)) {
                            assertEquals(
                                    "AlarmTopic",
                                    properties.path("AlarmActions").path(0).asText(),
                                    resource.getKey());
                            String returned = properties
                                    .path("Metrics")
                                    .path(0)
                                    .path("Expression")
                                    .asText();
                            assertTrue(
                                    returned.contains("FILL(" + query.path("Id").asText() + ", 0)"),
                                    resource.getKey() + " leaves "
                                            + query.path("Id").asText() + " out of " + returned);
                            metrics.add(metric.path("MetricName").asText()
                                    + metric.path("Dimensions")
                                            .path(1)
                                            .path("Value")
                                            .asText(""));
                        }
                    }
                }
            });
            List<String> expected = new ArrayList<>(List.of("ReadThrottleEvents", "WriteThrottleEvents"));
            TEMPLATE.tables()
                    .get(table)
                    .properties()
                    .path("GlobalSecondaryIndexes")
                    .forEach(index -> {
                        expected.add(
                                "ReadThrottleEvents" + index.path("IndexName").asText());
                        expected.add(
                                "WriteThrottleEvents" + index.path("IndexName").asText());
                    });
            assertEquals(
                    new java.util.TreeSet<>(expected), new java.util.TreeSet<>(metrics), table + " throttling alarms");
        }
    }

    /** The dashboard is valid JSON once deployed and shows every function, table, the API and the stream. */
    @Test
    void theDashboardShowsEveryFunctionTableTheApiAndTheStream() throws Exception {
        JsonNode dashboard = raw().path("Resources").path("Dashboard");
        assertEquals("AWS::CloudWatch::Dashboard", dashboard.path("Type").asText());
        String body = dashboard.path("Properties").path("DashboardBody").asText();
        // What CloudFormation substitutes for ${...} is a plain string; any stands in for it here.
        JsonNode widgets =
                Json.readStored(body.replaceAll("\\$\\{([A-Za-z:.]+)}", "$1")).path("widgets");
        assertFalse(widgets.isEmpty());
        String metrics = widgets.toString();
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            assertTrue(metrics.contains("\"" + function.logicalId() + "\""), function.logicalId());
        }
        for (String table : TEMPLATE.tables().keySet()) {
            assertTrue(metrics.contains("\"" + table + "\""), table);
        }
        for (String metric : List.of("5xx", "IteratorAge", "ApproximateNumberOfMessagesVisible")) {
            assertTrue(metrics.contains("\"" + metric + "\""), metric);
        }
        // The functions' own metrics, as their log lines name them.
        for (String metric : List.of(
                Counts.EVENTS_ACCEPTED,
                Counts.EVENTS_REJECTED,
                Counts.EVENTS_NON_CONFORMING,
                Counts.IDEMPOTENT_REPLAYS,
                Counts.STREAM_RECORDS_PROCESSED,
                Counts.STREAM_RECORDS_FAILED,
                Counts.GRAPH_EVENTS_WRITTEN,
                Counts.COURSE_EVENTS_WRITTEN,
                Counts.VISIBILITY_CHANGES_APPLIED)) {
            assertTrue(metrics.contains("[\"" + Telemetry.NAMESPACE + "\",\"" + metric + "\""), metric);
        }
    }

    /** What the deploy guide tells the operator to use comes out of the stack. */
    @Test
    void theOutputsGiveTheApiUrlTheAlarmTopicAndEveryTable() throws Exception {
        JsonNode outputs = raw().path("Outputs");
        assertTrue(outputs.path("ApiUrl").path("Value").asText().contains("${HttpApi}.execute-api."));
        assertEquals("AlarmTopic", outputs.path("AlarmTopic").path("Value").asText());
        for (String table : TEMPLATE.tables().keySet()) {
            assertEquals(table, outputs.path(table + "Name").path("Value").asText(), table);
        }
    }

    /** sam deploy reads its defaults from samconfig.toml: a stack name, a region-independent bucket, IAM capability. */
    @Test
    void samconfigGivesDeployWorkingDefaults() throws Exception {
        String config = Files.readString(ROOT.resolve("samconfig.toml"));
        assertTrue(config.contains("version = 0.1"), config);
        String deploy = config.substring(config.indexOf("[default.deploy.parameters]"));
        assertTrue(deploy.contains("stack_name = \"eduledger\""), deploy);
        assertTrue(deploy.contains("resolve_s3 = true"), deploy);
        assertTrue(deploy.contains("capabilities = \"CAPABILITY_IAM\""), deploy);
        // Nothing secret is a deploy parameter, so nothing secret can end up in this file.
        assertFalse(config.contains("parameter_overrides"), config);
    }

    /**
     * The page-token keys live in a Secrets Manager secret the stack generates, not in a parameter
     * or an environment value: only its ARN reaches the function that signs page tokens, which alone
     * may read it, and the secret outlives the stack as the data it protects does.
     */
    @Test
    void thePageTokenKeysLiveInAGeneratedSecretOnlyTheirReaderMayRead() throws Exception {
        JsonNode template = raw();
        template.path("Parameters")
                .fields()
                .forEachRemaining(p -> assertFalse(
                        p.getValue().path("NoEcho").asBoolean(false), "parameter " + p.getKey() + " carries a secret"));
        JsonNode secret = template.path("Resources").path("CursorKeys");
        assertEquals("AWS::SecretsManager::Secret", secret.path("Type").asText());
        assertEquals("Retain", secret.path("DeletionPolicy").asText());
        assertEquals("Retain", secret.path("UpdateReplacePolicy").asText());
        JsonNode generate = secret.path("Properties").path("GenerateSecretString");
        assertEquals("current", generate.path("GenerateStringKey").asText());
        assertTrue(generate.path("PasswordLength").asInt() >= 32, generate.toString());
        assertTrue(
                template.path("Globals")
                        .path("Function")
                        .path("Environment")
                        .path("Variables")
                        .path("CURSOR_SECRET")
                        .isMissingNode(),
                "a cursor secret in the environment");

        List<String> readers = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(resource -> {
            JsonNode properties = resource.getValue().path("Properties");
            boolean named = properties
                    .path("Environment")
                    .path("Variables")
                    .path("CURSOR_SECRET_ID")
                    .asText()
                    .equals("CursorKeys");
            boolean granted = false;
            for (JsonNode policy : properties.path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    if (statement.path("Action").toString().contains("secretsmanager:GetSecretValue")) {
                        assertEquals("CursorKeys", statement.path("Resource").asText(), resource.getKey());
                        granted = true;
                    }
                }
            }
            assertEquals(named, granted, resource.getKey() + " reads the secret it is not granted, or the reverse");
            if (named) {
                readers.add(resource.getKey());
            }
        });
        // The one function that hands out signed page tokens today.
        assertEquals(List.of("CourseEventsFunction"), readers);
        // A local run has no secret store: the variable is left out, so the local default serves.
        assertFalse(
                TEMPLATE.functions().get("CourseEventsFunction").environment().containsKey("CURSOR_SECRET_ID"));
    }

    @Test
    void everyFunctionReadsItsTableNamesFromTheTemplate() {
        for (SamTemplate.Function function : TEMPLATE.functions().values()) {
            for (String variable : List.of("CONTROL_TABLE", "ROSTER_TABLE", "EVENTS_TABLE")) {
                assertTrue(
                        TEMPLATE.tables().containsKey(function.environment().get(variable)),
                        function.logicalId() + " " + variable + "="
                                + function.environment().get(variable));
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
            files = new ArrayList<>(
                    listing.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        }
        // Writes first, so reads of what they wrote find it.
        files.sort((a, b) -> Boolean.compare(
                !a.getFileName().toString().contains("create"),
                !b.getFileName().toString().contains("create")));
        List<String> covered = new ArrayList<>();
        for (Path file : files) {
            JsonNode event = Json.readStored(Files.readString(file));
            if (event.has("Records")) {
                continue; // a stream trigger's event: see theStreamSampleEventIsProcessedWithoutFailures
            }
            String routeKey = event.path("routeKey").asText();
            LocalFunction function = system.functions().stream()
                    .filter(f -> f.definition().routes().stream()
                            .anyMatch(r -> r.routeKey().equals(routeKey)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(file + " names no route of the template: " + routeKey));
            JsonNode response = Json.readStored(function.invokeJson(Files.readString(file)));
            int status = response.path("statusCode").asInt();
            String body = response.path("body").asText();
            assertTrue(
                    status < 500 && status != 401 && status != 403 && !body.contains("ROUTE_NOT_FOUND"),
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
        Json.readStored(sample)
                .path("Records")
                .forEach(r -> names.add(r.path("eventName").asText()));
        assertEquals(List.of("INSERT", "MODIFY", "REMOVE"), names);
        List<LocalFunction> triggered = system.functions().stream()
                .filter(f -> !f.definition().streamSources().isEmpty())
                .toList();
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
        JsonNode resources = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("template.yaml").toFile())
                .path("Resources");
        JsonNode trigger = resources
                .path("ChangeStreamFunction")
                .path("Properties")
                .path("Events")
                .path("RosterChanges");
        assertEquals("DynamoDB", trigger.path("Type").asText());
        JsonNode properties = trigger.path("Properties");
        assertEquals(
                "ReportBatchItemFailures",
                properties.path("FunctionResponseTypes").path(0).asText());
        assertTrue(properties.path("BisectBatchOnFunctionError").asBoolean());
        int retries = properties.path("MaximumRetryAttempts").asInt(-1);
        assertTrue(retries >= 0 && retries <= 10, "bounded retries: " + retries);
        assertEquals("TRIM_HORIZON", properties.path("StartingPosition").asText());
        assertEquals(
                "SQS",
                properties
                        .path("DestinationConfig")
                        .path("OnFailure")
                        .path("Type")
                        .asText());
        assertEquals(
                "AWS::SQS::Queue",
                resources.path("RosterStreamFailures").path("Type").asText());
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
