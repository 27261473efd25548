package eduledger.roster;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One change of one roster object, as the roster table's stream reported it.
 *
 * @param collection the roster collection, e.g. {@code courses} or {@code organizations}
 * @param objectId   the object's id within its collection
 * @param oldObject  the object before the change; null when it was inserted
 * @param newObject  the object after the change; null when it was deleted
 * @param write      the source write that made the change (provenance)
 * @param recordId   the stream record's eventID: the same on every redelivery of the record
 * @param time       when the change happened (the record's approximate creation time)
 */
public record RosterChange(String collection, String objectId, JsonNode oldObject, JsonNode newObject,
                           SourceWrite write, String recordId, Instant time) {
}
