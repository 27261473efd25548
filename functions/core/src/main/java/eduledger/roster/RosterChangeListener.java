package eduledger.roster;

import java.util.Set;

/**
 * Something that derives its own records from roster changes. The change-stream function calls
 * every listener once per change, in stream order per object, with the integrations the object is
 * visible to; a redelivered stream record calls it again with an equal change, so a listener must
 * be idempotent.
 */
public interface RosterChangeListener {
    void onChange(RosterChange change, Set<String> visibleToIntegrationIds);
}
