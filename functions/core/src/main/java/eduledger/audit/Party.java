package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.util.ArrayList;
import java.util.List;

/** Who acted, or what was acted on: the identifiers it is known by and its kind. */
public record Party(List<Identifier> identifiers, String type) {
    public Party {
        identifiers = List.copyOf(identifiers);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        ArrayNode array = json.putArray("identifiers");
        identifiers.forEach(identifier -> array.add(identifier.toJson()));
        json.put("type", type);
        return json;
    }

    static Party fromJson(JsonNode json) {
        List<Identifier> identifiers = new ArrayList<>();
        json.path("identifiers").forEach(identifier -> identifiers.add(Identifier.fromJson(identifier)));
        return new Party(identifiers, json.path("type").asText());
    }
}
