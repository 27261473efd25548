package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** What an event belongs to: one integration, or one institution (a roster organization). */
public record AuditScope(String id, String type) {
    public static final String INTEGRATION = "integration";
    public static final String INSTITUTION = "institution";

    // Written out, as a record's own are bootstrapped through method handles on first use (see Identifier).
    @Override
    public boolean equals(Object other) {
        return other instanceof AuditScope that && Objects.equals(id, that.id) && Objects.equals(type, that.type);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(id) + Objects.hashCode(type);
    }

    static AuditScope fromJson(JsonNode json) {
        return new AuditScope(json.path("id").asText(), json.path("type").asText());
    }
}
