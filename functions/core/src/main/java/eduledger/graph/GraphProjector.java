package eduledger.graph;

import eduledger.integrations.Integration;
import eduledger.integrations.Sharing;
import eduledger.metrics.Counts;
import eduledger.roster.Audience;
import eduledger.roster.RosterObject;
import eduledger.roster.StreamedChange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Turns roster changes into graph events, per integration, by what each integration's feed shows
 * of the object ({@link FeedView}) and what its sharing shows of the object now: an object entering
 * an integration's view is created for it, one leaving it is deleted, whether the object changed or
 * the integration's sharing did.
 */
public final class GraphProjector {
    private final GraphEventWriter store;

    public GraphProjector(GraphEventWriter store) {
        this.store = store;
    }

    /**
     * One stream change, judged: who the feeds showed the object to before and show it to after,
     * and what to write; no write when the change was judged before (a redelivery).
     *
     * @param audience who saw the object before the change and sees it after, for the listeners;
     *                 empty for a change judged before whose decision is no longer on record
     */
    public record Projection(Optional<Audience> audience, Optional<ViewChange> write) {}

    /** The views of these objects ({@link FeedView#keyOf}), read consistently. */
    public java.util.Map<String, FeedView> views(List<String> objectKeys) {
        return store.views(objectKeys);
    }

    /**
     * Judges one stream change against the view and the integrations' sharing: "shown before" is
     * the view (for an object the view has no record of, its old image under today's sharing),
     * "shown after" the new image under today's sharing.
     */
    public Projection project(StreamedChange change, FeedView view, List<Integration> integrations) {
        if (view.judged(change.revision(), change.after().isPresent())) {
            return new Projection(
                    view.revision() == change.revision()
                            ? Optional.of(new Audience(view.prior(), view.shown()))
                            : Optional.empty(),
                    Optional.empty());
        }
        // A move in the organization tree leaves the object as it was: it is news only where it
        // comes into or goes out of view.
        boolean onlyMoved = change.before().isPresent()
                && change.after().isPresent()
                && change.before().get().data().equals(change.after().get().data());
        Set<String> sawBy = new LinkedHashSet<>();
        Set<String> seenBy = new LinkedHashSet<>();
        List<PendingGraphEvent> pending = new ArrayList<>();
        for (Integration integration : integrations) {
            Sharing sharing = integration.sharing();
            boolean sawIt = view.stored()
                    ? view.shown().contains(integration.id())
                    : change.before().isPresent()
                            && sharing.canSee(change.before().get());
            boolean seesIt =
                    change.after().isPresent() && sharing.canSee(change.after().get());
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
                RosterObject object = seesIt
                        ? change.after().get()
                        : change.before().isPresent() ? change.before().get() : change.object();
                pending.add(new PendingGraphEvent(
                        integration.id(), object.collection(), action, object.id(), object.data()));
            }
        }
        ViewChange write = new ViewChange(
                view,
                seenBy,
                pending,
                OptionalLong.of(change.revision()),
                change.after().isEmpty());
        return new Projection(Optional.of(new Audience(sawBy, seenBy)), Optional.of(write));
    }

    /**
     * Judges one object for a rule change of one integration: shown before is the view, shown
     * after the object as it is now under the new sharing. Empty when nothing changes for the
     * integration, or when the stream has not judged the object as it now exists yet (no view, or
     * the view of a delete): the stream will, under the new sharing.
     */
    public Optional<ViewChange> reshare(String integrationId, Sharing after, RosterObject current, FeedView view) {
        if (!view.stored() || view.gone()) {
            return Optional.empty();
        }
        boolean sawIt = view.shown().contains(integrationId);
        boolean seesIt = after.canSee(current);
        if (sawIt == seesIt) {
            return Optional.empty();
        }
        Set<String> shown = new LinkedHashSet<>(view.shown());
        if (seesIt) {
            shown.add(integrationId);
        } else {
            shown.remove(integrationId);
        }
        PendingGraphEvent event = new PendingGraphEvent(
                integrationId,
                current.collection(),
                seesIt ? GraphFeed.CREATED : GraphFeed.DELETED,
                current.id(),
                current.data());
        return Optional.of(new ViewChange(view, shown, List.of(event), OptionalLong.empty(), false));
    }

    /**
     * Writes judged changes, those of different objects at once; a change that must follow another
     * of the same object goes in a later call.
     */
    public GraphEventWriter.ViewWrites write(List<ViewChange> changes, Supplier<TransactWriteItem> guard) {
        return write(changes, guard, false);
    }

    /** The same, one transaction after another when {@code oneAtATime} (see {@link GraphEventWriter#write}). */
    public GraphEventWriter.ViewWrites write(
            List<ViewChange> changes, Supplier<TransactWriteItem> guard, boolean oneAtATime) {
        if (changes.isEmpty()) {
            return new GraphEventWriter.ViewWrites(List.of(), Set.of(), java.util.Map.of(), false, java.util.Map.of());
        }
        GraphEventWriter.ViewWrites writes = store.write(changes, guard, oneAtATime);
        Counts.add(Counts.GRAPH_EVENTS_WRITTEN, writes.written().size());
        return writes;
    }
}
