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
}
