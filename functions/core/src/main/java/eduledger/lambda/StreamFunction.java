package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A function triggered by the roster table's stream. As with {@link eduledger.lambda.HttpFunction},
 * Lambda calls the stream method, which reads the batch with {@link StreamEventJson} instead of
 * the runtime's serializer; tests and the local runner call the typed method.
 */
public interface StreamFunction extends RequestHandler<DynamodbEvent, StreamsEventResponse>, RequestStreamHandler {

    @Override
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StreamEventJson.write(handleRequest(StreamEventJson.read(input), context), output);
    }
}
