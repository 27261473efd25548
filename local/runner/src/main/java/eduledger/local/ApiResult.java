package eduledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A handler's response, read only as far as a benchmark checks it: the status always, the body on demand. */
record ApiResult(int status, String body) {
    private static final ObjectMapper RESPONSES = new ObjectMapper();

    /**
     * Invokes {@code function} through the entry Lambda calls; a status other than {@code expected} stops the
     * benchmark, as its figures would be wrong.
     */
    static ApiResult invoke(LocalFunction function, HttpApiEvent request, int expected) {
        JsonNode response;
        try {
            // Not Json's mapper: the body is one string as long as the page, beyond its bound on strings.
            response = RESPONSES.readTree(function.invoke(request.bytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ApiResult result = new ApiResult(
                response.path("statusCode").asInt(), response.path("body").asText(null));
        if (result.status() != expected) {
            throw new IllegalStateException(request.routeKey() + " answered " + result.status() + " (expected "
                    + expected + "): " + result.body());
        }
        return result;
    }

    JsonNode data() {
        return Json.readStored(body).path("$data");
    }
}
