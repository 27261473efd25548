package eduledger.roster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One change of a roster object, as the roster table's stream reported it.
 *
 * @param collection     the object's collection
 * @param objectId       the object's id
 * @param oldObject      the object before the change; null when it was created
 * @param newObject      the object after the change; null when it was deleted
 * @param sourceWrite    who made the change and how (for a delete: the delete's own provenance)
 * @param streamRecordId the stream record's eventID: stable across redeliveries, for deduplication
 * @param time           when the change was made (the record's approximate creation time)
 */
public record RosterChange(
        RosterCollection collection,
        String objectId,
        JsonNode oldObject,
        JsonNode newObject,
        SourceWrite sourceWrite,
        String streamRecordId,
        Instant time) {}
