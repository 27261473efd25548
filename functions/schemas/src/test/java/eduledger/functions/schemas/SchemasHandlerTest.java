package eduledger.functions.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Scope;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.Concurrently;
import eduledger.testing.FunctionTest;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The schemas function end to end: handler, core and the test store. */
class SchemasHandlerTest extends FunctionTest<SchemasHandler> {
    private static final String CREATE = "POST /api/v2/audit/schemas";
    private static final String LIST = "GET /api/v2/audit/schemas";
    private static final String GET = "GET /api/v2/audit/schemas/{identifier}";
    private static final String PATCH = "PATCH /api/v2/audit/schemas/{identifier}";
    private static final String PATCH_NAMED_IN_BODY = "PATCH /api/v2/audit/schemas";
    private static final String VERSIONS = "GET /api/v2/audit/schemas/{identifier}/versions";
    private static final String VERSION = "GET /api/v2/audit/schemas/{identifier}/versions/{version}";

    private static final String PRODUCT = """
            {"action": {"id": "assignment.submit", "type": "create"}, "validation_level": "strict",
             "data": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                      "properties": {"productId": {"type": "integer"}}, "required": ["productId"]}}""";

    SchemasHandlerTest() {
        super(SchemasHandler::new);
    }

    private Response send(ApiCall call) {
        return call.send(handler);
    }

    private Response create(String body) {
        return send(ApiCall.to(CREATE).token(tenant.token()).body(body));
    }

