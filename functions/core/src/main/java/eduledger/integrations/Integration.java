package eduledger.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.time.Instant;

/** An app's connection to the platform: the tenant every request is scoped to, and what roster it sees. */
public record Integration(String id, String name, Sharing sharing, Instant createdDate) {
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("name", name);
        json.set("sharing", sharing.toJson());
        json.put("created_date", Json.timestamp(createdDate));
        return json;
    }
}
