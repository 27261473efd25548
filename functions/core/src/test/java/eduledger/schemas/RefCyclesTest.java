package eduledger.schemas;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import eduledger.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefCyclesTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"$ref\": \"#\"}",
                "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"allOf\": [{\"$ref\": \"#/$defs/a\"}]}}, \"$ref\": \"#/$defs/a\"}",
                "{\"$defs\": {\"a\": {\"$anchor\": \"me\", \"not\": {\"$ref\": \"#me\"}}}}",
                "{\"properties\": {\"x\": {\"$ref\": \"#/properties/x\"}}}"
            })
    void referencesBackToItselfInPlaceAreCycles(String schema) {
        assertNotNull(RefCycles.find(Json.readStored(schema)), schema);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\": \"object\", \"properties\": {\"child\": {\"$ref\": \"#\"}}}",
                "{\"$defs\": {\"node\": {\"items\": {\"$ref\": \"#/$defs/node\"}}}, \"$ref\": \"#/$defs/node\"}",
                "{\"$ref\": \"#/$defs/missing\"}",
                "{\"allOf\": [{\"type\": \"string\"}, {\"minLength\": 1}]}"
            })
    void recursionThroughTheDataIsNot(String schema) {
        assertNull(RefCycles.find(Json.readStored(schema)), schema);
    }
}
