package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.json.JsonStringBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The one writer of Edlink's envelope: {@code $request} with {@code $data} or {@code $errors}. */
public final class EdlinkEnvelope {
    private EdlinkEnvelope() {}

    /**
     * A reply in its envelope. The body is written once, straight into the form the response's JSON
     * carries it in (a list page's items as they were written to measure them), byte for byte what
     * writing the envelope's tree and escaping it as the response's string would give.
     */
    public static APIGatewayV2HTTPResponse data(String requestId, Reply reply) {
        PageItems items = reply.items();
        JsonStringBytes body = new JsonStringBytes(items == null ? 512 : items.length() + 512);
        try (JsonGenerator json = Json.sequence(body)) {
            json.writeStartObject();
            json.writeStringField("$request", requestId);
            json.writeFieldName("$data");
            if (items != null) {
                json.writeStartArray();
                json.flush();
                items.writeTo(body);
                json.writeEndArray();
            } else if (reply.data() == null) {
                json.writeNull();
            } else {
                Json.write(reply.data(), json);
            }
            if (reply.next() != null) {
                json.writeStringField("$next", reply.next());
            }
            if (reply.warnings() != null && !reply.warnings().isEmpty()) {
                json.writeFieldName("$warnings");
                Json.write(ErrorDetail.toJson(reply.warnings()), json);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EscapedBodyResponse(reply.status(), headers(Map.of()), body);
    }

    public static APIGatewayV2HTTPResponse error(
            String requestId, ServiceException failure, Map<String, String> headers) {
        ObjectNode body = Json.object();
        body.put("$request", requestId);
        body.set("$errors", ErrorDetail.toJson(failure.details()));
        return respond(Statuses.of(failure.failure()), body, headers);
    }

    static APIGatewayV2HTTPResponse respond(int status, JsonNode body, Map<String, String> extraHeaders) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers(extraHeaders))
                .withBody(Json.write(body))
                .withIsBase64Encoded(false)
                .build();
    }

    private static Map<String, String> headers(Map<String, String> extraHeaders) {
        var headers = new HashMap<String, String>();
        headers.put("content-type", "application/json; charset=utf-8");
        headers.putAll(extraHeaders);
        return headers;
    }
}
