package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.Sharing;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import eduledger.roster.RosterStore;
import eduledger.storage.Tables;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What of the audit log an integration may touch: the scopes it may write and read (itself, and
 * the institutions its sharing lets it see), and the roster objects whose details an event's
 * {@code edlink} identifiers are enriched with. One instance serves one request, so the sharing it
 * reads and the objects it looks up are read once each.
 */
public final class ScopeAccess {
    /** Roster objects an event's identifiers can name: the party's type says which collection. */
    private static final RosterCollection[] NAMEABLE = {
        RosterCollection.PEOPLE,
        RosterCollection.CLASSES,
        RosterCollection.COURSES,
        RosterCollection.ORGANIZATIONS,
        RosterCollection.TERMS,
        RosterCollection.ENROLLMENTS
    };

    private final IntegrationStore integrations;
    private final RosterStore roster;
    private final String integrationId;
    private Sharing sharing;
    private final Map<String, Optional<RosterObject>> seen = new HashMap<>();

    public ScopeAccess(DynamoDbClient dynamo, Tables tables, Clock clock, String integrationId) {
        this.integrations = new IntegrationStore(dynamo, tables, clock);
        this.roster = new RosterStore(dynamo, tables, clock);
        this.integrationId = integrationId;
    }

    /** The integration itself, or an institution (roster organization) its sharing lets it see. */
    public boolean allows(AuditScope scope) {
        if (scope.type().equals(AuditScope.INTEGRATION)) {
            return scope.id().equals(integrationId);
        }
        return roster.find(RosterCollection.ORGANIZATIONS, scope.id())
                .filter(this::visible)
                .isPresent();
    }

    /**
     * The event as a reader gets it: each {@code edlink} identifier of the actor and targets
     * carries the {@code details} of the roster object it names, where this integration sees it.
     */
    public ObjectNode render(AuditEvent event) {
        ObjectNode json = event.toJson();
        enrich(json.path("actor"));
        json.path("targets").forEach(this::enrich);
        return json;
    }

    private void enrich(JsonNode party) {
        String type = party.path("type").asText();
        for (JsonNode identifier : party.path("identifiers")) {
            if (Identifier.EDLINK.equals(identifier.path("issuer").asText())) {
                details(identifier.path("value").asText(), type)
                        .ifPresent(details -> ((ObjectNode) identifier).set("details", details));
            }
        }
    }

    /** The details of the roster object an {@code edlink} identifier names, if this integration sees it. */
    public Optional<ObjectNode> details(String id, String partyType) {
        return seen.computeIfAbsent(id + "\n" + partyType, key -> lookUp(id, partyType))
                .filter(this::visible)
                .map(object -> object.data().deepCopy());
    }

    private Optional<RosterObject> lookUp(String id, String partyType) {
        for (RosterCollection collection : NAMEABLE) {
            if (collection.objectType().equals(partyType)) {
                return roster.find(collection, id);
            }
        }
        // Any other type names nothing the roster holds; looking in every collection would cost a read each.
        return Optional.empty();
    }

    private boolean visible(RosterObject object) {
        if (sharing == null) {
            sharing = integrations.find(integrationId).map(i -> i.sharing()).orElse(null);
            if (sharing == null) {
                return false;
            }
        }
        return sharing.canSee(object);
    }
}
