package eduledger.graph;

import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.Sharing;
import eduledger.roster.RosterObject;
import eduledger.roster.RosterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Changes an integration's sharing and writes the created and deleted events for every object the
 * change brings into or takes out of its view, within the admin request.
 *
 * <p>Only objects under the organizations whose rules changed are looked at (a Query per tree
 * shard), at most {@link #MAX_OBJECTS}; a larger change is refused before anything is written and
 * is made as several smaller ones. The events are written first and the new sharing last, each
 * event with a delivery marker keyed by the new sharing version, so a change that fails midway is
 * retried by sending it again, without duplicates. A roster change processed by the stream while the
 * sharing changes is judged by the sharing its batch read.
 */
public final class Resharing {
    public static final int MAX_OBJECTS = 10_000;

    private final IntegrationStore integrations;
    private final RosterStore roster;
    private final GraphProjector projector;

    public Resharing(IntegrationStore integrations, RosterStore roster, GraphProjector projector) {
        this.integrations = integrations;
        this.roster = roster;
        this.projector = projector;
    }

    public record Outcome(Integration integration, int eventsWritten) {}

    public Outcome change(String integrationId, Sharing requested) {
        Integration current = integrations.find(integrationId).orElseThrow(() -> notFound(integrationId));
        Sharing before = current.sharing();
        Sharing after = requested.withVersion(before.version() + 1);
        List<RosterObject> candidates = candidates(before, after);
        if (candidates.size() > MAX_OBJECTS) {
            throw new ServiceException(
                    Failure.UNPROCESSABLE,
                    "SHARING_CHANGE_TOO_LARGE",
                    "This change touches more than " + MAX_OBJECTS
                            + " objects; make it as several smaller rule changes.");
        }
        int written = projector.reshare(integrationId, before, after, candidates, current.createdDate());
        if (!integrations.updateSharing(integrationId, before.version(), after)) {
            throw new ServiceException(
                    Failure.CONFLICT,
                    "CONCURRENT_SHARING_CHANGE",
                    "The sharing changed while this change was made; read it and send the change again.");
        }
        return new Outcome(current.withSharing(after), written);
    }

    private List<RosterObject> candidates(Sharing before, Sharing after) {
        boolean beforeAll = before.type().equals(Sharing.ALL);
        boolean afterAll = after.type().equals(Sharing.ALL);
        if (beforeAll && afterAll) {
            return List.of();
        }
        if (beforeAll || afterAll) {
            return roster.everything(MAX_OBJECTS);
        }
        Set<String> organizations = new TreeSet<>(before.organizationIds());
        organizations.addAll(after.organizationIds());
        if (before.personRoles().equals(after.personRoles())) {
            Set<String> unchanged = new TreeSet<>(before.organizationIds());
            unchanged.retainAll(after.organizationIds());
            organizations.removeAll(unchanged);
        }
        Map<String, RosterObject> found = new LinkedHashMap<>();
        for (String organization : organizations) {
            for (RosterObject object : roster.under(organization, MAX_OBJECTS)) {
                found.putIfAbsent(object.collection().id() + "/" + object.id(), object);
            }
            if (found.size() > MAX_OBJECTS) {
                break;
            }
        }
        return List.copyOf(found.values());
    }

    private static ServiceException notFound(String integrationId) {
        return ServiceException.notFound("INTEGRATION_NOT_FOUND", "No integration " + integrationId + ".");
    }
}
