package eduledger.roster;

/**
 * Told about every roster change after the change stream has turned it into graph events.
 * A listener must be idempotent: a stream record can be delivered more than once, and a failure
 * thrown from {@link #onChange} makes the record fail and be delivered again (graph events it
 * already produced are not duplicated).
 */
public interface RosterChangeListener {

    /**
     * @param change   the change, with the provenance of the write that made it
     * @param audience the integrations that can see the object before the change and after it: one
     *                 that sees it only before must be told it left, and nothing of what it became
     */
    void onChange(RosterChange change, Audience audience);
}
