package eduledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;

/** A handler's response, read only as far as a benchmark checks it: the status always, the body on demand. */
record ApiResult(int status, String body) {

    /** Invokes {@code function}; a status other than {@code expected} stops the benchmark, as its figures would be wrong. */
    static ApiResult invoke(LocalFunction function, APIGatewayV2HTTPEvent request, int expected) {
        APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) function.invoke(request);
        ApiResult result = new ApiResult(response.getStatusCode(), response.getBody());
        if (result.status() != expected) {
            throw new IllegalStateException(request.getRouteKey() + " answered " + result.status()
                    + " (expected " + expected + "): " + result.body());
        }
        return result;
    }

    JsonNode data() {
        return Json.readStored(body).path("$data");
    }
}
