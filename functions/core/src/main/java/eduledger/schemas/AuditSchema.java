package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.time.Instant;

/**
 * One version of an action's schema. {@code id} names the schema across versions; {@code version}
 * (a UUID) and {@code versionNumber} (1, 2, …) name this version; {@code data} is the JSON Schema
 * for the events' {@code data}, or null when the action constrains nothing.
 */
public record AuditSchema(
        String id,
        String actionId,
        ActionType actionType,
        ValidationLevel validationLevel,
        JsonNode data,
        String version,
        long versionNumber,
        Instant createdDate) {

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("created_date", Json.timestamp(createdDate));
        json.put("version", version);
        json.put("version_number", versionNumber);
        json.put("validation_level", validationLevel.id());
        ObjectNode action = json.putObject("action");
        action.put("id", actionId);
        action.put("type", actionType.id());
        if (data != null) {
            json.set("data", data);
        }
        return json;
    }
}
