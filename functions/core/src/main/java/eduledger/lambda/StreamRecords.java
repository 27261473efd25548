package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.metrics.Counts;
import eduledger.roster.ChangeRecord;
import eduledger.roster.StreamedChange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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

    /**
     * The image as the SDK's attribute values, as the events library's own transformer makes them
     * (empty sets become absent ones, an empty list stays a list), in plain loops: the transformer's
     * streams and lambdas are a cost of every cold start's first batch.
     */
    static Map<String, AttributeValue> sdk(
            Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, AttributeValue> converted = new HashMap<>(image.size() * 2);
        for (var entry : image.entrySet()) {
            converted.put(entry.getKey(), sdk(entry.getValue()));
        }
        return converted;
    }

    private static AttributeValue sdk(
            com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue value) {
        if (value.getS() != null) {
            return AttributeValue.builder().s(value.getS()).build();
        }
        if (value.getSS() != null) {
            return AttributeValue.builder()
                    .ss(value.getSS().isEmpty() ? null : value.getSS())
                    .build();
        }
        if (value.getN() != null) {
            return AttributeValue.builder().n(value.getN()).build();
        }
        if (value.getNS() != null) {
            return AttributeValue.builder()
                    .ns(value.getNS().isEmpty() ? null : value.getNS())
                    .build();
        }
        if (value.getB() != null) {
            return AttributeValue.builder()
                    .b(SdkBytes.fromByteBuffer(value.getB()))
                    .build();
        }
        if (value.getBS() != null) {
            List<SdkBytes> bytes = null;
            if (!value.getBS().isEmpty()) {
                bytes = new ArrayList<>(value.getBS().size());
                for (ByteBuffer buffer : value.getBS()) {
                    bytes.add(SdkBytes.fromByteBuffer(buffer));
                }
            }
            return AttributeValue.builder().bs(bytes).build();
        }
        if (value.getBOOL() != null) {
            return AttributeValue.builder().bool(value.getBOOL()).build();
        }
        if (value.getL() != null) {
            List<AttributeValue> list = new ArrayList<>(value.getL().size());
            for (var element : value.getL()) {
                list.add(sdk(element));
            }
            return AttributeValue.builder().l(list).build();
        }
        if (value.getM() != null) {
            return AttributeValue.builder().m(sdk(value.getM())).build();
        }
        if (value.getNULL() != null) {
            return AttributeValue.builder().nul(value.getNULL()).build();
        }
        throw new IllegalArgumentException("Unsupported AttributeValue type: " + value);
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
