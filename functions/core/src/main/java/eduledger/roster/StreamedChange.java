package eduledger.roster;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import eduledger.storage.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A roster table stream record, read: the only place stream images (the events library's
 * AttributeValue) become SDK v2 attribute values and then roster objects.
 *
 * @param itemKey the changed item's partition key: records of one item must be handled in order
 * @param before  the object before the change (empty for an INSERT or a non-object item)
 * @param after   the object after the change (empty for a REMOVE or a non-object item)
 */
public record StreamedChange(String recordId, String sequenceNumber, String itemKey, String eventName,
                             Optional<RosterObject> before, Optional<RosterObject> after, Instant time) {

    /** @throws IllegalArgumentException when the record is not a roster change this service can read */
    public static StreamedChange read(DynamodbEvent.DynamodbStreamRecord record) {
        var stream = record.getDynamodb();
        if (stream == null || stream.getKeys() == null) {
            throw new IllegalArgumentException("stream record " + record.getEventID() + " has no keys");
        }
        Map<String, AttributeValue> keys = DynamodbAttributeValueTransformer.toAttributeValueMapV2(stream.getKeys());
        AttributeValue pk = keys.get(Keys.PK);
        Optional<RosterObject> before = image(stream.getOldImage());
        Optional<RosterObject> after = image(stream.getNewImage());
        Instant time = writtenAt(stream.getNewImage())
                .or(() -> writtenAt(stream.getOldImage()))
                .orElseGet(() -> stream.getApproximateCreationDateTime() == null ? Instant.now()
                        : stream.getApproximateCreationDateTime().toInstant());
        return new StreamedChange(record.getEventID(), stream.getSequenceNumber(), pk == null ? null : pk.s(),
                record.getEventName(), before, after, time);
    }

    public boolean isRosterObject() {
        return Keys.isRosterObject(itemKey);
    }

    /** A write that changed the stored provenance but not the object (a delete stamping who deletes). */
    public boolean changesNoObject() {
        return before.isPresent() && after.isPresent() && before.get().data().equals(after.get().data());
    }

    public RosterObject object() {
        return after.or(() -> before).orElseThrow(() -> new IllegalArgumentException(
                "stream record " + recordId + " of " + itemKey + " has neither image"));
    }

    /** Provenance of the change: the new image's, or for a delete the old image's (the delete stamped it). */
    public SourceWrite sourceWrite() {
        return object().sourceWrite();
    }

    private static Optional<Instant> writtenAt(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        var value = image == null ? null : image.get(RosterStore.WRITTEN_AT);
        return value == null || value.getN() == null ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(Long.parseLong(value.getN())));
    }

    private static Optional<RosterObject> image(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null || image.isEmpty()) {
            return Optional.empty();
        }
        return RosterStore.fromItem(DynamodbAttributeValueTransformer.toAttributeValueMapV2(image));
    }
}
