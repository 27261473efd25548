package eduledger.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.time.Instant;

/**
 * The developer who owns integrations. Its secret key (kept only as a hash, like tokens) reaches
 * the audit event routes and the meta routes for all of its integrations at once.
 */
public record Application(String id, String name, Instant createdDate) {
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("name", name);
        json.put("created_date", Json.timestamp(createdDate));
        return json;
    }
}
