package eduledger.integrations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.time.Instant;

/**
 * An app's connection to the platform: the tenant every request is scoped to, and what roster it
 * sees.
 *
 * @param applicationId the application that owns it, or null while it belongs to none: it is then
 *     its own implicit application, whose schemas and audit events are kept under its own id
 */
public record Integration(String id, String name, Sharing sharing, Instant createdDate, String applicationId) {
    public Integration(String id, String name, Sharing sharing, Instant createdDate) {
        this(id, name, sharing, createdDate, null);
    }

    /**
     * The id its audit schemas and audit events are kept under: its application's, so that one
     * schema governs the events of all the application's integrations, or its own without one.
     */
    public String auditOwner() {
        return applicationId != null ? applicationId : id;
    }

    public Integration withSharing(Sharing next) {
        return new Integration(id, name, next, createdDate, applicationId);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("name", name);
        json.set("sharing", sharing.toJson());
        json.put("application_id", applicationId);
        json.put("created_date", Json.timestamp(createdDate));
        return json;
    }
}
