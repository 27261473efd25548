package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditIngestion;
import eduledger.auth.Scope;
import eduledger.json.Json;
import eduledger.metrics.Counts;
import eduledger.schemas.JsonSchemas;
import eduledger.testing.ApiCall;
import eduledger.testing.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelemetryTest {
    private static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");

    private static String event(String integrationId) {
        return "{\"action\": \"assignment.submit\","
                + " \"actor\": {\"identifiers\": [{\"value\": \"person-17\", \"issuer\": \"sis\"}], \"type\": \"person\"},"
                + " \"targets\": [{\"identifiers\": [{\"value\": \"assignment-9\", \"issuer\": \"sis\"}],"
                + " \"type\": \"assignment\"}],"
                + " \"scope\": {\"id\": \"" + integrationId + "\", \"type\": \"integration\"}, \"data\": {}}";
    }

    private final Services services = TestServices.shared();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream previous;

    @BeforeEach
    void capture() {
        previous = Telemetry.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Telemetry.redirect(previous);
    }

    @Test
    void aRequestIsOneJsonLineWithItsRouteIntegrationStatusAndErrorAndAnEmbeddedMetricRecord() {
        Router router = new Router(services.authenticator())
                .on("GET /denied", Scope.ADMIN, (request, caller) -> Reply.ok(Json.object()));
        var integration = TestServices.integration(services);
        ApiCall call = ApiCall.to("GET /denied").token(integration.token());
        assertEquals(
                403,
                call.send((event, context) -> router.handle(event, context)).status());

        JsonNode line = onlyLine();
        assertEquals("request", line.path("type").asText());
        assertEquals("GET /denied", line.path("route").asText());
        assertEquals(integration.id(), line.path("integration").asText());
        assertEquals(403, line.path("status").asInt());
        assertEquals("INSUFFICIENT_SCOPE", line.path("error").asText());
        assertEquals("WARN", line.path("level").asText());
        assertFalse(line.path("requestId").asText().isEmpty());
        assertTrue(line.path("latencyMs").isIntegralNumber());
        assertEquals(1, line.path("Requests").asLong());
        assertEquals(1, line.path("ClientErrors").asLong());
        assertMetricsDeclared(line);
    }

    @Test
    void anUnexpectedFailureLogsItsTraceOnItsLineAndCountsAsAServerError() {
        Router router = new Router(services.authenticator()).on("GET /boom", Scope.AUDIT_READ, (request, caller) -> {
            throw new IllegalStateException("secret detail");
        });
        var token = TestServices.integration(services).token();
        ApiCall.to("GET /boom").token(token).send((event, context) -> router.handle(event, context));

        JsonNode line = onlyLine();
        assertEquals(500, line.path("status").asInt());
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("INTERNAL_ERROR", line.path("error").asText());
        assertTrue(line.path("stackTrace").asText().contains("secret detail"));
        assertEquals(1, line.path("ServerErrors").asLong());
    }

    @Test
    void ingestionCountsAcceptedRejectedAndReplayedEvents() {
        AuditIngestion ingestion = new AuditIngestion(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                new JsonSchemas());
        Router router = new Router(services.authenticator())
                .on("POST /events", Scope.AUDIT_WRITE, (request, caller) -> {
                    ingestion.submit(caller.integrationId(), request.jsonBody(), request.header("idempotency-key"));
                    return Reply.ok(Json.object());
                });
        var integration = TestServices.integration(services);
        var token = integration.token();
        String submitted = event(integration.id());
        String batch = "{\"events\": [" + submitted + ", " + submitted + ", {\"action\": 7}]}";
        String key = UUID.randomUUID().toString();
        ApiCall call = ApiCall.to("POST /events")
                .token(token)
                .header("idempotency-key", key)
                .body(batch);
        call.send((event, context) -> router.handle(event, context));
        call.send((event, context) -> router.handle(event, context));

        List<JsonNode> lines = lines();
        assertEquals(2, lines.size());
        assertEquals(2, lines.get(0).path(Counts.EVENTS_ACCEPTED).asLong());
        assertEquals(1, lines.get(0).path(Counts.EVENTS_REJECTED).asLong());
        assertTrue(lines.get(0).path(Counts.IDEMPOTENT_REPLAYS).isMissingNode());
        assertMetricsDeclared(lines.get(0));
        assertEquals(1, lines.get(1).path(Counts.IDEMPOTENT_REPLAYS).asLong());
        assertTrue(lines.get(1).path(Counts.EVENTS_ACCEPTED).isMissingNode());
    }

    @Test
    void aStreamBatchIsOneLineWithWhatItsWorkCountedAndWhereItFailed() {
        DynamodbEvent event = new DynamodbEvent();
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventID("record-" + i);
            records.add(record);
        }
        event.setRecords(records);

        var response = StreamRecords.handle(event, null, batch -> {
            Counts.add(Counts.STREAM_RECORDS_PROCESSED, 2);
            Counts.add(Counts.STREAM_RECORDS_FAILED, 1);
            Counts.add(Counts.GRAPH_EVENTS_WRITTEN, 5);
            return Optional.of(batch.get(2).sequenceNumber());
        });

        assertEquals("record-2", response.getBatchItemFailures().get(0).getItemIdentifier());
        JsonNode line = onlyLine();
        assertEquals("batch", line.path("type").asText());
        assertEquals(3, line.path("records").asInt());
        assertEquals("record-2", line.path("firstFailedSequence").asText());
        assertEquals("ERROR", line.path("level").asText());
        assertEquals(2, line.path(Counts.STREAM_RECORDS_PROCESSED).asLong());
        assertEquals(1, line.path(Counts.STREAM_RECORDS_FAILED).asLong());
        assertEquals(5, line.path(Counts.GRAPH_EVENTS_WRITTEN).asLong());
        assertMetricsDeclared(line);
    }

    @Test
    void countsOutsideAnOpenTallyGoNowhere() {
        Counts.add(Counts.EVENTS_ACCEPTED, 1);
        try (Counts.Tally tally = Counts.open()) {
            assertTrue(tally.values().isEmpty());
        }
    }

    /** Every metric the record declares is a number on the line, in the Function dimension CloudWatch reads. */
    /**
     * Each line is written field by field: byte for byte the line its tree gave, level, optional
     * fields, the failure's trace, counts and the metric directive included.
     */
    @Test
    void linesAreWrittenExactlyAsTheirTreesWere() {
        RuntimeException failure = new IllegalStateException("broken \"quoted\" \u00e9\n");
        List<Telemetry.Request> requests = List.of(
                new Telemetry.Request(
                        null,
                        "api-1",
                        "req-1",
                        "POST /x",
                        "integration-1",
                        201,
                        7,
                        null,
                        null,
                        Map.of(Counts.EVENTS_ACCEPTED, 3L, Counts.EVENTS_NON_CONFORMING, 1L)),
                new Telemetry.Request(null, null, "req-2", null, null, 403, 0, "INSUFFICIENT_SCOPE", null, Map.of()),
                new Telemetry.Request(
                        null,
                        "api-3",
                        "req-3",
                        "GET /y",
                        "i",
                        500,
                        12345678901L,
                        "INTERNAL_ERROR",
                        failure,
                        Map.of(Counts.EVENTS_REJECTED, 2L)));
        for (Telemetry.Request request : requests) {
            Telemetry.request(request);
        }
        Telemetry.batch(
                null, 100, "seq-9", 42, new java.util.LinkedHashMap<>(Map.of(Counts.STREAM_RECORDS_FAILED, 1L)), false);
        Telemetry.batch(null, 3, null, 1, Map.of(), false);
        List<String> written = new ArrayList<>();
        for (String text : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!text.isBlank()) {
                written.add(text);
            }
        }
        assertEquals(5, written.size());
        for (int i = 0; i < requests.size(); i++) {
            assertEquals(asTree(requests.get(i), timestamp(written.get(i))), written.get(i));
        }
        ObjectNode failed = treeStart("batch");
        failed.put("records", 100).put("firstFailedSequence", "seq-9").put("latencyMs", 42);
        assertEquals(
                treeFinish(failed, Map.of(Counts.STREAM_RECORDS_FAILED, 1L), 42, timestamp(written.get(3))),
                written.get(3));
        ObjectNode passed = treeStart("batch");
        passed.put("records", 3).put("latencyMs", 1);
        assertEquals(treeFinish(passed, Map.of(), 1, timestamp(written.get(4))), written.get(4));
    }

    private static long timestamp(String line) {
        return Json.readStored(line).path("_aws").path("Timestamp").asLong();
    }

    /** A request's line as it was built, as a tree, before it was written field by field. */
    private static String asTree(Telemetry.Request request, long timestamp) {
        ObjectNode line = treeStart("request");
        if (request.apiRequestId() != null) {
            line.put("apiRequestId", request.apiRequestId());
        }
        line.put("requestId", request.requestId());
        line.put("route", request.route());
        if (request.integration() != null) {
            line.put("integration", request.integration());
        }
        line.put("status", request.status());
        line.put("latencyMs", request.latencyMillis());
        if (request.errorCode() != null) {
            line.put("error", request.errorCode());
        }
        if (request.exception() != null) {
            line.put("exception", request.exception().toString());
            java.io.StringWriter trace = new java.io.StringWriter();
            request.exception().printStackTrace(new java.io.PrintWriter(trace));
            line.put("stackTrace", trace.toString());
        }
        Map<String, Long> metrics = new java.util.TreeMap<>(request.counts());
        metrics.put("Requests", 1L);
        if (request.status() >= 500) {
            metrics.put("ServerErrors", 1L);
        } else if (request.status() >= 400) {
            metrics.put("ClientErrors", 1L);
        }
        return treeFinish(line, metrics, request.latencyMillis(), timestamp);
    }

    private static ObjectNode treeStart(String kind) {
        ObjectNode line = Json.object();
        line.put("level", "INFO");
        line.put("type", kind);
        line.put("function", FUNCTION);
        return line;
    }

    private static String treeFinish(ObjectNode line, Map<String, Long> counts, long latencyMillis, long timestamp) {
        if (line.has("error") || line.has("exception") || line.has("firstFailedSequence")) {
            line.put("level", line.has("exception") || line.has("firstFailedSequence") ? "ERROR" : "WARN");
        }
        line.put("Function", FUNCTION);
        line.put("Latency", latencyMillis);
        ObjectNode directive = Json.object();
        directive.put("Namespace", Telemetry.NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Function");
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", "Latency").put("Unit", "Milliseconds");
        counts.forEach((name, value) -> {
            line.put(name, value);
            metrics.addObject().put("Name", name).put("Unit", "Count");
        });
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", timestamp);
        aws.putArray("CloudWatchMetrics").add(directive);
        return Json.write(line);
    }

    private static void assertMetricsDeclared(JsonNode line) {
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(Telemetry.NAMESPACE, directive.path("Namespace").asText());
        assertEquals("Function", directive.path("Dimensions").get(0).get(0).asText());
        assertTrue(line.path("Function").isTextual());
        assertTrue(line.path("_aws").path("Timestamp").isIntegralNumber());
        Set<String> declared = new HashSet<>();
        for (JsonNode metric : directive.path("Metrics")) {
            declared.add(metric.path("Name").asText());
            assertTrue(line.path(metric.path("Name").asText()).isNumber(), metric.toString());
        }
        assertTrue(declared.contains("Latency"));
        line.fieldNames().forEachRemaining(name -> {
            if (Character.isUpperCase(name.charAt(0)) && !name.equals("Function")) {
                assertTrue(declared.contains(name), name + " is on the line but not declared");
            }
        });
    }

    private JsonNode onlyLine() {
        List<JsonNode> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }

    private List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!text.isBlank()) {
                lines.add(Json.readStored(text));
            }
        }
        return lines;
    }
}
