package eduledger.graph;

import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import java.util.Set;

/**
 * What the graph feeds show of one roster object: the integrations whose feed shows it, and the
 * object's revision they were last judged at by the change stream. The stream and rule changes
 * decide created, updated and deleted from it, and update it in the transaction that writes the
 * events, on the condition that it is still at the {@code version} they read.
 *
 * @param objectKey which object ({@link #keyOf})
 * @param stored    false when no change of the object has been judged yet
 * @param shown     the integrations whose feed shows the object now
 * @param prior     the integrations whose feed showed it before the change at {@code revision}
 * @param revision  the roster revision of the last change the stream judged
 * @param version   counts the view's updates, for the condition on the next one
 * @param gone      the last change judged deleted the object
 */
public record FeedView(
        String objectKey,
        boolean stored,
        Set<String> shown,
        Set<String> prior,
        long revision,
        long version,
        boolean gone) {

    public FeedView {
        shown = Set.copyOf(shown);
        prior = Set.copyOf(prior);
    }

    public static FeedView absent(String objectKey) {
        return new FeedView(objectKey, false, Set.of(), Set.of(), 0, 0, false);
    }

    public static String keyOf(RosterCollection collection, String id) {
        return collection.id() + "#" + id;
    }

    public static String keyOf(RosterObject object) {
        return keyOf(object.collection(), object.id());
    }

    /**
     * Whether the stream has judged this change (or a later one) already: its revision is not above
     * the view's. A change at the revision of a delete judged before is the object written again
     * within the same millisecond, which is new. Revision 0 (written before revisions) is always new.
     */
    boolean judged(long changeRevision, boolean createsOrKeeps) {
        if (!stored || changeRevision == 0) {
            return false;
        }
        if (changeRevision == revision) {
            return !(gone && createsOrKeeps);
        }
        return changeRevision < revision;
    }
}
