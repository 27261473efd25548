package eduledger.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;

/** Who acted, or what was acted on: an id in the integration's own terms, its kind, and a display name. */
public record Party(String id, String type, String name) {

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        if (name != null) {
            json.put("name", name);
        }
        return json;
    }

    static Party fromJson(com.fasterxml.jackson.databind.JsonNode json) {
        return new Party(
                json.path("id").asText(),
                json.path("type").asText(),
                json.hasNonNull("name") ? json.path("name").asText() : null);
    }
}
