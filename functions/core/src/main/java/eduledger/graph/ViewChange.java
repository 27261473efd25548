package eduledger.graph;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One object's judged change of what the feeds show: the events to write and the view to store
 * with them, conditioned on the view being {@code read} still.
 *
 * @param read     the view the change was judged from
 * @param after    the integrations whose feed shows the object once the events are written
 * @param events   the events, at most one per integration
 * @param revision the roster revision the stream judged, which the view then records; empty for a
 *                 rule change's judgment, which leaves the stream's record of revisions as it was
 * @param gone     the change deleted the object (only with a revision)
 */
public record ViewChange(
        FeedView read, Set<String> after, List<PendingGraphEvent> events, OptionalLong revision, boolean gone) {

    public ViewChange {
        after = Set.copyOf(after);
        events = List.copyOf(events);
    }

    public String objectKey() {
        return read.objectKey();
    }
}
