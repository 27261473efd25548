package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.auth.Caller;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.integrations.ApplicationStore;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.RecentIntegrations;
import eduledger.integrations.Sharing;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import eduledger.roster.RosterStore;
import eduledger.storage.Tables;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What of the audit log a caller may touch. The audit log belongs to an application: the events
 * are kept under its id ({@link #ownerId()}), and their scopes are its integrations and the
 * institutions (roster organizations) one of them can see under its sharing. An application's
 * secret key acts for all of them; an integration that belongs to no application is its own
 * implicit application, so its token acts for itself alone, under its own id. The roster objects
 * an event's {@code edlink} identifiers name are enriched where one of those integrations sees
 * them. One instance serves one request, so what it reads is read once.
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

    private static final String EDLINK_STRING = "\"" + Identifier.EDLINK + "\"";

    private final IntegrationStore integrations;
    private final ApplicationStore applications;
    private final RosterStore roster;
    private final String ownerId;
    /** The integration acting alone (its own implicit application), or null for an application. */
    private final String integrationId;

    private List<Sharing> sharings;
    private final Map<String, Boolean> owned = new HashMap<>();
    private final Map<String, Optional<RosterObject>> seen = new HashMap<>();

    /** The access of an integration that belongs to no application: itself, under its own id. */
    public ScopeAccess(DynamoDbClient dynamo, Tables tables, Clock clock, String integrationId) {
        this(dynamo, tables, clock, integrationId, integrationId);
    }

    private ScopeAccess(DynamoDbClient dynamo, Tables tables, Clock clock, String ownerId, String integrationId) {
        this.integrations = new IntegrationStore(dynamo, tables, clock);
        this.applications = new ApplicationStore(dynamo, tables, clock);
        this.roster = new RosterStore(dynamo, tables, clock);
        this.ownerId = ownerId;
        this.integrationId = integrationId;
    }

    /**
     * The caller's access to the audit log: an application's secret key reaches its own; an
     * integration's token only the log of an integration that belongs to no application, since an
     * application's integrations send and read events with the application's secret key.
     *
     * @throws ServiceException 403 for the token of an integration that belongs to an application
     */
    public static ScopeAccess of(
            DynamoDbClient dynamo, Tables tables, Clock clock, Caller caller, RecentIntegrations recent) {
        if (caller.isApplication()) {
            return new ScopeAccess(dynamo, tables, clock, caller.applicationId(), null);
        }
        ScopeAccess access = new ScopeAccess(dynamo, tables, clock, caller.integrationId(), caller.integrationId());
        Optional<Integration> integration = recent.find(caller.integrationId());
        if (integration.isPresent() && integration.get().applicationId() != null) {
            throw new ServiceException(
                    Failure.FORBIDDEN,
                    "APPLICATION_SECRET_REQUIRED",
                    "This integration belongs to an application: audit events are sent and read with the"
                            + " application's secret key, not an integration's token.");
        }
        access.sharings = integration.map(i -> List.of(i.sharing())).orElse(List.of());
        return access;
    }

    /** The id the audit log (events, idempotency records, schemas) is kept under. */
    public String ownerId() {
        return ownerId;
    }

    /**
     * One of the owner's integrations, or an institution (roster organization) one of them can see
     * under its sharing.
     */
    public boolean allows(AuditScope scope) {
        if (scope.type().equals(AuditScope.INTEGRATION)) {
            if (integrationId != null) {
                return scope.id().equals(integrationId);
            }
            return owned.computeIfAbsent(scope.id(), id -> applications.owns(ownerId, id));
        }
        return roster.find(RosterCollection.ORGANIZATIONS, scope.id())
                .filter(this::visible)
                .isPresent();
    }

    /**
     * The event as a reader gets it: each {@code edlink} identifier of the actor and targets
     * carries the {@code details} of the roster object it names, where one of the integrations sees it.
     */
    public ObjectNode render(AuditEvent event) {
        ObjectNode json = event.toJson();
        enrich(json.path("actor"));
        json.path("targets").forEach(this::enrich);
        return json;
    }

    /**
     * A listed event as a reader gets it. Only {@code edlink} identifiers are enriched, so an event
     * that names none (its JSON has no {@code "edlink"} string anywhere, as a JSON writer never
     * escapes plain letters) is its stored JSON as is, spliced into the page unparsed.
     */
    public JsonNode render(AuditEventStore.Stored stored) {
        if (!stored.json().contains(EDLINK_STRING)) {
            return JsonNodeFactory.instance.rawValueNode(new RawValue(stored.json()));
        }
        return render(stored.event());
    }

    /**
     * An event as {@link #render(AuditEvent)} gives it, from its stored JSON ({@link AuditEvent#json})
     * as it is where it names no {@code edlink} identifier, as a list page carries it; {@code json}
     * null renders the event.
     */
    public JsonNode render(AuditEvent event, String json) {
        if (json != null && !json.contains(EDLINK_STRING)) {
            return JsonNodeFactory.instance.rawValueNode(new RawValue(json));
        }
        return render(event);
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

    /** The details of the roster object an {@code edlink} identifier names, if one of the integrations sees it. */
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
        if (sharings == null) {
            sharings = integrationId != null
                    ? integrations
                            .find(integrationId)
                            .map(i -> List.of(i.sharing()))
                            .orElse(List.of())
                    : integrations.findAll(applications.integrationIds(ownerId)).values().stream()
                            .map(Integration::sharing)
                            .toList();
        }
        return sharings.stream().anyMatch(sharing -> sharing.canSee(object));
    }
}
