package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a router renders failures: the API a route belongs to decides, because clients parse errors
 * with the same code they parse data with. The status always comes from {@link Failure}.
 */
public enum ResponseStyle {
    /** {@code {"$request": "...", "$errors": [{"code", "message", "path"?}]}} */
    EDLINK {
        @Override
        APIGatewayV2HTTPResponse error(String requestId, ServiceException failure, Map<String, String> headers) {
            return EdlinkEnvelope.error(requestId, failure, withAllow(failure, headers));
        }

        @Override
        Set<String> ownParameters() {
            return Set.of();
        }

        @Override
        String authorization(ApiRequest request) {
            return request.header("authorization");
        }
    },
    /** Canvas: {@code {"errors": [{"message": "..."}]}}; the request id travels in a header instead. */
    CANVAS {
        @Override
        APIGatewayV2HTTPResponse error(String requestId, ServiceException failure, Map<String, String> headers) {
            ObjectNode body = Json.object();
            ArrayNode errors = body.putArray("errors");
            failure.details().forEach(detail -> errors.addObject().put("message", detail.message()));
            Map<String, String> withRequestId = withAllow(failure, headers);
            withRequestId.put("x-request-id", requestId);
            return EdlinkEnvelope.respond(Statuses.of(failure.failure()), body, withRequestId);
        }

        @Override
        Set<String> ownParameters() {
            return Set.of(ACCESS_TOKEN);
        }

        /** Canvas takes the token in the {@code Authorization} header or as {@code access_token}. */
        @Override
        String authorization(ApiRequest request) {
            String header = request.header("authorization");
            String token = request.query(ACCESS_TOKEN);
            return header == null && token != null && !token.isBlank() ? "Bearer " + token : header;
        }
    };

    static final String ACCESS_TOKEN = "access_token";

    abstract APIGatewayV2HTTPResponse error(String requestId, ServiceException failure, Map<String, String> headers);

    /** Query parameters every route of this API takes besides its own. */
    abstract Set<String> ownParameters();

    /** The {@code Authorization} value the caller presented, wherever this API lets it travel. */
    abstract String authorization(ApiRequest request);

    /** Canvas's routes live under {@code /api/v1/}; every other path is Edlink's. */
    static ResponseStyle forPath(String path) {
        return path != null && path.startsWith("/api/v1/") && !path.startsWith("/api/v1/integrations")
                ? CANVAS
                : EDLINK;
    }

    private static Map<String, String> withAllow(ServiceException failure, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        if (failure instanceof RoutePaths.MethodNotAllowed notAllowed) {
            all.put("allow", notAllowed.allowHeader());
        }
        return all;
    }
}
