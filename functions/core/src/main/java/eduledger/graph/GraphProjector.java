package eduledger.graph;

import eduledger.events.EventIds;
import eduledger.integrations.Integration;
import eduledger.integrations.Sharing;
import eduledger.metrics.Counts;
import eduledger.roster.Audience;
import eduledger.roster.RosterObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns roster changes into graph events, per integration, by what each integration can see:
 * an object entering an integration's view is created for it, one leaving it is deleted, whether
 * the object changed or the integration's sharing did.
 */
public final class GraphProjector {
    private final GraphEventWriter store;

    public GraphProjector(GraphEventWriter store) {
        this.store = store;
    }

    /** The events one object change makes, not yet written, and who sees the object before and after. */
    public record Projection(Audience audience, List<PendingGraphEvent> events) {
        public Projection {
            events = List.copyOf(events);
        }

        /** Every integration that sees the object before or after the change. */
        public Set<String> visibleTo() {
            return audience.all();
        }
    }

    /**
     * The events one object change makes for every integration; nothing is written.
     *
     * @param sourceId   names the source of the change uniquely and stably (a stream record id): its
     *                   delivery marker, one for all its events, derives from it, so writing them a
     *                   second time writes nothing
     * @param sourceTime when the source happened, for the delivery marker's id
     */
    public Projection project(
            Optional<RosterObject> before,
            Optional<RosterObject> after,
            String sourceId,
            Instant sourceTime,
            List<Integration> integrations) {
        Set<String> sawBy = new LinkedHashSet<>();
        Set<String> seenBy = new LinkedHashSet<>();
        String markerId = EventIds.derived(sourceTime, sourceId);
        List<PendingGraphEvent> pending = new ArrayList<>();
        // A move in the organization tree leaves the object as it was: it is news only where it
        // comes into or goes out of view.
        boolean onlyMoved = before.isPresent()
                && after.isPresent()
                && before.get().data().equals(after.get().data());
        for (Integration integration : integrations) {
            Sharing sharing = integration.sharing();
            boolean sawIt = before.map(sharing::canSee).orElse(false);
            boolean seesIt = after.map(sharing::canSee).orElse(false);
            if (sawIt) {
                sawBy.add(integration.id());
            }
            if (seesIt) {
                seenBy.add(integration.id());
            }
            if (onlyMoved && sawIt && seesIt) {
                continue;
            }
            String action =
                    sawIt && seesIt ? GraphFeed.UPDATED : seesIt ? GraphFeed.CREATED : sawIt ? GraphFeed.DELETED : null;
            if (action != null) {
                RosterObject object = seesIt ? after.get() : before.get();
                pending.add(new PendingGraphEvent(
                        integration.id(), object.collection(), action, object.id(), object.data(), markerId));
            }
        }
        return new Projection(new Audience(sawBy, seenBy), pending);
    }

    /**
     * Writes projected events, those of different objects at once; events that must follow others
     * (a later change of the same object) go in a later call.
     */
    public AppendedEvents write(List<PendingGraphEvent> events) {
        if (events.isEmpty()) {
            return new AppendedEvents(List.of(), List.of(), Map.of());
        }
        AppendedEvents appended = store.appendAll(events);
        Counts.add(Counts.GRAPH_EVENTS_WRITTEN, appended.written().size());
        return appended;
    }

    /**
     * Writes the created and deleted events a sharing change makes for the objects it brings into
     * or takes out of the integration's view. {@code candidates} must hold every such object.
     *
     * @param stableTime the same on every retry of this change (the integration's creation time),
     *                   so a retried change finds its delivery markers: one per object and sharing
     *                   version, listing this integration once its event is written
     * @return how many events were written
     * @throws RuntimeException when some could not be written (the others stay; a retry completes them)
     */
    public int reshare(
            String integrationId, Sharing before, Sharing after, List<RosterObject> candidates, Instant stableTime) {
        List<PendingGraphEvent> pending = new ArrayList<>();
        for (RosterObject object : candidates) {
            boolean sawIt = before.canSee(object);
            boolean seesIt = after.canSee(object);
            if (sawIt == seesIt) {
                continue;
            }
            String source = "sharing|" + integrationId + "|" + after.version() + "|"
                    + object.collection().id() + "|" + object.id();
            pending.add(new PendingGraphEvent(
                    integrationId,
                    object.collection(),
                    seesIt ? GraphFeed.CREATED : GraphFeed.DELETED,
                    object.id(),
                    object.data(),
                    EventIds.derived(stableTime, source)));
        }
        AppendedEvents appended = write(pending);
        Counts.add(Counts.VISIBILITY_CHANGES_APPLIED, appended.written().size());
        appended.failureOf(pending).ifPresent(failure -> {
            throw failure;
        });
        return appended.written().size();
    }
}
