package eduledger.graph;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.roster.RosterCollection;
import java.time.Instant;

/**
 * A graph event that has been decided but not written. It has no id yet: the id is taken only when
 * the request that stores it is sent, which the feed's ordering rests on (see {@link GraphKeys}).
 *
 * @param markerId the delivery marker of its source (a stream record, or one object's sharing change),
 *                 shared by the source's events of every integration: it lists the integrations they
 *                 were written for, so an event whose integration is listed was written before
 */
public record PendingGraphEvent(
        String integrationId,
        RosterCollection collection,
        String action,
        String objectId,
        JsonNode data,
        String markerId) {

    GraphEvent withId(String id, Instant now) {
        return new GraphEvent(
                id, integrationId, GraphFeed.type(collection, action), collection.objectType(), objectId, now, data);
    }
}
