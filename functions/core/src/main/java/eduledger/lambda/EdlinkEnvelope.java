package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.util.List;
import java.util.Map;

/** The one writer of Edlink's envelope: {@code $request} with {@code $data} or {@code $errors}. */
public final class EdlinkEnvelope {
    private EdlinkEnvelope() {}

    public static APIGatewayV2HTTPResponse data(
            int status, String requestId, JsonNode data, List<ErrorDetail> warnings, String next) {
        ObjectNode body = Json.object();
        body.put("$request", requestId);
        body.set("$data", data);
        if (next != null) {
            body.put("$next", next);
        }
        if (warnings != null && !warnings.isEmpty()) {
            body.set("$warnings", ErrorDetail.toJson(warnings));
        }
        return respond(status, body, Map.of());
    }

    public static APIGatewayV2HTTPResponse error(
            String requestId, ServiceException failure, Map<String, String> headers) {
        ObjectNode body = Json.object();
        body.put("$request", requestId);
        body.set("$errors", ErrorDetail.toJson(failure.details()));
        return respond(Statuses.of(failure.failure()), body, headers);
    }

    static APIGatewayV2HTTPResponse respond(int status, JsonNode body, Map<String, String> extraHeaders) {
        var headers = new java.util.HashMap<String, String>();
        headers.put("content-type", "application/json; charset=utf-8");
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(Json.write(body))
                .withIsBase64Encoded(false)
                .build();
    }
}