    @Test
    void createReturnsTheFullSchemaAndGetFindsItByIdAndByAction() {
        Response created = create(PRODUCT);
        assertEquals(201, created.status());
        JsonNode schema = created.data();
        assertEquals("strict", schema.path("validation_level").asText());
        assertEquals("assignment.submit", schema.path("action").path("id").asText());
        assertEquals(
                "integer",
                schema.path("data")
                        .path("properties")
                        .path("productId")
                        .path("type")
                        .asText());
        assertTrue(schema.path("created_date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(created.body().path("$request").asText().matches("[0-9a-f-]{36}"));

        for (String identifier : List.of(schema.path("id").asText(), "assignment.submit")) {
            Response fetched = send(ApiCall.to(GET).token(tenant.token()).path("identifier", identifier));
            assertEquals(200, fetched.status());
            assertEquals(
                    schema.path("version").asText(),
                    fetched.data().path("version").asText());
        }
    }

    @Test
    void aSecondCreateOfTheSameActionIsAConflict() {
        assertEquals(201, create(PRODUCT).status());
        Response again = create(PRODUCT);
        assertEquals(409, again.status());
        assertEquals("SCHEMA_EXISTS", again.firstErrorCode());
    }

    @Test
    void concurrentCreatesOfOneActionLetExactlyOneSucceed() throws Exception {
        List<Integer> statuses = Concurrently.run(20, i -> create(PRODUCT).status());
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(19, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
    }

    @Test
    void concurrentPatchesGetDistinctConsecutiveVersions() throws Exception {
        assertEquals(201, create(PRODUCT).status());
        List<Long> versions = Concurrently.run(20, i -> {
            Response patched;
            int attempts = 0;
            do {
                // A 429 SCHEMA_BUSY says to send the patch again, as a client does: it stored nothing.
                patched = send(ApiCall.to(PATCH)
                        .token(tenant.token())
                        .path("identifier", "assignment.submit")
                        .body("{\"data\": {\"type\": \"object\", \"maxProperties\": " + (i + 1) + "}}"));
            } while (patched.status() == 429 && "SCHEMA_BUSY".equals(patched.firstErrorCode()) && ++attempts < 10);
            assertEquals(200, patched.status(), String.valueOf(patched.body()));
            return patched.data().path("version_number").asLong();
        });
        assertEquals(
                LongStream.rangeClosed(2, 21).boxed().toList(),
                versions.stream().sorted().toList());
        Response newest = send(ApiCall.to(GET).token(tenant.token()).path("identifier", "assignment.submit"));
        assertEquals(21, newest.data().path("version_number").asLong());
    }

    @Test
    void aPatchThatChangesNothingMakesNoVersionAndGetFindsAVersionByItsUuid() {
        JsonNode first = create(PRODUCT).data();
        Response same = send(ApiCall.to(PATCH)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .body("{\"validation_level\": \"strict\"}"));
        assertEquals(200, same.status(), String.valueOf(same.body()));
        assertEquals(first.path("version").asText(), same.data().path("version").asText());
        assertEquals(1, same.data().path("version_number").asLong());

        JsonNode second = send(ApiCall.to(PATCH)
                        .token(tenant.token())
                        .path("identifier", "assignment.submit")
                        .body("{\"validation_level\": \"lax\"}"))
                .data();
        assertEquals(2, second.path("version_number").asLong());
        Response oldVersion = send(ApiCall.to(GET)
                .token(tenant.token())
                .path("identifier", first.path("version").asText()));
        assertEquals(200, oldVersion.status(), String.valueOf(oldVersion.body()));
        assertEquals(1, oldVersion.data().path("version_number").asLong());
        assertEquals("strict", oldVersion.data().path("validation_level").asText());
        Response bySchemaId = send(ApiCall.to(GET)
                .token(tenant.token())
                .path("identifier", first.path("id").asText()));
        assertEquals(2, bySchemaId.data().path("version_number").asLong(), "a schema id names the newest");
        TestIntegration other = TestServices.integration(services);
        assertEquals(
                404,
                send(ApiCall.to(GET)
                                .token(other.token())
                                .path("identifier", first.path("version").asText()))
                        .status());
    }

    @Test
    void patchMakesANewVersionAndOldVersionsStayReadable() {
        JsonNode first = create(PRODUCT).data();
        Response patched = send(ApiCall.to(PATCH)
                .token(tenant.token())
                .path("identifier", first.path("id").asText())
                .body("{\"data\": {\"type\": \"object\", \"required\": [\"other\"]}}"));
        assertEquals(200, patched.status());
        JsonNode second = patched.data();
        assertEquals(first.path("id").asText(), second.path("id").asText());
        assertNotEquals(first.path("version").asText(), second.path("version").asText());
        assertEquals("strict", second.path("validation_level").asText(), "unnamed fields carry over");

        Response byUuid = send(ApiCall.to(VERSION)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .path("version", first.path("version").asText()));
        assertEquals(200, byUuid.status());
        assertEquals(
                "productId", byUuid.data().path("data").path("required").path(0).asText());
        Response byNumber = send(ApiCall.to(VERSION)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .path("version", "2"));
        assertEquals(
                second.path("version").asText(), byNumber.data().path("version").asText());
        assertEquals(
                404,
                send(ApiCall.to(VERSION)
                                .token(tenant.token())
                                .path("identifier", "assignment.submit")
                                .path("version", "3"))
                        .status());

        Response versions = send(ApiCall.to(VERSIONS).token(tenant.token()).path("identifier", "assignment.submit"));
        assertEquals(List.of(1L, 2L), numbers(versions.data()));
    }

    /**
     * A client pages one schema's versions as the paging guide says: {@code $first} then {@code
     * $next} until there is none, and {@code $last} then {@code $next} back; every version comes
     * once, listed by number.
     */
    @Test
    void aClientPagesASchemasVersionsBothWaysThroughNext() {
        assertEquals(201, create(PRODUCT).status());
        for (int i = 1; i <= 6; i++) {
            Response patched = send(ApiCall.to(PATCH)
                    .token(tenant.token())
                    .path("identifier", "assignment.submit")
                    .body("{\"data\": {\"type\": \"object\", \"maxProperties\": " + i + "}}"));
            assertEquals(200, patched.status(), String.valueOf(patched.body()));
        }
        List<List<Long>> forward = new ArrayList<>();
        Response page = send(ApiCall.to(VERSIONS)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .query("$first", "3"));
        while (true) {
            assertEquals(200, page.status(), String.valueOf(page.body()));
            forward.add(numbers(page.data()));
            if (page.next() == null) {
                break;
            }
            assertTrue(
                    page.next().startsWith("https://api.test/api/v2/audit/schemas/assignment.submit/versions?"),
                    page.next());
            page = send(ApiCall.follow(VERSIONS, page.next())
                    .token(tenant.token())
                    .path("identifier", "assignment.submit"));
        }
        assertEquals(List.of(List.of(1L, 2L, 3L), List.of(4L, 5L, 6L), List.of(7L)), forward);

        List<List<Long>> backward = new ArrayList<>();
        page = send(ApiCall.to(VERSIONS)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .query("$last", "3"));
        while (true) {
            assertEquals(200, page.status(), String.valueOf(page.body()));
            backward.add(numbers(page.data()));
            if (page.next() == null) {
                break;
            }
            page = send(ApiCall.follow(VERSIONS, page.next())
                    .token(tenant.token())
                    .path("identifier", "assignment.submit"));
        }
        assertEquals(List.of(List.of(5L, 6L, 7L), List.of(2L, 3L, 4L), List.of(1L)), backward);
    }

    @Test
    void listingPagesForwardAndBackwardThroughAbsoluteNextUrls() {
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    201,
                    create("{\"action\": {\"id\": \"action." + i + "\", \"type\": \"other\"}}")
                            .status());
        }
        List<String> seen = new ArrayList<>();
        Response page = send(ApiCall.to(LIST).token(tenant.token()).query("$first", "2"));
        int pages = 1;
        while (true) {
            page.data().forEach(s -> seen.add(s.path("action").path("id").asText()));
            if (page.next() == null) {
                break;
            }
            assertTrue(page.next().startsWith("https://api.test/api/v2/audit/schemas?"), page.next());
            page = send(ApiCall.follow(LIST, page.next()).token(tenant.token()));
            pages++;
        }
        // Edlink's predefined user.login is the integration's too, in its place by action id.
        assertEquals(List.of("action.0", "action.1", "action.2", "action.3", "action.4", "user.login"), seen);
        assertEquals(3, pages);

        Response last = send(ApiCall.to(LIST).token(tenant.token()).query("$last", "2"));
        assertEquals(List.of("action.4", "user.login"), actions(last.data()));
        Response before = send(ApiCall.follow(LIST, last.next()).token(tenant.token()));
        assertEquals(List.of("action.2", "action.3"), actions(before.data()));

        Response unknown =
                send(ApiCall.to(LIST).token(tenant.token()).query("$after", "00000000-0000-4000-8000-000000000000"));
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_CURSOR", unknown.firstErrorCode());
    }

    @Test
    void anotherIntegrationNeverSeesOrChangesTheSchema() {
        JsonNode mine = create(PRODUCT).data();
        TestIntegration other = TestServices.integration(services);
        for (String identifier : List.of(mine.path("id").asText(), "assignment.submit")) {
            assertEquals(
                    404,
                    send(ApiCall.to(GET).token(other.token()).path("identifier", identifier))
                            .status());
            assertEquals(
                    404,
                    send(ApiCall.to(PATCH)
                                    .token(other.token())
                                    .path("identifier", identifier)
                                    .body("{\"validation_level\": \"lax\"}"))
                            .status());
            assertEquals(
                    404,
                    send(ApiCall.to(VERSIONS).token(other.token()).path("identifier", identifier))
                            .status());
        }
        assertEquals(
                List.of("user.login"),
                actions(send(ApiCall.to(LIST).token(other.token())).data()),
                "only what every integration has");
        // The other integration may define the same action for itself.
        assertEquals(
                201, send(ApiCall.to(CREATE).token(other.token()).body(PRODUCT)).status());
        assertEquals(
                1,
                send(ApiCall.to(GET).token(tenant.token()).path("identifier", "assignment.submit"))
                        .data()
                        .path("version_number")
                        .asLong());
    }

    @Test
    void tokensAreRequiredAndScopesEnforced() {
        Response missing = send(ApiCall.to(CREATE).body(PRODUCT));
        assertEquals(401, missing.status());
        assertEquals("MISSING_TOKEN", missing.firstErrorCode());
        assertEquals(
                401,
                send(ApiCall.to(CREATE).token("edl_not_a_real_token").body(PRODUCT))
                        .status());
        assertEquals(
                401,
                send(ApiCall.to(CREATE).header("authorization", "Basic abc").body(PRODUCT))
                        .status());

        TestIntegration readerOnly = TestServices.integration(services, Scope.AUDIT_READ);
        Response forbidden = send(ApiCall.to(CREATE).token(readerOnly.token()).body(PRODUCT));
        assertEquals(403, forbidden.status());
        assertEquals("INSUFFICIENT_SCOPE", forbidden.firstErrorCode());
    }

    @Test
    void badInputIsA400ThatNamesTheFieldAndWritesNothing() {
        Response bad = create("{\"action\": {\"id\": \"x\", \"type\": \"destroy\"}, \"actor\": {\"id\": 1}}");
        assertEquals(400, bad.status());
        assertEquals(Set.of("$.action.type", "$.actor"), paths(bad.body()));
        assertNull(bad.body().get("$data"));

        assertEquals("INVALID_JSON", create("{\"action\": ").firstErrorCode());
        assertEquals("MISSING_BODY", create("").firstErrorCode());
        Response invalidSchema = create("{\"action\": {\"id\": \"x\", \"type\": \"read\"}, \"data\": {\"type\": 12}}");
        assertEquals(400, invalidSchema.status());
        assertEquals("INVALID_SCHEMA", invalidSchema.firstErrorCode());
        assertEquals(
                404,
                send(ApiCall.to(GET).token(tenant.token()).path("identifier", "x"))
                        .status());
        assertEquals(
                List.of("user.login"),
                actions(send(ApiCall.to(LIST).token(tenant.token())).data()));
    }

    @Test
    void deeplyNestedOrOversizedBodiesAreRefusedCleanly() {
        String deep = "{\"action\": {\"id\": \"x\", \"type\": \"read\"}, \"data\": " + "{\"not\": ".repeat(200) + "{}"
                + "}".repeat(200) + "}";
        assertEquals(400, create(deep).status());
        String huge = "{\"action\": {\"id\": \"x\", \"type\": \"read\"}, \"data\": {\"description\": \""
                + "x".repeat(1_100_000) + "\"}}";
        assertEquals(413, create(huge).status());
    }

    /** The seed's sample request, as an Edlink client sends it, retried with one idempotency key. */
    private static final String SEED_SAMPLE = """
            {"action": {"id": "assignment.submit", "type": "create"}, "validation_level": "strict",
             "data": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                      "$id": "https://example.com/product.schema.json", "title": "Product",
                      "description": "A product from Acme's catalog", "type": "object",
                      "properties": {"productId": {"description": "The unique identifier for a product", "type": "integer"},
                                     "productName": {"description": "Name of the product", "type": "string"},
                                     "price": {"description": "The price of the product", "type": "number",
                                               "exclusiveMinimum": 0}},
                      "required": ["productId", "productName", "price"]}}""";

    @Test
    void aCreateRepeatedWithItsIdempotencyKeyReplaysTheFirstAnswerWithAWarning() {
        Response first = send(ApiCall.to(CREATE)
                .token(tenant.token())
                .query("$idempotency", "create-1")
                .body(SEED_SAMPLE));
        assertEquals(201, first.status(), String.valueOf(first.body()));
        assertTrue(first.body().path("$warnings").isMissingNode());

        Response again = send(ApiCall.to(CREATE)
                .token(tenant.token())
                .header("Idempotency-Key", "create-1")
                .body(SEED_SAMPLE));
        assertEquals(201, again.status(), String.valueOf(again.body()));
        assertEquals(first.data(), again.data());
        assertEquals(
                "IDEMPOTENT_REPLAY",
                again.body().path("$warnings").path(0).path("code").asText());

        // Without the key the same body is a new request, and the action already has a schema.
        assertEquals(409, create(SEED_SAMPLE).status());
        Response reused = send(ApiCall.to(CREATE)
                .token(tenant.token())
                .query("$idempotency", "create-1")
                .body(SEED_SAMPLE.replace("assignment.submit", "assignment.grade")));
        assertEquals(409, reused.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", reused.firstErrorCode());
        assertEquals(
                404,
                send(ApiCall.to(GET).token(tenant.token()).path("identifier", "assignment.grade"))
                        .status());
    }

    @Test
    void aRefusedWriteKeepsNoAnswerSoTheCorrectedRequestRunsUnderTheSameKey() {
        String invalid = SEED_SAMPLE.replace("\"strict\"", "\"severe\"");
        Response refused = send(ApiCall.to(CREATE)
                .token(tenant.token())
                .query("$idempotency", "fix-me")
                .body(invalid));
        assertEquals(400, refused.status());
        // The key came back free: a repeat of the refused body is refused again, not replayed.
        assertEquals(
                400,
                send(ApiCall.to(CREATE)
                                .token(tenant.token())
                                .query("$idempotency", "fix-me")
                                .body(invalid))
                        .status());

        Response fixed = send(ApiCall.to(CREATE)
                .token(tenant.token())
                .query("$idempotency", "fix-me")
                .body(SEED_SAMPLE));
        assertEquals(201, fixed.status(), String.valueOf(fixed.body()));
    }

    @Test
    void aPatchRepeatedWithItsKeyReplaysAndMakesNoFurtherVersion() {
        assertEquals(201, create(SEED_SAMPLE).status());
        String body = "{\"validation_level\": \"lax\"}";
        Response first = send(ApiCall.to(PATCH)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .query("$idempotency", "patch-1")
                .body(body));
        assertEquals(200, first.status(), String.valueOf(first.body()));
        assertEquals(2, first.data().path("version_number").asLong());
        // Someone else moves the schema on; the repeat still answers what the first patch did.
        send(ApiCall.to(PATCH)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .body("{\"validation_level\": \"strict\"}"));
        Response again = send(ApiCall.to(PATCH)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .query("$idempotency", "patch-1")
                .body(body));
        assertEquals(200, again.status());
        assertEquals(first.data(), again.data());
        assertEquals(
                "IDEMPOTENT_REPLAY",
                again.body().path("$warnings").path(0).path("code").asText());
        Response newest = send(ApiCall.to(GET).token(tenant.token()).path("identifier", "assignment.submit"));
        assertEquals(3, newest.data().path("version_number").asLong());
        assertEquals("strict", newest.data().path("validation_level").asText());
    }

    @Test
    void edlinksBodyFormOfUpdateNamesTheSchemaByActionOrBySchemaId() {
        Response created = create(SEED_SAMPLE.replace("\"strict\"", "\"lax\""));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String schemaId = created.data().path("id").asText();

        // Edlink's update sample: the action id as a string beside the fields to change.
        Response byAction =
                send(ApiCall.to(PATCH_NAMED_IN_BODY).token(tenant.token()).body("""
                        {"action": "assignment.submit", "validation_level": "strict",
                         "data": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                                  "$id": "https://example.com/product.schema.json", "title": "Product",
                                  "type": "object", "properties": {"productId": {"type": "integer"}},
                                  "required": ["productId"]}}"""));
        assertEquals(200, byAction.status(), String.valueOf(byAction.body()));
        assertEquals(schemaId, byAction.data().path("id").asText());
        assertEquals(2, byAction.data().path("version_number").asLong());
        assertEquals("strict", byAction.data().path("validation_level").asText());
        assertEquals("create", byAction.data().path("action").path("type").asText());
        assertNotEquals(
                created.data().path("version").asText(),
                byAction.data().path("version").asText());

        // By schema_id, changing only the action's type; level and data carry over.
        Response bySchemaId = send(ApiCall.to(PATCH_NAMED_IN_BODY)
                .token(tenant.token())
                .body("{\"schema_id\": \"" + schemaId + "\", \"action_type\": \"update\"}"));
        assertEquals(200, bySchemaId.status(), String.valueOf(bySchemaId.body()));
        assertEquals(3, bySchemaId.data().path("version_number").asLong());
        assertEquals("update", bySchemaId.data().path("action").path("type").asText());
        assertEquals("strict", bySchemaId.data().path("validation_level").asText());
        assertEquals(byAction.data().path("data"), bySchemaId.data().path("data"));

        // The same change again makes no version.
        Response unchanged = send(ApiCall.to(PATCH_NAMED_IN_BODY)
                .token(tenant.token())
                .body("{\"action\": \"assignment.submit\", \"action_type\": \"update\"}"));
        assertEquals(3, unchanged.data().path("version_number").asLong());

        // GET by version UUID is that version; by action id or schema id, the newest.
        Response first = send(ApiCall.to(GET)
                .token(tenant.token())
                .path("identifier", created.data().path("version").asText()));
        assertEquals(created.data(), first.data());
        for (String identifier : List.of("assignment.submit", schemaId)) {
            Response newest = send(ApiCall.to(GET).token(tenant.token()).path("identifier", identifier));
            assertEquals(bySchemaId.data(), newest.data());
        }
    }

    @Test
    void aBodyFormUpdateThatNamesNoSchemaOrTwoSchemasIsRefused() {
        assertEquals(201, create(PRODUCT).status());
        assertEquals(
                201,
                create(PRODUCT.replace("assignment.submit", "assignment.grade")).status());
        String gradeId = send(ApiCall.to(GET).token(tenant.token()).path("identifier", "assignment.grade"))
                .data()
                .path("id")
                .asText();

        Response nameless =
                send(ApiCall.to(PATCH_NAMED_IN_BODY).token(tenant.token()).body("{\"validation_level\": \"lax\"}"));
        assertEquals(400, nameless.status());
        assertEquals("MISSING_FIELD", nameless.firstErrorCode());

        Response unknown = send(ApiCall.to(PATCH_NAMED_IN_BODY)
                .token(tenant.token())
                .body("{\"action\": \"quiz.start\", \"validation_level\": \"lax\"}"));
        assertEquals(404, unknown.status());

        Response both = send(ApiCall.to(PATCH_NAMED_IN_BODY)
                .token(tenant.token())
                .body("{\"action\": \"assignment.submit\", \"schema_id\": \"" + gradeId
                        + "\", \"validation_level\": \"lax\"}"));
        assertEquals(400, both.status());
        assertEquals("CONFLICTING_FIELDS", both.firstErrorCode());

        Response renamed = send(ApiCall.to(PATCH)
                .token(tenant.token())
                .path("identifier", "assignment.submit")
                .body("{\"action\": \"assignment.grade\"}"));
        assertEquals(400, renamed.status());
        assertEquals("IMMUTABLE_FIELD", renamed.firstErrorCode());
        Response stillOne = send(ApiCall.to(GET).token(tenant.token()).path("identifier", "assignment.submit"));
        assertEquals(1, stillOne.data().path("version_number").asLong());
    }

    @Test
    void edlinksPredefinedUserLoginSchemaExistsForEveryIntegrationUntilItsOwnerChangesIt() {
        Response login = send(ApiCall.to(GET).token(tenant.token()).path("identifier", "user.login"));
        assertEquals(200, login.status(), String.valueOf(login.body()));
        JsonNode predefined = login.data();
        assertEquals("lax", predefined.path("validation_level").asText());
        assertEquals("create", predefined.path("action").path("type").asText());
        assertEquals(1, predefined.path("version_number").asLong());
        for (String identifier : List.of(
                predefined.path("id").asText(), predefined.path("version").asText())) {
            assertEquals(
                    predefined,
                    send(ApiCall.to(GET).token(tenant.token()).path("identifier", identifier))
                            .data());
        }
        Response listed = send(ApiCall.to(LIST).token(tenant.token()));
        assertEquals(List.of("user.login"), actions(listed.data()));
        Response versions = send(ApiCall.to(VERSIONS).token(tenant.token()).path("identifier", "user.login"));
        assertEquals(List.of(1L), numbers(versions.data()));

        // It exists, so a create is a conflict, as for any action with a schema.
        Response create = create("{\"action\": {\"id\": \"user.login\", \"type\": \"create\"}}");
        assertEquals(409, create.status());
        assertEquals("SCHEMA_EXISTS", create.firstErrorCode());

        // A patch makes this integration's version 2 of the same schema; another integration keeps the catalogue's.
        Response patched = send(ApiCall.to(PATCH_NAMED_IN_BODY)
                .token(tenant.token())
                .body("{\"action\": \"user.login\", \"validation_level\": \"strict\"}"));
        assertEquals(200, patched.status(), String.valueOf(patched.body()));
        assertEquals(predefined.path("id"), patched.data().path("id"));
        assertEquals(2, patched.data().path("version_number").asLong());
        assertEquals(
                List.of(1L, 2L),
                numbers(send(ApiCall.to(VERSIONS).token(tenant.token()).path("identifier", "user.login"))
                        .data()));
        assertEquals(
                predefined,
                send(ApiCall.to(GET)
                                .token(tenant.token())
                                .path("identifier", predefined.path("version").asText()))
                        .data());
        TestIntegration other = TestServices.integration(services);
        Response theirs = send(ApiCall.to(GET).token(other.token()).path("identifier", "user.login"));
        assertEquals(predefined, theirs.data());
    }

    @Test
    void predefinedSchemasTakeTheirPlaceInTheListingByActionId() {
        for (String action : List.of("assignment.submit", "zoom.join")) {
            assertEquals(
                    201, create(PRODUCT.replace("assignment.submit", action)).status());
        }
        List<String> seen = new ArrayList<>();
        Response page = send(ApiCall.to(LIST).token(tenant.token()).query("$first", "1"));
        while (true) {
            assertEquals(200, page.status(), String.valueOf(page.body()));
            seen.addAll(actions(page.data()));
            if (page.next() == null) {
                break;
            }
            page = send(ApiCall.follow(LIST, page.next()).token(tenant.token()));
        }
        assertEquals(List.of("assignment.submit", "user.login", "zoom.join"), seen);
        Response lastTwo = send(ApiCall.to(LIST).token(tenant.token()).query("$last", "2"));
        assertEquals(List.of("user.login", "zoom.join"), actions(lastTwo.data()));
    }

    private static List<Long> numbers(JsonNode versions) {
        List<Long> numbers = new ArrayList<>();
        versions.forEach(v -> numbers.add(v.path("version_number").asLong()));
        return numbers;
    }

    private static List<String> actions(JsonNode schemas) {
        List<String> actions = new ArrayList<>();
        schemas.forEach(s -> actions.add(s.path("action").path("id").asText()));
        return actions;
    }

    private static Set<String> paths(JsonNode body) {
        Set<String> paths = new HashSet<>();
        body.path("$errors").forEach(e -> paths.add(e.path("path").asText()));
        return paths;
    }
}
