package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Who acted, or what was acted on: the identifiers it is known by and its kind. */
public record Party(List<Identifier> identifiers, String type) {
    public Party {
        identifiers = List.copyOf(identifiers);
    }

    static Party fromJson(JsonNode json) {
        List<Identifier> identifiers = new ArrayList<>();
        json.path("identifiers").forEach(identifier -> identifiers.add(Identifier.fromJson(identifier)));
        return new Party(identifiers, json.path("type").asText());
    }
}
