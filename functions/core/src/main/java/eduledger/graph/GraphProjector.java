package eduledger.graph;

import eduledger.events.EventIds;
import eduledger.integrations.Integration;
import eduledger.integrations.Sharing;
import eduledger.roster.RosterObject;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns roster changes into graph events, per integration, by what each integration can see:
 * an object entering an integration's view is created for it, one leaving it is deleted, whether
 * the object changed or the integration's sharing did.
 */
public final class GraphProjector {
    private final GraphEventStore events;

    public GraphProjector(GraphEventStore events) {
        this.events = events;
    }

    /**
     * Writes the events one object change makes for every integration.
     *
     * @param sourceId   names the source of the change uniquely and stably (a stream record id): a
     *                   second call with the same source writes nothing again
     * @param sourceTime when the source happened, for the delivery marker's id
     * @return the integrations that see the object before or after the change
     */
    public Set<String> project(Optional<RosterObject> before, Optional<RosterObject> after, String sourceId,
                               Instant sourceTime, List<Integration> integrations) {
        Set<String> seenBy = new LinkedHashSet<>();
        for (Integration integration : integrations) {
            Sharing sharing = integration.sharing();
            boolean sawIt = before.map(sharing::canSee).orElse(false);
            boolean seesIt = after.map(sharing::canSee).orElse(false);
            if (sawIt || seesIt) {
                seenBy.add(integration.id());
            }
            String action = sawIt && seesIt ? GraphFeed.UPDATED : seesIt ? GraphFeed.CREATED : sawIt ? GraphFeed.DELETED : null;
            if (action != null) {
                RosterObject object = seesIt ? after.get() : before.get();
                events.append(integration.id(), object.collection(), action, object.id(), object.data(),
                        EventIds.derived(sourceTime, sourceId + "|" + integration.id()));
            }
        }
        return seenBy;
    }

    /**
     * Writes the created and deleted events a sharing change makes for the objects it brings into
     * or takes out of the integration's view. {@code candidates} must hold every such object.
     *
     * @param stableTime the same on every retry of this change (the integration's creation time),
     *                   so a retried change finds its delivery markers
     * @return how many events were written
     */
    public int reshare(String integrationId, Sharing before, Sharing after, List<RosterObject> candidates, Instant stableTime) {
        int written = 0;
        for (RosterObject object : candidates) {
            boolean sawIt = before.canSee(object);
            boolean seesIt = after.canSee(object);
            if (sawIt == seesIt) {
                continue;
            }
            String source = "sharing|" + integrationId + "|" + after.version() + "|" + object.collection().id() + "|" + object.id();
            if (events.append(integrationId, object.collection(), seesIt ? GraphFeed.CREATED : GraphFeed.DELETED,
                    object.id(), object.data(), EventIds.derived(stableTime, source)).isPresent()) {
                written++;
            }
        }
        return written;
    }
}
