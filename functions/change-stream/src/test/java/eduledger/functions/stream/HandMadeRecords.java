package eduledger.functions.stream;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/**
 * Stream records made by hand rather than read from the engine's stream, for tests that must choose
 * exactly which changes a batch holds and in what order; sequence numbers rise across all of them.
 */
final class HandMadeRecords {
    private static final AtomicLong SEQUENCE = new AtomicLong(1_000_000);

    private HandMadeRecords() {}

    /** A change of the item {@code before} into {@code after}; either is null for an insert or a removal. */
    static Record record(OperationType type, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Map<String, AttributeValue> image = after != null ? after : before;
        StreamRecord.Builder stream = StreamRecord.builder()
                .approximateCreationDateTime(Instant.now())
                .keys(Map.of("pk", image.get("pk"), "sk", image.get("sk")))
                .sequenceNumber(String.format("%021d", SEQUENCE.incrementAndGet()))
                .sizeBytes(100L)
                .streamViewType("NEW_AND_OLD_IMAGES");
        if (before != null) {
            stream.oldImage(before);
        }
        if (after != null) {
            stream.newImage(after);
        }
        return Record.builder()
                .eventID(UUID.randomUUID().toString())
                .eventName(type)
                .awsRegion("us-east-1")
                .dynamodb(stream.build())
                .build();
    }
}
