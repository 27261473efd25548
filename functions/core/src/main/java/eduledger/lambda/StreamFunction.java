package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.storage.Keys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A function triggered by the roster table's stream. As with {@link eduledger.lambda.HttpFunction},
 * Lambda calls the stream method, which reads the batch with {@link StreamEventJson} instead of
 * the runtime's serializer; the local runner, the bench and the tests call it too, with the batch's
 * JSON, so that what they exercise is what Lambda runs.
 */
public interface StreamFunction extends RequestHandler<DynamodbEvent, StreamsEventResponse>, RequestStreamHandler {

    @Override
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamEventJson.write(handleRequest(StreamEventJson.read(input), context), output);
    }

    /**
     * Sends a record of an item that is no roster object through the entry Lambda calls: reading the
     * batch and writing the response are warmed, the record is read and passed over, nothing is written.
     *
     * @return the response as Lambda would receive it
     */
    default String sendPrimingBatch() {
        String key = "{\"S\":\"PRIMING\"}";
        String batch = "{\"Records\":[{\"eventID\":\"" + Telemetry.PRIMING
                + "\",\"eventName\":\"INSERT\",\"dynamodb\":{"
                + "\"SequenceNumber\":\"0\",\"Keys\":{\"" + Keys.PK + "\":" + key + ",\"" + Keys.SK + "\":" + key
                + "}}}]}";
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            handleRequest(new ByteArrayInputStream(batch.getBytes(StandardCharsets.UTF_8)), response, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.toString(StandardCharsets.UTF_8);
    }
}
