package eduledger.roster;

import java.util.Set;

/**
 * Told about every roster change after the change stream has turned it into graph events.
 * A listener must be idempotent: a stream record can be delivered more than once, and a failure
 * thrown from {@link #onChange} makes the record fail and be delivered again (graph events it
 * already produced are not duplicated).
 */
public interface RosterChangeListener {

    /**
     * @param change                  the change, with the provenance of the write that made it
     * @param visibleToIntegrationIds the integrations that can see the object before or after the change
     */
    void onChange(RosterChange change, Set<String> visibleToIntegrationIds);
}
