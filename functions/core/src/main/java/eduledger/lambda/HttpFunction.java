package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A function behind the HTTP API. Lambda calls the stream method: for {@code Class::handleRequest}
 * the Java runtime prefers the {@code (InputStream, OutputStream, Context)} overload over the typed
 * one, and with no method named it checks for {@link RequestStreamHandler} first. So the event is
 * read by {@link HttpEventJson}, not by the runtime's own serializer, which is what a cold start
 * saves. The local runner, the bench and the tests call the stream method too, with the event's
 * JSON, so that what they exercise is what Lambda runs.
 */
public interface HttpFunction
        extends RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, RequestStreamHandler {

    @Override
    default void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        HttpEventJson.write(handleRequest(HttpEventJson.read(input), context), output);
    }
}
