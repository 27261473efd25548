package eduledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;

import java.nio.charset.StandardCharsets;

/** A handler's response, read only as far as a benchmark checks it: the status always, the body on demand. */
record ApiResult(int status, String body) {

    /**
     * Invokes {@code function} through the entry Lambda calls; a status other than {@code expected} stops the
     * benchmark, as its figures would be wrong.
     */
    static ApiResult invoke(LocalFunction function, HttpApiEvent request, int expected) {
        JsonNode response = Json.readStored(new String(function.invoke(request.bytes()), StandardCharsets.UTF_8));
        ApiResult result = new ApiResult(response.path("statusCode").asInt(), response.path("body").asText(null));
        if (result.status() != expected) {
            throw new IllegalStateException(request.routeKey() + " answered " + result.status()
                    + " (expected " + expected + "): " + result.body());
        }
        return result;
    }

    JsonNode data() {
        return Json.readStored(body).path("$data");
    }
}
