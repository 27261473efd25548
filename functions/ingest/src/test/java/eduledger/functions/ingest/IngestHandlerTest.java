package eduledger.functions.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.audit.AuditKeys;
import eduledger.audit.AuditQuery;
import eduledger.audit.AuditScope;
import eduledger.audit.ScopeAccess;
import eduledger.auth.Scope;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.BatchResult;
import eduledger.lambda.EdlinkEnvelope;
import eduledger.lambda.Reply;
import eduledger.paging.PageRequest;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.schemas.AuditSchema;
import eduledger.schemas.JsonSchemas;
import eduledger.schemas.NewestSchemas;
import eduledger.schemas.PredefinedSchemas;
import eduledger.schemas.SchemaDefinition;
import eduledger.schemas.SchemaStore;
import eduledger.storage.Attributes;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.Concurrently;
import eduledger.testing.FunctionTest;
import eduledger.testing.SettableClock;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Audit event ingestion end to end: handler, core and the test store. */
class IngestHandlerTest extends FunctionTest<IngestHandler> {
    private static final String INGEST = "POST /api/v2/audit/events";
    private static final String PRODUCT_SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {"productId": {"type": "integer"}, "price": {"type": "number", "exclusiveMinimum": 0}},
             "required": ["productId", "price"]}""";

    IngestHandlerTest() {
        super(IngestHandler::new);
    }

    private final SchemaStore schemas = new SchemaStore(services.dynamo(), services.tables(), services.clock());
    private final AuditEventStore store = new AuditEventStore(
            services.dynamo(),
            services.tables(),
            services.clock(),
            services.settings().retention());

    private Response send(ApiCall call) {
        return call.send(handler);
    }

    private Response ingest(String body) {
        return send(ApiCall.to(INGEST).token(tenant.token()).body(body));
    }

    private void defineSchema(String action, String level) {
        JsonNode definition = Json.readStored("{\"action\": {\"id\": \"" + action + "\", \"type\": \"create\"},"
                + " \"validation_level\": \"" + level + "\", \"data\": " + PRODUCT_SCHEMA + "}");
        schemas.create(tenant.id(), SchemaDefinition.forCreate(definition, new JsonSchemas()));
    }

    /** An event as Edlink's Audit Log Events documentation shapes one, scoped to the tenant. */
    private String event(String action, String data) {
        return """
                {"action": "%s",
                 "actor": {"identifiers": [{"value": "person-1", "issuer": "gradebook"}], "type": "person"},
                 "targets": [{"identifiers": [{"value": "assignment-9", "issuer": "gradebook"}], "type": "assignment"}],
                 "scope": {"id": "%s", "type": "integration"},
                 "context": {"source": "gradebook", "user_agent": "Mozilla/5.0", "http_method": "POST",
                             "http_status": 200, "path": "/assignments/9/submit", "ip": "203.0.113.7"},
                 "data": %s}""".formatted(action, tenant.id(), data);
    }

    /** What the tenant's scope lists, oldest first. */
    private List<AuditEvent> storedEvents() {
        List<AuditEvent> newestFirst = new ArrayList<>(store
                .list(
                        tenant.id(),
                        new AuditScope(tenant.id(), AuditScope.INTEGRATION),
                        new AuditQuery("", null, null),
                        new PageRequest(1000, true, null))
                .items()
                .stream()
                .map(AuditEventStore.Stored::event)
                .toList());
        java.util.Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Test
    void aConformingEventUnderAStrictSchemaIsStoredWithItsSchemaVersion() {
        defineSchema("assignment.submit", "strict");
        Response created = ingest(event("assignment.submit", "{\"productId\": 7, \"price\": 2.5}"));
        assertEquals(201, created.status(), created.body().toString());
        JsonNode stored = created.data();
        assertNotNull(EventIds.timeOf(stored.path("id").asText()), "id is a UUIDv7");
        assertTrue(stored.path("created_date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals("assignment.submit", stored.path("action").asText());
        assertEquals("create", stored.path("action_type").asText(), "the governing schema's action type");
        assertEquals(
                "person-1",
                stored.path("actor").path("identifiers").path(0).path("value").asText());
        assertEquals(
                "gradebook",
                stored.path("actor").path("identifiers").path(0).path("issuer").asText());
        assertEquals("person", stored.path("actor").path("type").asText());
        assertEquals("assignment", stored.path("targets").path(0).path("type").asText());
        assertEquals(tenant.id(), stored.path("scope").path("id").asText());
        assertEquals("integration", stored.path("scope").path("type").asText());
        assertEquals(200, stored.path("context").path("http_status").asInt());
        assertEquals("203.0.113.7", stored.path("context").path("ip").asText());
        assertEquals(
                schemas.newest(tenant.id(), "assignment.submit", true)
                        .orElseThrow()
                        .id(),
                stored.path("schema").path("id").asText());
        assertEquals(
                schemas.newest(tenant.id(), "assignment.submit", true)
                        .orElseThrow()
                        .version(),
                stored.path("schema").path("version").asText());
        assertEquals(1, stored.path("schema").path("version_number").asLong());
        assertTrue(stored.path("validation").path("conforms").asBoolean());
        assertEquals("strict", stored.path("validation").path("level").asText());
        assertTrue(created.body().path("$warnings").isMissingNode());
        assertEquals(
                List.of(stored.path("id").asText()),
                storedEvents().stream().map(AuditEvent::id).toList());
    }

    @Test
    void theStoredItemExpiresAfterTheRetentionPeriod() {
        JsonNode created = ingest(event("login", "{}")).data();
        var item = storedItem(created.path("id").asText());
        Instant createdDate = Instant.parse(created.path("created_date").asText());
        assertEquals(
                createdDate.plus(services.settings().retention()).getEpochSecond(),
                Attributes.number(item, Keys.EXPIRES_AT));
    }

    @Test
    void aNonConformingEventUnderAStrictSchemaIs422ListingEveryViolationAndIsNotStored() {
        defineSchema("assignment.submit", "strict");
        Response rejected = ingest(event("assignment.submit", "{\"productId\": \"seven\", \"extra\": 1}"));
        assertEquals(422, rejected.status());
        assertEquals(Set.of("$.data.productId", "$.data"), paths(rejected.body().path("$errors")));
        rejected.body()
                .path("$errors")
                .forEach(e -> assertEquals("SCHEMA_VIOLATION", e.path("code").asText()));
        assertEquals(2, rejected.body().path("$errors").size(), "wrong type and missing price");
        assertTrue(storedEvents().isEmpty());
    }

    @Test
    void aNonConformingEventUnderALaxSchemaIsStoredFlaggedWithWarningsNamingTheVersion() {
        defineSchema("assignment.submit", "strict");
        String version2 = schemas.patch(
                        tenant.id(),
                        "assignment.submit",
                        current -> SchemaDefinition.forPatch(
                                Json.readStored("{\"validation_level\": \"lax\"}"), current, new JsonSchemas()))
                .version();
        Response created = ingest(event("assignment.submit", "{\"productId\": 1.5}"));
        assertEquals(201, created.status(), created.body().toString());
        JsonNode warnings = created.body().path("$warnings");
        assertEquals("NON_CONFORMING", warnings.path(0).path("code").asText());
        assertTrue(
                warnings.path(0).path("message").asText().contains("version 2 (" + version2 + ")"),
                warnings.path(0).toString());
        assertEquals(
                Set.of("$.data.productId", "$.data"),
                paths(warnings).stream().filter(p -> !p.isEmpty()).collect(java.util.stream.Collectors.toSet()));
        JsonNode stored = created.data();
        assertEquals(version2, stored.path("schema").path("version").asText());
        assertEquals(2, stored.path("schema").path("version_number").asLong());
        assertFalse(stored.path("validation").path("conforms").asBoolean(true));
        AuditEvent kept = store.find(tenant.id(), stored.path("id").asText()).orElseThrow();
        assertEquals(2, kept.validation().violations().size(), "violations are kept on the event");
    }

    @Test
    void aNewSchemaVersionGovernsWithinOneSecondAndEachEventNamesTheVersionThatValidatedIt() {
        SettableClock clock = new SettableClock(services.clock().instant());
        IngestHandler handler = new IngestHandler(TestServices.create(clock));
        defineSchema("assignment.submit", "strict");
        String event = event("assignment.submit", "{\"productId\": 1, \"price\": 1}");
        Response first = ApiCall.to(INGEST).token(tenant.token()).body(event).send(handler);
        assertEquals(201, first.status());
        assertEquals(1, first.data().path("schema").path("version_number").asLong());
        schemas.patch(
                tenant.id(),
                "assignment.submit",
                current -> SchemaDefinition.forPatch(
                        Json.readStored("{\"data\": {\"type\": \"object\", \"required\": [\"grade\"]}}"),
                        current,
                        new JsonSchemas()));

        clock.advance(NewestSchemas.FRESHNESS.minusMillis(1));
        Response stillFirst =
                ApiCall.to(INGEST).token(tenant.token()).body(event).send(handler);
        assertEquals(201, stillFirst.status(), "version 1 read under a second ago still governs");
        assertEquals(1, stillFirst.data().path("schema").path("version_number").asLong());

        clock.advance(Duration.ofMillis(1));
        Response rejected = ApiCall.to(INGEST).token(tenant.token()).body(event).send(handler);
        assertEquals(422, rejected.status());
        assertTrue(
                rejected.body().path("$errors").path(0).path("message").asText().contains("grade"));
    }

    @Test
    void anActionWithoutASchemaIsAcceptedAsLaxWithAWarning() {
        Response created = ingest(event("login", "{\"anything\": true}"));
        assertEquals(201, created.status());
        assertEquals(
                "NO_SCHEMA",
                created.body().path("$warnings").path(0).path("code").asText());
        assertTrue(created.data().path("schema").isNull());
        assertEquals("other", created.data().path("action_type").asText(), "no schema, so other");
        assertTrue(created.data().path("validation").path("conforms").isNull());
        assertEquals("lax", created.data().path("validation").path("level").asText());
    }

    @Test
    void aPredefinedActionIsGovernedByItsSchemaFromTheStartAndByTheOwnersOnceChanged() {
        SettableClock clock = new SettableClock(services.clock().instant());
        IngestHandler handler = new IngestHandler(TestServices.create(clock));
        // Edlink's predefined user.login: no one created it, yet the event carries its schema and type.
        Response login = ApiCall.to(INGEST)
                .token(tenant.token())
                .body(event("user.login", "{\"method\": \"sso\"}"))
                .send(handler);
        assertEquals(201, login.status(), String.valueOf(login.body()));
        AuditSchema predefined = PredefinedSchemas.forAction("user.login").orElseThrow();
        assertEquals("create", login.data().path("action_type").asText());
        assertEquals(predefined.id(), login.data().path("schema").path("id").asText());
        assertEquals(
                predefined.version(),
                login.data().path("schema").path("version").asText());
        assertTrue(login.data().path("validation").path("conforms").asBoolean());
        assertTrue(login.body().path("$warnings").isMissingNode(), String.valueOf(login.body()));

        // The owner's own version governs once the newest schema is read again: strict, and data must say how.
        schemas.patch(
                tenant.id(),
                "user.login",
                current -> SchemaDefinition.forPatch(Json.readStored("""
                                {"validation_level": "strict", "data": {"type": "object", "required": ["method"]}}"""), current, new JsonSchemas()));
        clock.advance(NewestSchemas.FRESHNESS);
        Response refused = ApiCall.to(INGEST)
                .token(tenant.token())
                .body(event("user.login", "{}"))
                .send(handler);
        assertEquals(422, refused.status());
        Response accepted = ApiCall.to(INGEST)
                .token(tenant.token())
                .body(event("user.login", "{\"method\": \"password\"}"))
                .send(handler);
        assertEquals(201, accepted.status());
        assertEquals(predefined.id(), accepted.data().path("schema").path("id").asText(), "the same schema");
        assertEquals(2, accepted.data().path("schema").path("version_number").asLong());
    }

    @Test
    void builtInRulesAre400WhateverTheSchemasLevel() {
        defineSchema("assignment.submit", "lax");
        Response bad = ingest("""
                {"action": {"id": "assignment.submit"},
                 "actor": {"identifiers": [{"value": 42, "issuer": "gradebook"}], "type": "robot"},
                 "targets": [{"identifiers": [], "type": "assignment"}],
                 "scope": {"id": "x", "type": "district"},
                 "context": {"ip": 7, "http_status": "ok", "referrer": "x"},
                 "created_date": "x", "action_type": "create", "colour": 1,
                 "data": {"productId": 1, "price": 1}}""");
        assertEquals(400, bad.status());
        assertEquals(
                Set.of(
                        "$.action",
                        "$.actor.identifiers[0].value",
                        "$.actor.type",
                        "$.targets[0].identifiers",
                        "$.scope.type",
                        "$.context.ip",
                        "$.context.http_status",
                        "$.context.referrer",
                        "$.created_date",
                        "$.action_type",
                        "$.colour"),
                paths(bad.body().path("$errors")));
        Response missing = ingest("{\"action\": \"x\"}");
        assertEquals(400, missing.status());
        assertEquals(
                Set.of("$.actor", "$.targets", "$.scope"),
                paths(missing.body().path("$errors")),
                "actor, targets and scope are required with action");
        String elevenTargets = "["
                + String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 11)
                                .mapToObj(i -> "{\"identifiers\": [{\"value\": \"t" + i
                                        + "\", \"issuer\": \"x\"}], \"type\": \"thing\"}")
                                .toList())
                + "]";
        ObjectNode withElevenTargets = (ObjectNode) Json.readStored(event("x", "{}"));
        withElevenTargets.set("targets", Json.readStored(elevenTargets));
        Response tooMany = send(ApiCall.to(INGEST).token(tenant.token()).body(withElevenTargets));
        assertEquals(
                "TOO_MANY_TARGETS", tooMany.firstErrorCode(), tooMany.body().toString());
        assertTrue(storedEvents().isEmpty());
    }

    @Test
    void anEventsScopeIsTheIntegrationOrAnInstitutionItSees() {
        TestIntegration other = TestServices.integration(services);
        Response elsewhere = ingest(event("login", "{}").replace(tenant.id(), other.id()));
        assertEquals(403, elsewhere.status());
        assertEquals("SCOPE_NOT_ALLOWED", elsewhere.firstErrorCode());
        Response unknownInstitution = ingest(event("login", "{}")
                .replace(
                        "\"id\": \"" + tenant.id() + "\", \"type\": \"integration\"",
                        "\"id\": \"no-such-school\", \"type\": \"institution\""));
        assertEquals(403, unknownInstitution.status());
        assertTrue(storedEvents().isEmpty());
    }

    @Test
    void aBatchReportsEachEventsOutcome() {
        defineSchema("assignment.submit", "strict");
        String body = "{\"events\": [" + event("assignment.submit", "{\"productId\": 1, \"price\": 1}") + ", "
                + event("assignment.submit", "{\"productId\": 1}") + ", "
                + "{\"action\": \"login\"}, "
                + event("login", "{}") + "]}";
        Response response = ingest(body);
        assertEquals(200, response.status(), response.body().toString());
        JsonNode results = response.data();
        assertEquals(List.of(201, 422, 400, 201), statuses(results));
        assertEquals(
                "$.events[1].data",
                results.path(1).path("errors").path(0).path("path").asText());
        assertEquals(
                "$.events[2].actor",
                results.path(2).path("errors").path(0).path("path").asText());
        assertEquals(
                "NO_SCHEMA",
                results.path(3).path("warnings").path(0).path("code").asText());
        Set<String> ids = Set.of(
                results.path(0).path("event").path("id").asText(),
                results.path(3).path("event").path("id").asText());
        assertEquals(
                ids, new HashSet<>(storedEvents().stream().map(AuditEvent::id).toList()));
    }

    @Test
    void malformedOrOversizedRequestsAreRefused() {
        ArrayNode many = Json.array();
        for (int i = 0; i < 101; i++) {
            many.add(Json.readStored(event("login", "{}")));
        }
        ObjectNode batch = Json.object();
        batch.set("events", many);
        Response tooMany = send(ApiCall.to(INGEST).token(tenant.token()).body(batch));
        assertEquals(400, tooMany.status());
        assertEquals("BATCH_TOO_LARGE", tooMany.firstErrorCode());
        assertEquals("INVALID_JSON", ingest("{\"events\": [").firstErrorCode());
        assertEquals(400, ingest("{\"events\": {}}").status());
        assertEquals(400, ingest("[1, 2]").status());
        assertEquals(400, ingest("{\"events\": [], \"action\": 1}").status());

        String big = event("login", "{\"blob\": \"" + "x".repeat(450_000) + "\"}");
        Response oversized = ingest(big);
        assertEquals(413, oversized.status());
        assertEquals("EVENT_TOO_LARGE", oversized.firstErrorCode());
        Response batchWithBig = ingest("{\"events\": [" + big + ", " + event("login", "{}") + "]}");
        assertEquals(List.of(413, 201), statuses(batchWithBig.data()));
        assertEquals(1, storedEvents().size());
    }

    @Test
    void concurrentSubmissionsWithOneIdempotencyKeyStoreExactlyOneEvent() throws Exception {
        defineSchema("assignment.submit", "lax");
        String body = event("assignment.submit", "{\"productId\": \"x\"}");
        List<Response> responses = Concurrently.run(20, i -> {
            ApiCall call = ApiCall.to(INGEST).token(tenant.token()).body(body);
            return send(
                    i % 2 == 0 ? call.query("$idempotency", "submit-1") : call.header("Idempotency-Key", "submit-1"));
        });
        Set<String> data = new HashSet<>();
        int firsts = 0;
        for (Response response : responses) {
            assertEquals(201, response.status(), response.body().toString());
            data.add(Json.write(response.data()));
            if (!response.body().path("$warnings").findValuesAsText("code").contains("IDEMPOTENT_REPLAY")) {
                firsts++;
            }
        }
        assertEquals(1, data.size(), "every retry gets the first result");
        assertEquals(1, firsts, "every answer but the first says it is a replay");
        List<AuditEvent> stored = storedEvents();
        assertEquals(1, stored.size());
        assertEquals(responses.get(0).data().path("id").asText(), stored.get(0).id());

        Response later = send(ApiCall.to(INGEST)
                .token(tenant.token())
                .header("Idempotency-Key", "submit-1")
                .body(body));
        assertEquals(responses.get(0).data(), later.data());
        List<String> laterWarnings = later.body().path("$warnings").findValuesAsText("code");
        assertEquals("IDEMPOTENT_REPLAY", laterWarnings.get(laterWarnings.size() - 1));
        assertTrue(laterWarnings.contains("NON_CONFORMING"), "the event's own warnings come back too");
        Response reused = send(ApiCall.to(INGEST)
                .token(tenant.token())
                .header("Idempotency-Key", "submit-1")
                .body(event("assignment.submit", "{}")));
        assertEquals(409, reused.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", reused.firstErrorCode());
        assertEquals(1, storedEvents().size());
    }

    @Test
    void aRetriedBatchWithAnIdempotencyKeyWritesNothingNewAndKeepsBatchOrder() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(event("step." + i, "{}"));
        }
        events.add("{}");
        String body = "{\"events\": [" + String.join(", ", events) + "]}";
        Response first = send(ApiCall.to(INGEST)
                .token(tenant.token())
                .query("$idempotency", "batch-7")
                .body(body));
        Response retry = send(ApiCall.to(INGEST)
                .token(tenant.token())
                .query("$idempotency", "batch-7")
                .body(body));
        assertEquals(List.of(201, 201, 201, 201, 201, 201, 400), statuses(first.data()));
        assertEquals(first.data(), retry.data());
        assertTrue(first.body().path("$warnings").isMissingNode());
        assertEquals(
                List.of("IDEMPOTENT_REPLAY"), retry.body().path("$warnings").findValuesAsText("code"));
        List<String> ids = new ArrayList<>();
        first.data().forEach(result -> {
            if (result.has("event")) {
                ids.add(result.path("event").path("id").asText());
            }
        });
        assertEquals(ids, storedEvents().stream().map(AuditEvent::id).toList(), "listed once each, in batch order");
        Response otherKey = send(ApiCall.to(INGEST)
                .token(tenant.token())
                .query("$idempotency", "batch-8")
                .body(body));
        assertEquals(201, otherKey.data().path(0).path("status").asInt());
        assertEquals(12, storedEvents().size(), "another key is another submission");
    }

    private List<String> idsTargeting(String targetValue) {
        return store
                .list(
                        tenant.id(),
                        new AuditScope(tenant.id(), AuditScope.INTEGRATION),
                        AuditQuery.from(name -> name.equals("target.value") ? targetValue : null),
                        new PageRequest(1000, true, null))
                .items()
                .stream()
                .map(AuditEventStore.Stored::id)
                .toList();
    }

    @Test
    void aClientIdRetryWritesTheLookupsAnInterruptedFirstAttemptMissed() {
        String id = EventIds.next(Instant.now());
        String body = "{\"id\": \"" + id + "\", " + event("login", "{\"n\": 1}").substring(1);
        assertEquals(201, ingest(body).status());
        // The first attempt stopped after the event's own item: its target lookup is not there.
        services.dynamo()
                .deleteItem(b -> b.tableName(services.tables().events())
                        .key(Attributes.key(
                                AuditKeys.auditLookup(
                                        tenant.id(),
                                        new AuditScope(tenant.id(), AuditScope.INTEGRATION),
                                        ShardLayout.SINGLE.shard(id),
                                        AuditKeys.dimension("TARGET.VALUE", "assignment-9")),
                                id)));
        assertEquals(List.of(), idsTargeting("assignment-9"));

        Response retried = ingest(body);
        assertEquals(201, retried.status(), retried.body().toString());
        assertEquals(List.of(id), idsTargeting("assignment-9"), "the retry completes the event's lookups");
        assertEquals(1, storedEvents().size());
    }

    @Test
    void violationsAreListedUpToALimitPerEventAndPerRequestWithACountOfTheRest() {
        StringBuilder required = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            required.append(i == 0 ? "" : ", ").append("\"field").append(i).append('"');
        }
        JsonNode definition = Json.readStored("{\"action\": {\"id\": \"many.required\", \"type\": \"other\"},"
                + " \"validation_level\": \"strict\", \"data\": {\"type\": \"object\", \"required\": [" + required
                + "]}}");
        schemas.create(tenant.id(), SchemaDefinition.forCreate(definition, new JsonSchemas()));

        Response single = ingest(event("many.required", "{}"));
        assertEquals(422, single.status());
        JsonNode errors = single.body().path("$errors");
        assertEquals(JsonSchemas.MAX_VIOLATIONS + 1, errors.size());
        assertEquals(
                "MORE_VIOLATIONS",
                errors.path(JsonSchemas.MAX_VIOLATIONS).path("code").asText());
        assertTrue(
                errors.path(JsonSchemas.MAX_VIOLATIONS).path("message").asText().startsWith("300 more"));

        String one = event("many.required", "{}");
        Response batch = ingest("{\"events\": [" + String.join(", ", java.util.Collections.nCopies(50, one)) + "]}");
        assertEquals(200, batch.status());
        int listed = 0;
        for (JsonNode result : batch.data()) {
            JsonNode eventErrors = result.path("errors");
            assertFalse(eventErrors.isEmpty(), "every refused event says why: " + result);
            for (JsonNode error : eventErrors) {
                listed += error.path("code").asText().equals("SCHEMA_VIOLATION") ? 1 : 0;
            }
        }
        assertEquals(JsonSchemas.MAX_VIOLATIONS, listed, "the whole answer lists at most the limit");
        assertTrue(batch.body().toString().length() < 100_000, "the answer is small");
        assertTrue(storedEvents().isEmpty());
    }

    @Test
    void numbersBeyondTheDocumentedMagnitudeOrPrecisionAreRefusedBeforeValidation() {
        JsonNode definition = Json.readStored("{\"action\": {\"id\": \"multiple\", \"type\": \"other\"},"
                + " \"validation_level\": \"strict\", \"data\": {\"properties\": {\"n\": {\"multipleOf\": 0.01}}}}");
        schemas.create(tenant.id(), SchemaDefinition.forCreate(definition, new JsonSchemas()));
        for (String number :
                List.of("1e10000000", "1e-10000000", "-1E301", "1" + "0".repeat(150), "0." + "3".repeat(150))) {
            Response refused = ingest(event("multiple", "{\"n\": " + number + "}"));
            assertEquals(400, refused.status(), number + ": " + refused.body());
            assertEquals(
                    "$.data.n",
                    refused.body().path("$errors").path(0).path("path").asText());
        }
        assertEquals(201, ingest(event("multiple", "{\"n\": 1e300}")).status());
        assertEquals(201, ingest(event("multiple", "{\"n\": 12.34}")).status());
    }

    private void defineSchema(String action, String level, String data) {
        JsonNode definition = Json.readStored("{\"action\": {\"id\": \"" + action + "\", \"type\": \"other\"},"
                + " \"validation_level\": \"" + level + "\", \"data\": " + data + "}");
        schemas.create(tenant.id(), SchemaDefinition.forCreate(definition, new JsonSchemas()));
    }

    private static String nested(int depth, String leaf) {
        return "{\"a\": ".repeat(depth) + leaf + "}".repeat(depth);
    }

    @Test
    void aValidationThatWouldCostMoreThanItsInputIsA422EvenUnderALaxSchema() {
        // Repetitions that can share the same text: polynomial backtracking (n^6) on a near miss.
        defineSchema("backtrack", "lax", "{\"properties\": {\"s\": {\"pattern\": \"^a*a*a*a*a*a*$\"}}}");
        Response backtracking = ingest(event("backtrack", "{\"s\": \"" + "a".repeat(5_000) + "!\"}"));
        assertEquals(422, backtracking.status(), String.valueOf(backtracking.body()));
        assertEquals(JsonSchemas.TOO_COSTLY, backtracking.firstErrorCode());
        assertEquals(
                201,
                ingest(event("backtrack", "{\"s\": \"" + "a".repeat(5_000) + "\"}"))
                        .status());

        // Java's engine recurses once per repetition of a group: a long text overflows its stack.
        defineSchema("recursing", "lax", "{\"properties\": {\"s\": {\"pattern\": \"^(a|b)+$\"}}}");
        Response deep = ingest(event("recursing", "{\"s\": \"" + "ab".repeat(20_000) + "\"}"));
        assertEquals(422, deep.status(), String.valueOf(deep.body()));
        assertEquals(JsonSchemas.TOO_COSTLY, deep.firstErrorCode());

        // Two branches that each refer back: every level of the event doubles the work.
        defineSchema(
                "branching",
                "lax",
                "{\"$defs\": {\"n\": {\"type\": \"object\", \"required\": [\"z\"], \"properties\": {\"a\":"
                        + " {\"anyOf\": [{\"$ref\": \"#/$defs/n\"}, {\"$ref\": \"#/$defs/n\"}]}}}},"
                        + " \"$ref\": \"#/$defs/n\"}");
        Response branching = ingest(event("branching", nested(40, "{}")));
        assertEquals(422, branching.status(), String.valueOf(branching.body()));
        assertEquals(JsonSchemas.TOO_COSTLY, branching.firstErrorCode());

        // One reference per level is what recursive schemas need: a deep tree validates in full.
        defineSchema(
                "tree",
                "strict",
                "{\"$defs\": {\"n\": {\"type\": \"object\", \"properties\": {\"a\": {\"$ref\":"
                        + " \"#/$defs/n\"}, \"v\": {\"type\": \"integer\"}}}}, \"$ref\": \"#/$defs/n\"}");
        assertEquals(201, ingest(event("tree", nested(60, "{\"v\": 1}"))).status());
        Response wrongLeaf = ingest(event("tree", nested(60, "{\"v\": \"x\"}")));
        assertEquals(422, wrongLeaf.status());
        assertEquals("SCHEMA_VIOLATION", wrongLeaf.firstErrorCode());
    }

    @Test
    void uniqueItemsComparesJsonValuesWhateverTheirHashCodes() {
        defineSchema("unique", "strict", "{\"properties\": {\"items\": {\"uniqueItems\": true}}}");
        // 8,192 distinct strings that all have the same String hash code ("Aa" and "BB" hash alike).
        List<String> colliding = new ArrayList<>(List.of(""));
        for (int round = 0; round < 13; round++) {
            List<String> longer = new ArrayList<>();
            for (String text : colliding) {
                longer.add(text + "Aa");
                longer.add(text + "BB");
            }
            colliding = longer;
        }
        assertEquals(
                1,
                new java.util.HashSet<>(colliding.stream().map(String::hashCode).toList()).size());
        ArrayNode items = Json.array();
        colliding.forEach(items::add);
        String distinct = Json.write(items);
        assertEquals(
                201, ingest(event("unique", "{\"items\": " + distinct + "}")).status());
        String repeated = distinct.substring(0, distinct.length() - 1) + ", \"" + colliding.get(5_000) + "\"]";
        Response refused = ingest(event("unique", "{\"items\": " + repeated + "}"));
        assertEquals(422, refused.status());
        assertEquals(
                "$.data.items",
                refused.body().path("$errors").path(0).path("path").asText());

        // Equal as JSON values: numbers by value, objects whatever the order of their members.
        assertEquals(422, ingest(event("unique", "{\"items\": [1, 1.0]}")).status());
        assertEquals(
                422,
                ingest(event("unique", "{\"items\": [{\"x\": 1, \"y\": [2]}, {\"y\": [2.00], \"x\": 1}]}"))
                        .status());
        assertEquals(
                201,
                ingest(event("unique", "{\"items\": [1, \"1\", [1], {\"1\": 1}, true, null, 0, false]}"))
                        .status());
    }

    @Test
    void duplicateNamesAndLoneSurrogatesAreRefused() {
        Response duplicate = ingest("{\"action\": {\"id\": \"a\"}, \"action\": {\"id\": \"b\"},"
                + " \"actor\": {\"id\": \"p\", \"type\": \"person\"}}");
        assertEquals(400, duplicate.status(), duplicate.body().toString());
        assertEquals("INVALID_JSON", duplicate.firstErrorCode());
        for (String text : List.of("\\ud800", "x\\udc00y", "\\ud800\\ud800\\udc00x")) {
            Response lone = ingest(event("login", "{\"s\": \"" + text + "\"}"));
            assertEquals(400, lone.status(), text + ": " + lone.body());
            assertEquals("INVALID_JSON", lone.firstErrorCode());
        }
        Response pair = ingest(event("login", "{\"s\": \"\\ud83d\\ude00\"}"));
        assertEquals(201, pair.status(), "a surrogate pair is one character: " + pair.body());
        assertEquals("\ud83d\ude00", pair.data().path("data").path("s").asText());
        assertEquals(400, ingest(event("login", "{\"\\udfff\": 1}")).status());
        assertEquals(
                400,
                ingest("{\"action\": {\"id\": \"login\"}, \"actor\": {\"id\": \"p\", \"type\": \"person\"},"
                                + " \"date\": \"+999999999-12-31T00:00:00Z\"}")
                        .status(),
                "a date past year 9999");
        assertEquals(1, storedEvents().size());
    }

    @Test
    void idsThatEndUpInKeysAreMeasuredInUtf8Bytes() {
        String snowmen = "\u2603".repeat(100); // 100 characters, 300 bytes
        Response actor = ingest(withIdentifiers(snowmen, "assignment-9"));
        assertEquals(400, actor.status(), actor.body().toString());
        Response target = ingest(withIdentifiers("p", snowmen));
        assertEquals(400, target.status(), target.body().toString());
        Response fits = ingest(withIdentifiers("\u2603".repeat(85), "assignment-9"));
        assertEquals(201, fits.status(), "255 bytes fit: " + fits.body());
        assertEquals(1, storedEvents().size());
    }

    private String withIdentifiers(String actorValue, String targetValue) {
        return """
                {"action": "login",
                 "actor": {"identifiers": [{"value": "%s", "issuer": "sis"}], "type": "person"},
                 "targets": [{"identifiers": [{"value": "%s", "issuer": "sis"}], "type": "course"}],
                 "scope": {"id": "%s", "type": "integration"}}""".formatted(actorValue, targetValue, tenant.id());
    }

    @Test
    void aClientSuppliedIdMakesARetryReturnTheFirstResult() throws Exception {
        String id = EventIds.next(Instant.now());
        String body = "{\"id\": \"" + id + "\", " + event("login", "{\"n\": 1}").substring(1);
        List<Response> responses = Concurrently.run(8, i -> ingest(body));
        for (Response response : responses) {
            assertEquals(201, response.status(), response.body().toString());
            assertEquals(responses.get(0).data(), response.data());
        }
        assertEquals(id, responses.get(0).data().path("id").asText());
        assertEquals(
                Json.timestamp(EventIds.timeOf(id)),
                responses.get(0).data().path("created_date").asText());
        assertEquals(1, storedEvents().size());

        Response clash = ingest(
                "{\"id\": \"" + id + "\", " + event("login", "{\"n\": 2}").substring(1));
        assertEquals(409, clash.status());
        assertEquals("EVENT_ID_CONFLICT", clash.firstErrorCode());
        assertEquals(
                400,
                ingest("{\"id\": \"" + java.util.UUID.randomUUID() + "\", "
                                + event("login", "{}").substring(1))
                        .status(),
                "a version 4 UUID would not sort by time");
        assertEquals(1, storedEvents().size());
    }

    /**
     * Only an event posted under its own id keeps the hash of the request that posted it, as only
     * such a post can come again as a retry. An id the service gave, posted back, is a conflict.
     */
    @Test
    void onlyAnEventPostedUnderItsOwnIdKeepsItsRequestHash() {
        String given = ingest(event("login", "{\"n\": 1}")).data().path("id").asText();
        assertFalse(storedItem(given).containsKey("request_hash"));

        String chosen = EventIds.next(Instant.now());
        String body =
                "{\"id\": \"" + chosen + "\", " + event("login", "{\"n\": 1}").substring(1);
        assertEquals(201, ingest(body).status());
        assertTrue(storedItem(chosen).containsKey("request_hash"));
        assertEquals(201, ingest(body).status(), "the same post again is a retry");

        Response postedBack = ingest(
                "{\"id\": \"" + given + "\", " + event("login", "{\"n\": 1}").substring(1));
        assertEquals(409, postedBack.status(), postedBack.body().toString());
        assertEquals("EVENT_ID_CONFLICT", postedBack.firstErrorCode());
        assertEquals(2, storedEvents().size());
    }

    /** The event's own item as stored, read consistently. */
    private Map<String, AttributeValue> storedItem(String id) {
        return services.dynamo()
                .getItem(b -> b.tableName(services.tables().events())
                        .key(Attributes.key(AuditKeys.auditEvents(tenant.id(), AuditKeys.auditShard(id)), id))
                        .consistentRead(true))
                .item();
    }

    /**
     * The answer carries the stored event's JSON as it was written, where it names no {@code edlink}
     * identifier: byte for byte what rendering the event as a tree gives, warnings and enrichment
     * included, for one event and for a batch.
     */
    @Test
    void theAnswerIsByteForByteTheEventsRenderingAsATree() {
        defineSchema("product.strict", "strict");
        defineSchema("product.lax", "lax");
        String person = java.util.UUID.randomUUID().toString();
        new RosterStore(services.dynamo(), services.tables(), services.clock())
                .put(
                        RosterCollection.PEOPLE,
                        person,
                        Json.readStored("{\"first_name\": \"Ada\", \"roles\": [\"student\"]}"),
                        SourceWrite.api());
        List<String> events = List.of(
                event("product.strict", "{\"productId\": 7, \"price\": 2.50}"),
                event(
                        "product.lax",
                        "{\"productId\": \"seven\", \"price\": -1, \"note\": \"caf\u00e9 \\u2028 \\\"x\\\"\"}"),
                event("no.schema.here", "{\"n\": 1e3, \"list\": [null, true, 0.10]}"),
                event("no.schema.here", "{}")
                        .replace(
                                "\"value\": \"person-1\", \"issuer\": \"gradebook\"",
                                "\"value\": \"" + person + "\", \"issuer\": \"edlink\""));
        ScopeAccess access = new ScopeAccess(services.dynamo(), services.tables(), services.clock(), tenant.id());
        boolean enriched = false;
        for (String body : events) {
            String answer = ApiCall.to(INGEST).token(tenant.token()).body(body).sendForBody(handler);
            JsonNode parsed = Json.readStored(answer);
            assertTrue(parsed.has("$data"), answer);
            AuditEvent stored = store.find(
                            tenant.id(), parsed.path("$data").path("id").asText())
                    .orElseThrow();
            String asTree = EdlinkEnvelope.data(
                            parsed.path("$request").asText(),
                            Reply.created(access.render(stored)).withWarnings(stored.warnings()))
                    .getBody();
            assertEquals(asTree, answer);
            enriched |= answer.contains("\"details\"");
        }
        assertTrue(enriched, "the edlink actor is enriched");

        ArrayNode batch = Json.array();
        for (String body : events) {
            batch.add(Json.readStored(body));
        }
        String answer = ApiCall.to(INGEST)
                .token(tenant.token())
                .body(Json.object().set("events", batch))
                .sendForBody(handler);
        JsonNode parsed = Json.readStored(answer);
        List<BatchResult> results = new ArrayList<>();
        for (JsonNode result : parsed.path("$data")) {
            assertEquals(201, result.path("status").asInt(), answer);
            AuditEvent stored = store.find(
                            tenant.id(), result.path("event").path("id").asText())
                    .orElseThrow();
            results.add(BatchResult.applied(
                    result.path("index").asInt(),
                    201,
                    Json.object().set("event", access.render(stored)),
                    stored.warnings()));
        }
        assertEquals(events.size(), results.size());
        assertEquals(
                EdlinkEnvelope.data(parsed.path("$request").asText(), BatchResult.reply(results))
                        .getBody(),
                answer);
    }

    @Test
    void tokensAreRequiredAndTheWriteScopeEnforced() {
        String body = event("login", "{}");
        assertEquals(401, send(ApiCall.to(INGEST).body(body)).status());
        assertEquals(
                401, send(ApiCall.to(INGEST).token("edl_unknown").body(body)).status());
        TestIntegration reader = TestServices.integration(services, Scope.AUDIT_READ);
        Response forbidden = send(ApiCall.to(INGEST).token(reader.token()).body(body));
        assertEquals(403, forbidden.status());
        assertEquals("INSUFFICIENT_SCOPE", forbidden.firstErrorCode());
    }

    private static List<Integer> statuses(JsonNode results) {
        List<Integer> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.path("status").asInt()));
        return statuses;
    }

    private static Set<String> paths(JsonNode details) {
        Set<String> paths = new HashSet<>();
        details.forEach(e -> paths.add(e.path("path").asText()));
        return paths;
    }
}
