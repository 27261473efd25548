package eduledger.roster;

import eduledger.storage.Keys;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A roster table stream record, read: its images become roster objects here, and only here.
 *
 * @param itemKey the changed item's partition key: records of one item must be handled in order
 * @param before  the object before the change (empty for an INSERT or a non-object item)
 * @param after   the object after the change (empty for a REMOVE or a non-object item)
 * @param revision the item's revision after the change; for a REMOVE the one its delete stamped
 */
public record StreamedChange(
        String recordId,
        String sequenceNumber,
        String itemKey,
        String eventName,
        Optional<RosterObject> before,
        Optional<RosterObject> after,
        Instant time,
        long revision) {

    /**
     * A change from the stream record's parts, its images as SDK attribute values.
     *
     * @param approximateTime when the stream saw the change, if it says; used only when neither image
     *                        carries the time the service wrote it
     * @throws IllegalArgumentException when the record is not a roster change this service can read
     */
    public static StreamedChange of(
            String recordId,
            String sequenceNumber,
            String eventName,
            Map<String, AttributeValue> keys,
            Map<String, AttributeValue> oldImage,
            Map<String, AttributeValue> newImage,
            Instant approximateTime) {
        if (keys == null) {
            throw new IllegalArgumentException("stream record " + recordId + " has no keys");
        }
        AttributeValue pk = keys.get(Keys.PK);
        Instant time = writtenAt(newImage)
                .or(() -> writtenAt(oldImage))
                .orElseGet(() -> approximateTime == null ? Instant.now() : approximateTime);
        return new StreamedChange(
                recordId,
                sequenceNumber,
                pk == null ? null : pk.s(),
                eventName,
                image(oldImage),
                image(newImage),
                time,
                RosterStore.revision(newImage != null && !newImage.isEmpty() ? newImage : oldImage));
    }

    public boolean isRosterObject() {
        return RosterKeys.isRosterObject(itemKey);
    }

    /**
     * A write that changed the stored provenance but neither the object nor where it sits (a delete
     * stamping who deletes). A write that only moves the object in the organization tree (its
     * organization, or one above it, moved) is a change: it can bring the object into or out of view.
     */
    public boolean changesNoObject() {
        return before.isPresent()
                && after.isPresent()
                && before.get().data().equals(after.get().data())
                && before.get().path().equals(after.get().path());
    }

    /** The change removed the item. */
    public boolean removes() {
        return after.isEmpty();
    }

    public RosterObject object() {
        return after.or(() -> before)
                .orElseThrow(() -> new IllegalArgumentException(
                        "stream record " + recordId + " of " + itemKey + " has neither image"));
    }

    /** Provenance of the change: the new image's, or for a delete the old image's (the delete stamped it). */
    public SourceWrite sourceWrite() {
        return object().sourceWrite();
    }

    private static Optional<Instant> writtenAt(Map<String, AttributeValue> image) {
        AttributeValue value = image == null ? null : image.get(RosterStore.WRITTEN_AT);
        return value == null || value.n() == null
                ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(Long.parseLong(value.n())));
    }

    private static Optional<RosterObject> image(Map<String, AttributeValue> image) {
        return image == null || image.isEmpty() ? Optional.empty() : RosterStore.fromItem(image);
    }
}
