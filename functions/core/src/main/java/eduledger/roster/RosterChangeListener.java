package eduledger.roster;

import eduledger.runtime.Services;

import java.util.Set;

/**
 * Told about every change of a course after the change stream has turned it into graph events.
 * A listener must be idempotent: a stream record can be delivered more than once, and a failure
 * thrown from {@link #onChange} makes the record fail and be delivered again (graph events it
 * already produced are not duplicated).
 */
public interface RosterChangeListener {

    /**
     * @param change                  the change, with the provenance of the write that made it
     * @param visibleToIntegrationIds the integrations that can see the course before or after the change
     */
    void onChange(RosterChange change, Set<String> visibleToIntegrationIds);

    /** Registered in {@code META-INF/services/eduledger.roster.RosterChangeListener$Provider}. */
    interface Provider {
        RosterChangeListener create(Services services);
    }
}
