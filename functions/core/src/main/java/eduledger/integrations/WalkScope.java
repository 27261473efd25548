package eduledger.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.util.Set;
import java.util.TreeSet;

/**
 * The objects a rule change still has to look at: those under some organizations, or the whole
 * roster. It is stored on the integration with the new sharing and cleared once every object in
 * it has been judged, so a change that stopped midway is finished by the next one.
 */
public record WalkScope(boolean everything, Set<String> organizationIds) {
    public static final WalkScope NONE = new WalkScope(false, Set.of());

    public WalkScope {
        organizationIds = everything ? Set.of() : Set.copyOf(new TreeSet<>(organizationIds));
    }

    /** What a change from {@code before} to {@code after} may bring into view or take out of it. */
    public static WalkScope between(Sharing before, Sharing after) {
        boolean beforeAll = before.type().equals(Sharing.ALL);
        boolean afterAll = after.type().equals(Sharing.ALL);
        if (beforeAll && afterAll) {
            return NONE;
        }
        if (beforeAll || afterAll) {
            return new WalkScope(true, Set.of());
        }
        Set<String> organizations = new TreeSet<>(before.organizationIds());
        organizations.addAll(after.organizationIds());
        if (before.personRoles().equals(after.personRoles())) {
            Set<String> unchanged = new TreeSet<>(before.organizationIds());
            unchanged.retainAll(after.organizationIds());
            organizations.removeAll(unchanged);
        }
        return new WalkScope(false, organizations);
    }

    public WalkScope and(WalkScope other) {
        if (everything || other.everything) {
            return new WalkScope(true, Set.of());
        }
        Set<String> organizations = new TreeSet<>(organizationIds);
        organizations.addAll(other.organizationIds);
        return new WalkScope(false, organizations);
    }

    public boolean isEmpty() {
        return !everything && organizationIds.isEmpty();
    }

    String toStored() {
        ObjectNode json = Json.object().put("everything", everything);
        organizationIds.forEach(json.putArray("organization_ids")::add);
        return Json.write(json);
    }

    static WalkScope fromStored(String stored) {
        JsonNode json = Json.readStored(stored);
        Set<String> organizations = new TreeSet<>();
        json.path("organization_ids").forEach(id -> organizations.add(id.asText()));
        return new WalkScope(json.path("everything").asBoolean(false), organizations);
    }
}
