package eduledger.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
    private final JsonSchemas jsonSchemas = new JsonSchemas();

    private static JsonNode json(String text) {
        return Json.readStored(text);
    }

    @Test
    void acceptsTheSeedsProductSchema() {
        assertEquals(List.of(), jsonSchemas.check(json("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://example.com/product.schema.json",
                 "title": "Product", "type": "object",
                 "properties": {"productId": {"type": "integer"}, "productName": {"type": "string"},
                                "price": {"type": "number", "exclusiveMinimum": 0}},
                 "required": ["productId", "productName", "price"]}""")));
    }

    @Test
    void namesEachMetaSchemaViolationByPath() {
        List<ErrorDetail> problems =
                jsonSchemas.check(json("{\"type\": \"obj\", \"properties\": {\"a\": {\"minimum\": \"x\"}}}"));
        assertTrue(problems.stream().anyMatch(p -> p.path().equals("$.data.type")), problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.path().equals("$.data.properties.a.minimum")), problems.toString());
    }

    @Test
    void refusesUnknownDialectsAndRemoteReferences() {
        assertEquals(
                "$.data.$schema",
                jsonSchemas
                        .check(json("{\"$schema\": \"https://example.com/mine\"}"))
                        .get(0)
                        .path());
        List<ErrorDetail> remote = jsonSchemas.check(json("{\"$ref\": \"https://example.com/other.json\"}"));
        assertEquals(1, remote.size());
        assertTrue(remote.get(0).message().contains("not allowed"), remote.toString());
    }

    @Test
    void refusesPatternsThatAreNotRegularExpressions() {
        assertTrue(!jsonSchemas
                .check(json("{\"type\": \"string\", \"pattern\": \"([a-z\"}"))
                .isEmpty());
    }

    @Test
    void acceptsOlderDraftsByTheirSchemaUri() {
        assertEquals(
                List.of(),
                jsonSchemas.check(
                        json("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\"}")));
    }

    @Test
    void validatesDataAndReportsEveryViolation() {
        AuditSchema schema =
                new AuditSchema("s", "a", ActionType.CREATE, ValidationLevel.STRICT, json("""
                {"type": "object", "properties": {"n": {"type": "integer"}, "s": {"type": "string"}}, "required": ["n", "s"]}"""), "v1", 1, Instant.EPOCH);
        List<ErrorDetail> violations = jsonSchemas.validate(jsonSchemas.compiled(schema), json("{\"n\": \"x\"}"));
        assertEquals(2, violations.size(), violations.toString());
        assertEquals(List.of(), jsonSchemas.validate(jsonSchemas.compiled(schema), json("{\"n\": 1, \"s\": \"y\"}")));
    }

    private List<ErrorDetail> validate(String schema, String event) {
        JsonNode definition = json(schema);
        assertEquals(List.of(), jsonSchemas.check(definition));
        AuditSchema audit = new AuditSchema(
                "s",
                "a",
                ActionType.OTHER,
                ValidationLevel.STRICT,
                definition,
                "v" + schema.hashCode(),
                1,
                Instant.EPOCH);
        return jsonSchemas.validate(jsonSchemas.compiled(audit), json(event));
    }

    private static String repeat(String text, int times) {
        return String.join(",", java.util.Collections.nCopies(times, text));
    }

    private static String object(String prefix, int members, String value) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < members; i++) {
            text.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(prefix)
                    .append(i)
                    .append("\":")
                    .append(value);
        }
        return text.append('}').toString();
    }

    private static void assertTooCostly(List<ErrorDetail> outcome) {
        assertEquals(1, outcome.size(), outcome.toString());
        assertEquals(JsonSchemas.TOO_COSTLY, outcome.get(0).code(), outcome.toString());
    }

    @Test
    void keywordsAppliedToEveryPartOfTheEventSpendTheBudget() {
        // Without references, each keyword used to run once per place it applies, unpaid: a schema
        // of thousands of keywords under items costs the schema's size times the array's.
        String numbers = "[" + repeat("1", 5_000) + "]";
        assertTooCostly(validate("{\"items\": {\"allOf\": [" + repeat("{\"minimum\": 0}", 1_000) + "]}}", numbers));
        assertTooCostly(validate(
                "{\"items\": {\"allOf\": [" + repeat("{\"if\": {\"minimum\": 0}, \"then\": {\"maximum\": 9}}", 500)
                        + "]}}",
                numbers));
        assertTooCostly(validate(
                "{\"allOf\": [" + repeat("{\"contains\": {\"minimum\": 5}, \"minContains\": 0}", 1_000) + "]}",
                numbers));
        assertTooCostly(validate(
                "{\"allOf\": [" + repeat("{\"prefixItems\": [{}], \"unevaluatedItems\": {}}", 1_000) + "]}", numbers));
        String members = object("p", 5_000, "1");
        assertTooCostly(validate("{\"patternProperties\": " + object("x", 1_000, "{}") + "}", members));
        assertTooCostly(validate(
                "{\"propertyNames\": {\"allOf\": [" + repeat("{\"pattern\": \"^p\"}", 1_000) + "]}}", members));
        assertTooCostly(validate(
                "{\"allOf\": [" + repeat("{\"properties\": {\"a\": {}}, \"unevaluatedProperties\": true}", 1_000)
                        + "]}",
                members));
        String required = String.join(
                ",",
                java.util.stream.IntStream.range(0, 3_000)
                        .mapToObj(i -> "\"r" + i + "\"")
                        .toList());
        assertTooCostly(validate("{\"items\": {\"required\": [" + required + "]}}", "[" + repeat("{}", 5_000) + "]"));
        String arrays = "[" + repeat("[1,2,3,4,5,6,7,8,9,1]", 5_000) + "]";
        assertTooCostly(validate(
                "{\"items\": {\"allOf\": [" + repeat("{\"const\": [1,2,3,4,5,6,7,8,9,0]}", 500) + "]}}", arrays));
        assertTooCostly(validate("{\"items\": {\"allOf\": [" + repeat("{\"uniqueItems\": true}", 500) + "]}}", arrays));
    }

    @Test
    void anOrdinarySchemaOverALargeEventStaysWithinTheBudget() {
        String item = "{\"type\": \"object\", \"required\": [\"p0\", \"p1\"], \"additionalProperties\": false,"
                + " \"properties\": " + object("p", 30, "{\"type\": \"integer\", \"minimum\": 0, \"maximum\": 100}")
                + "}";
        List<ErrorDetail> outcome = validate(
                "{\"type\": \"array\", \"maxItems\": 5000, \"items\": " + item + "}",
                "[" + repeat(object("p", 30, "7"), 3_000) + "]");
        assertEquals(List.of(), outcome);
    }

    @Test
    void formatsAreCheckedOnlyUpToTheLengthTheirValuesCanHave() {
        List<ErrorDetail> dateTime =
                validate("{\"format\": \"date-time\"}", "\"2026-01-01T00:00:00Z" + " ".repeat(100_000) + "\"");
        assertEquals(1, dateTime.size(), dateTime.toString());
        assertEquals("SCHEMA_VIOLATION", dateTime.get(0).code());
        assertTrue(dateTime.get(0).message().contains("100020 characters"), dateTime.toString());
        assertEquals(
                1,
                validate("{\"format\": \"email\"}", "\"" + "a".repeat(400) + "@example.com\"")
                        .size());
        assertEquals(List.of(), validate("{\"format\": \"email\"}", "\"" + "a".repeat(60) + "@example.com\""));
        assertEquals(List.of(), validate("{\"format\": \"date-time\"}", "\"2026-01-01T00:00:00Z\""));
        assertEquals(
                1,
                validate("{\"format\": \"date-time\"}", "\"2026-13-01T00:00:00Z\"")
                        .size());
        assertEquals(List.of(), validate("{\"format\": \"uri\"}", "\"https://example.com/" + "a".repeat(2_000) + "\""));
        assertEquals(
                1,
                validate("{\"format\": \"uri\"}", "\"https://example.com/" + "a".repeat(100_000) + "\"")
                        .size());
        // Many formats over one long string: each check is paid for.
        assertTooCostly(validate(
                "{\"allOf\": [" + repeat("{\"format\": \"uri\"}", 3_000) + "]}",
                "\"https://example.com/" + "a".repeat(2_000) + "\""));
    }

    @Test
    void draftSevenKeywordsAreChargedToo() {
        assertTooCostly(validate(
                "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"items\": {\"allOf\": ["
                        + repeat("{\"minimum\": 0}", 1_000) + "]}}",
                "[" + repeat("1", 5_000) + "]"));
        assertEquals(
                List.of(),
                validate(
                        "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"format\": \"email\"}",
                        "\"a@example.com\""));
    }

    @Test
    void theCacheOfCompiledSchemasIsBoundedByTheirSize() {
        // 1,000 versions of a 60 KB definition would keep over a gigabyte compiled.
        String schema = "{\"properties\": " + object("p", 2_000, "{\"minimum\": 0}") + "}";
        JsonNode definition = json(schema);
        long size = eduledger.json.Json.write(definition).length();
        for (int i = 0; i < 200; i++) {
            AuditSchema version = new AuditSchema(
                    "s", "a", ActionType.OTHER, ValidationLevel.STRICT, definition, "v" + i, 1, Instant.EPOCH);
            jsonSchemas.compiled(version);
            assertTrue(jsonSchemas.cachedDefinitionBytes() <= JsonSchemas.MAX_CACHED_BYTES, "after " + i);
        }
        assertTrue(jsonSchemas.cachedDefinitionBytes() >= size, "the last one stays cached");
    }
}
