package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.transformers.v2.dynamodb.DynamodbAttributeValueTransformer;
import eduledger.metrics.Counts;
import eduledger.roster.ChangeRecord;
import eduledger.roster.StreamedChange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The roster stream's batches as Lambda delivers them, and the answer Lambda takes back: the only
 * place the events library's attribute values become the SDK's.
 */
public final class StreamRecords {
    private StreamRecords() {}

    public static List<ChangeRecord> of(DynamodbEvent event) {
        return event.getRecords().stream().<ChangeRecord>map(Delivered::new).toList();
    }

    /** Applies a batch and logs one line for it, with the counts the work reported. */
    public static StreamsEventResponse handle(
            DynamodbEvent event, Context context, Function<List<ChangeRecord>, Optional<String>> apply) {
        long started = System.nanoTime();
        List<ChangeRecord> records = of(event);
        Optional<String> firstFailed;
        Map<String, Long> counts;
        try (Counts.Tally tally = Counts.open()) {
            firstFailed = apply.apply(records);
            counts = tally.values();
        }
        Telemetry.batch(
                context,
                records.size(),
                firstFailed.orElse(null),
                (System.nanoTime() - started) / 1_000_000,
                counts,
                records.size() == 1 && Telemetry.PRIMING.equals(records.get(0).id()));
        return response(firstFailed);
    }

    /** Lambda resumes the shard from the reported sequence number; no failures, and it moves on. */
    public static StreamsEventResponse response(Optional<String> firstFailed) {
        return new StreamsEventResponse(firstFailed
                .map(sequence -> List.of(new StreamsEventResponse.BatchItemFailure(sequence)))
                .orElse(List.of()));
    }

    /** @throws IllegalArgumentException when the record is not a roster change this service can read */
    public static StreamedChange read(DynamodbEvent.DynamodbStreamRecord record) {
        var stream = record.getDynamodb();
        if (stream == null) {
            return StreamedChange.of(record.getEventID(), null, record.getEventName(), null, null, null, null);
        }
        return StreamedChange.of(
                record.getEventID(),
                stream.getSequenceNumber(),
                record.getEventName(),
                sdk(stream.getKeys()),
                sdk(stream.getOldImage()),
                sdk(stream.getNewImage()),
                stream.getApproximateCreationDateTime() == null
                        ? null
                        : stream.getApproximateCreationDateTime().toInstant());
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> sdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        return image == null ? null : DynamodbAttributeValueTransformer.toAttributeValueMapV2(image);
    }

    private record Delivered(DynamodbEvent.DynamodbStreamRecord record) implements ChangeRecord {
        @Override
        public String id() {
            return record.getEventID();
        }

        @Override
        public String sequenceNumber() {
            return record.getDynamodb() == null
                    ? record.getEventID()
                    : record.getDynamodb().getSequenceNumber();
        }

        @Override
        public StreamedChange read() {
            return StreamRecords.read(record);
        }
    }
}
