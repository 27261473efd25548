package eduledger.roster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One roster object as stored: its collection and id, the object in Edlink's shape, where it sits
 * in the organization tree, and the source write that last changed it.
 *
 * @param revision grows with every write of the item (0 for an item written before revisions
 *     were kept), so the change stream can tell a change it has judged from a newer one
 */
public record RosterObject(
        RosterCollection collection,
        String id,
        JsonNode data,
        OrganizationPath path,
        SourceWrite sourceWrite,
        long revision) {

    public RosterObject(
            RosterCollection collection, String id, JsonNode data, OrganizationPath path, SourceWrite sourceWrite) {
        this(collection, id, data, path, sourceWrite, 0);
    }

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
