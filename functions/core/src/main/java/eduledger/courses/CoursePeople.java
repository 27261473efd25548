package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.Sharing;
import eduledger.json.Json;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import eduledger.roster.RosterStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The people course events name, as Canvas User objects, from what the roster holds about them and
 * only where the integration's sharing lets it see them; anyone else is a User with only an id.
 *
 * <pre>
 * Canvas User     roster person (Edlink)
 * name            display_name, else first_name and last_name
 * sortable_name   "last_name, first_name"
 * first_name      first_name
 * last_name       last_name
 * short_name      display_name, else first_name
 * sis_user_id     sis_id
 * login_id        username, else email
 * email           email
 * avatar_url      picture_url
 * locale          locale
 * time_zone       time_zone
 * </pre>
 */
public final class CoursePeople {
    private final RosterStore roster;
    private final IntegrationStore integrations;

    public CoursePeople(RosterStore roster, IntegrationStore integrations) {
        this.roster = roster;
        this.integrations = integrations;
    }

    /** A Canvas User for each id, in no particular order. */
    public Map<String, ObjectNode> users(String integrationId, Collection<String> userIds) {
        Map<String, ObjectNode> users = new HashMap<>();
        if (userIds.isEmpty()) {
            return users;
        }
        Sharing sharing = integrations
                .find(integrationId)
                .map(integration -> integration.sharing())
                .orElse(null);
        for (String id : userIds) {
            Optional<RosterObject> person = sharing == null ? Optional.empty() : find(id);
            users.put(
                    id,
                    userJson(
                            id,
                            person.filter(sharing::canSee)
                                    .map(RosterObject::data)
                                    .orElse(null)));
        }
        return users;
    }

    private Optional<RosterObject> find(String id) {
        try {
            RosterStore.checkId(id);
        } catch (RuntimeException notARosterId) {
            return Optional.empty();
        }
        return roster.find(RosterCollection.PEOPLE, id);
    }

    static ObjectNode userJson(String id, JsonNode person) {
        ObjectNode user = Json.object();
        user.put("id", id);
        String first = text(person, "first_name");
        String last = text(person, "last_name");
        String display = text(person, "display_name");
        String joined = first == null ? last : last == null ? first : first + " " + last;
        user.put("name", display != null ? display : joined);
        user.put("sortable_name", first != null && last != null ? last + ", " + first : joined);
        user.put("last_name", last);
        user.put("first_name", first);
        user.put("short_name", display != null ? display : first);
        user.put("sis_user_id", text(person, "sis_id"));
        user.set("sis_import_id", NullNode.getInstance());
        user.set("integration_id", NullNode.getInstance());
        String username = text(person, "username");
        user.put("login_id", username != null ? username : text(person, "email"));
        user.put("avatar_url", text(person, "picture_url"));
        user.put("email", text(person, "email"));
        user.put("locale", text(person, "locale"));
        user.put("time_zone", text(person, "time_zone"));
        return user;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object == null ? null : object.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }
}
