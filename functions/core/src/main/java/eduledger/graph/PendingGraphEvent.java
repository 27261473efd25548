package eduledger.graph;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.roster.RosterCollection;
import java.time.Instant;

/**
 * A graph event that has been decided but not written. It has no id yet: the id is taken only when
 * the request that stores it is sent, which the feed's ordering rests on (see {@link GraphKeys}).
 */
public record PendingGraphEvent(
        String integrationId, RosterCollection collection, String action, String objectId, JsonNode data) {

    GraphEvent withId(String id, Instant now) {
        return new GraphEvent(
                id, integrationId, GraphFeed.type(collection, action), collection.objectType(), objectId, now, data);
    }

    /** Whether the integration's feed shows the object once this event is written. */
    boolean shows() {
        return !action.equals(GraphFeed.DELETED);
    }
}
