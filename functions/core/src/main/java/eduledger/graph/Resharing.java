package eduledger.graph;

import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.Sharing;
import eduledger.integrations.WalkScope;
import eduledger.metrics.Counts;
import eduledger.roster.RosterObject;
import eduledger.roster.RosterStore;
import eduledger.storage.StoreBackoff;
import eduledger.storage.StoreFailures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Changes an integration's sharing and writes the created and deleted events for every object the
 * change brings into or takes out of its view, within the admin request.
 *
 * <p>The new sharing is stored first, together with the scope still to look at and a move of the
 * sharing epoch, so from then on the change stream judges every roster change under it. Then the
 * objects in scope are walked: only those under the organizations whose rules changed (a Query per
 * tree shard), or the whole roster when switching between {@code all} and rules, at most
 * {@link #MAX_OBJECTS}, a larger change being refused before anything is written. Each object is
 * judged from its {@link FeedView} and its stored state, and its event is written with the view's
 * update on the condition that neither moved meanwhile (else it is read and judged again). When
 * every object is judged the scope is cleared. A walk that stops midway leaves its scope on the
 * integration, and the next change (the same one sent again, or any other) walks it too; the
 * views make walking an object twice write nothing twice.
 */
public final class Resharing {
    public static final int MAX_OBJECTS = 10_000;
    /** Objects judged together: one BatchGetItem of their views and one of their current state. */
    static final int PAGE = 100;
    /** Times one page's objects are judged again after their views moved, before the change fails. */
    static final int JUDGING_ATTEMPTS = 5;

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
        WalkScope scope =
                integrations.pendingWalk(integrationId).orElse(WalkScope.NONE).and(WalkScope.between(before, after));
        List<RosterObject> candidates = candidates(scope);
        if (candidates.size() > MAX_OBJECTS) {
            throw new ServiceException(
                    Failure.UNPROCESSABLE,
                    "SHARING_CHANGE_TOO_LARGE",
                    "This change touches more than " + MAX_OBJECTS
                            + " objects; make it as several smaller rule changes.");
        }
        if (!integrations.updateSharing(integrationId, before.version(), after, scope)) {
            throw concurrentChange();
        }
        int written = 0;
        for (int from = 0; from < candidates.size(); from += PAGE) {
            written += walk(integrationId, after, candidates.subList(from, Math.min(candidates.size(), from + PAGE)));
        }
        integrations.walked(integrationId, after.version());
        Counts.add(Counts.VISIBILITY_CHANGES_APPLIED, written);
        return new Outcome(current.withSharing(after), written);
    }

    /**
     * Judges one page of objects for the integration under its new sharing and writes what changed.
     * The views are read before the objects, so an object is never judged older than what its view
     * records; a write whose view moved is judged again.
     */
    private int walk(String integrationId, Sharing after, List<RosterObject> page) {
        List<RosterObject> open = page;
        int written = 0;
        StoreBackoff backoff = StoreBackoff.contended(JUDGING_ATTEMPTS, StoreFailures::unavailable);
        while (!open.isEmpty()) {
            Map<String, FeedView> views =
                    projector.views(open.stream().map(FeedView::keyOf).toList());
            Map<String, RosterObject> stored = roster.current(open);
            Map<String, RosterObject> byKey = new LinkedHashMap<>();
            List<ViewChange> changes = new ArrayList<>();
            for (RosterObject candidate : open) {
                String key = FeedView.keyOf(candidate);
                RosterObject now = stored.get(key);
                if (now == null) {
                    continue; // deleted: the stream judges the delete under the new sharing
                }
                Optional<ViewChange> change = projector.reshare(integrationId, after, now, views.get(key));
                change.ifPresent(changes::add);
                change.ifPresent(c -> byKey.put(key, candidate));
            }
            // One transaction at a time: each checks the integration's one item.
            GraphEventWriter.ViewWrites writes =
                    projector.write(changes, () -> integrations.sharingVersionIs(integrationId, after.version()), true);
            if (writes.guardFailed()) {
                throw concurrentChange();
            }
            writes.failures().values().stream().findFirst().ifPresent(failure -> {
                throw failure;
            });
            written += writes.written().size();
            open = writes.stale().stream().map(byKey::get).toList();
            if (!open.isEmpty()) {
                backoff.pause();
            }
        }
        return written;
    }

    private List<RosterObject> candidates(WalkScope scope) {
        if (scope.everything()) {
            return roster.everything(MAX_OBJECTS);
        }
        Map<String, RosterObject> found = new LinkedHashMap<>();
        for (String organization : scope.organizationIds()) {
            for (RosterObject object : roster.under(organization, MAX_OBJECTS)) {
                found.putIfAbsent(FeedView.keyOf(object), object);
            }
            if (found.size() > MAX_OBJECTS) {
                break;
            }
        }
        return List.copyOf(found.values());
    }

    private static ServiceException concurrentChange() {
        return new ServiceException(
                Failure.CONFLICT,
                "CONCURRENT_SHARING_CHANGE",
                "The sharing changed while this change was made; read it and send the change again.");
    }

    private static ServiceException notFound(String integrationId) {
        return ServiceException.notFound("INTEGRATION_NOT_FOUND", "No integration " + integrationId + ".");
    }
}
