package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.util.Map;

/**
 * How a router renders failures: the API a route belongs to decides, because clients parse errors
 * with the same code they parse data with. The status always comes from {@link Failure}.
 */
public enum ResponseStyle {
    /** {@code {"$request": "...", "$errors": [{"code", "message", "path"?}]}} */
    EDLINK {
        @Override
        APIGatewayV2HTTPResponse error(String requestId, ServiceException failure, Map<String, String> headers) {
            return EdlinkEnvelope.error(requestId, failure, headers);
        }
    },
    /** Canvas: {@code {"errors": [{"message": "..."}]}}; the request id travels in a header instead. */
    CANVAS {
        @Override
        APIGatewayV2HTTPResponse error(String requestId, ServiceException failure, Map<String, String> headers) {
            ObjectNode body = Json.object();
            ArrayNode errors = body.putArray("errors");
            failure.details().forEach(detail -> errors.addObject().put("message", detail.message()));
            var withRequestId = new java.util.HashMap<>(headers);
            withRequestId.put("x-request-id", requestId);
            return EdlinkEnvelope.respond(Statuses.of(failure.failure()), body, withRequestId);
        }
    };

    abstract APIGatewayV2HTTPResponse error(String requestId, ServiceException failure, Map<String, String> headers);
}
