package eduledger.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.time.Instant;

/**
 * One entry of an integration's graph feed, in Edlink's shape.
 *
 * @param type   {@code <object>.<created|updated|deleted>}
 * @param target the object type ({@code person})
 * @param data   the object after the change; for a delete, as it last existed
 */
public record GraphEvent(
        String id,
        String integrationId,
        String type,
        String target,
        String targetId,
        Instant createdDate,
        JsonNode data) {

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        json.put("created_date", Json.timestamp(createdDate));
        json.set("data", data);
        json.put("target", target);
        json.put("target_id", targetId);
        json.put("integration_id", integrationId);
        return json;
    }
}
