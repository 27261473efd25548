package eduledger.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaDefinitionTest {
    private final JsonSchemas jsonSchemas = new JsonSchemas();

    private SchemaDefinition create(String body) {
        return SchemaDefinition.forCreate(Json.readStored(body), jsonSchemas);
    }

    private ServiceException rejected(String body) {
        return assertThrows(ServiceException.class, () -> create(body));
    }

    @Test
    void validationLevelDefaultsToLaxAndDataIsOptional() {
        SchemaDefinition definition = create("{\"action\": {\"id\": \"assignment.submit\", \"type\": \"create\"}}");
        assertEquals(ValidationLevel.LAX, definition.validationLevel());
        assertEquals(ActionType.CREATE, definition.actionType());
        assertNull(definition.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"actor", "targets", "scope", "context", "color", "id", "version"})
    void namesEveryPropertyASchemaCannotDefine(String property) {
        ServiceException e = rejected("{\"action\": {\"id\": \"a\", \"type\": \"read\"}, \"" + property + "\": {}}");
        assertEquals(Failure.BAD_REQUEST, e.failure());
        assertEquals("$." + property, e.details().get(0).path());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ServiceException e =
                rejected("{\"action\": {\"type\": \"burn\"}, \"validation_level\": \"loose\", \"data\": 5}");
        var paths = e.details().stream().map(ErrorDetail::path).toList();
        assertEquals(4, paths.size(), paths.toString());
        assertTrue(
                paths.containsAll(java.util.List.of("$.action.id", "$.action.type", "$.validation_level", "$.data")));
    }

    @Test
    void rejectsNonObjectBodiesAndMissingAction() {
        assertEquals("INVALID_BODY", rejected("[1, 2]").details().get(0).code());
        assertEquals("$.action", rejected("{}").details().get(0).path());
        assertEquals(
                "$.action.id",
                rejected("{\"action\": {\"id\": \"has space\", \"type\": \"read\"}}")
                        .details()
                        .get(0)
                        .path());
    }

    @Test
    void oversizedDataIsPayloadTooLarge() {
        String big = "x".repeat(SchemaDefinition.MAX_DATA_BYTES);
        ServiceException e = rejected(
                "{\"action\": {\"id\": \"a\", \"type\": \"read\"}, \"data\": {\"description\": \"" + big + "\"}}");
        assertEquals(Failure.PAYLOAD_TOO_LARGE, e.failure());
    }

    @Test
    void patchKeepsWhatItDoesNotNameAndRefusesANewActionId() {
        AuditSchema current = new AuditSchema(
                "s",
                "a.b",
                ActionType.UPDATE,
                ValidationLevel.STRICT,
                Json.readStored("{\"type\": \"object\"}"),
                "v",
                3,
                Instant.EPOCH);
        SchemaDefinition patched =
                SchemaDefinition.forPatch(Json.readStored("{\"validation_level\": \"lax\"}"), current, jsonSchemas);
        assertEquals(ValidationLevel.LAX, patched.validationLevel());
        assertEquals(ActionType.UPDATE, patched.actionType());
        assertEquals(current.data(), patched.data());
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> SchemaDefinition.forPatch(
                        Json.readStored("{\"action\": {\"id\": \"other\"}}"), current, jsonSchemas));
        assertEquals("IMMUTABLE_FIELD", e.details().get(0).code());
    }
}
