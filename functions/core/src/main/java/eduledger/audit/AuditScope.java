package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;

/** What an event belongs to: one integration, or one institution (a roster organization). */
public record AuditScope(String id, String type) {
    public static final String INTEGRATION = "integration";
    public static final String INSTITUTION = "institution";

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        return json;
    }

    static AuditScope fromJson(JsonNode json) {
        return new AuditScope(json.path("id").asText(), json.path("type").asText());
    }
}
