package eduledger.testing;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.harness.LambdaEvents;
import eduledger.lambda.StreamFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One batch of stream records handed to a function as Lambda hands it: the batch's JSON through the
 * function's byte entry, and the response read back from the JSON the function wrote.
 */
public final class StreamCall {
    private StreamCall() {}

    public static StreamsEventResponse send(StreamFunction function, DynamodbEvent batch) {
        byte[] event = LambdaEvents.toJson(batch, DynamodbEvent.class).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(event), response, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return LambdaEvents.fromJson(response.toString(StandardCharsets.UTF_8), StreamsEventResponse.class);
    }
}
