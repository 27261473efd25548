package eduledger.functions.listing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.integrations.Integration;
import eduledger.json.Json;

/**
 * An integration in the shapes of Edlink's meta routes. Edlink's fields this system has no notion
 * of (a source system, provider, team, region, licensing dates) are present and null, so clients
 * read them as Edlink documents them; {@code access_token} is always null, since tokens are kept
 * only as hashes (the operator issues them, shown once). {@code name} and {@code sharing} are this
 * system's own additions.
 */
final class MetaIntegrations {
    private MetaIntegrations() {}

    /** {@code GET /api/v1/integrations} and {@code /api/v1/integrations/{id}}. */
    static ObjectNode meta(Integration integration) {
        ObjectNode json = Json.object();
        json.put("id", integration.id());
        json.put("name", integration.name());
        json.put("status", "active");
        sharing(json, integration);
        json.put("created_date", Json.timestamp(integration.createdDate()));
        json.putNull("updated_date");
        json.putArray("permissions");
        json.putArray("targets");
        json.putNull("access_token");
        json.put("application_id", integration.applicationId());
        json.putNull("source");
        json.putNull("provider");
        json.putNull("team");
        json.putNull("entity");
        return json;
    }

    /** {@code GET /api/v2/my/integration}. */
    static ObjectNode mine(Integration integration) {
        ObjectNode json = Json.object();
        json.put("id", integration.id());
        json.put("name", integration.name());
        json.put("state", "active");
        json.put("created_date", Json.timestamp(integration.createdDate()));
        json.putNull("updated_date");
        json.putArray("permissions");
        sharing(json, integration);
        json.putNull("start_date");
        json.putNull("end_date");
        json.put("application_id", integration.applicationId());
        json.putNull("source_id");
        json.putNull("destination_id");
        json.putNull("region_id");
        return json;
    }

    /**
     * The platform shares its whole roster with every integration ({@code district_sharing: all});
     * what the integration sees is the operator's sharing, Edlink's developer-side rules.
     */
    private static void sharing(ObjectNode json, Integration integration) {
        json.put("district_sharing", "all");
        json.put("developer_sharing", integration.sharing().type());
        json.put("district_licensing_enabled", false);
        json.set("sharing", integration.sharing().toJson());
    }
}
