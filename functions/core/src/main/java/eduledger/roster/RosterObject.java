package eduledger.roster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One roster object as stored: its collection and id, the object in Edlink's shape, where it sits
 * in the organization tree, and the source write that last changed it.
 */
public record RosterObject(
        RosterCollection collection, String id, JsonNode data, OrganizationPath path, SourceWrite sourceWrite) {

    /** The roles that sharing rules on person roles look at: a person's roles, an enrollment's role. */
    public java.util.Set<String> roles() {
        var roles = new java.util.HashSet<String>();
        data.path("roles").forEach(role -> roles.add(role.asText()));
        if (data.hasNonNull("role")) {
            roles.add(data.get("role").asText());
        }
        return roles;
    }
}
