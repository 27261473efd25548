package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.json.JsonBytes;
import eduledger.json.JsonStringBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/** The one writer of Edlink's envelope: {@code $request} with {@code $data} or {@code $errors}. */
public final class EdlinkEnvelope {
    private EdlinkEnvelope() {}

    /**
     * A reply in its envelope. The body is written once, straight into the form the response's JSON
     * carries it in: a list page's as its UTF-8 bytes (its items as they were written to measure
     * them), which travel base64-encoded; any other as the response's escaped string, byte for byte
     * what writing the envelope's tree and escaping it would give.
     */
    public static APIGatewayV2HTTPResponse data(String requestId, Reply reply) {
        PageItems items = reply.items();
        if (items != null) {
            JsonBytes body = new JsonBytes(items.length() + 512);
            write(requestId, reply, body);
            return new EncodedBodyResponse(reply.status(), headers(Map.of()), body);
        }
        JsonStringBytes body = new JsonStringBytes(512);
        write(requestId, reply, body);
        return new EscapedBodyResponse(reply.status(), headers(Map.of()), body);
    }

    private static void write(String requestId, Reply reply, Writer body) {
        try (JsonGenerator json = Json.sequence(body)) {
            json.writeStartObject();
            json.writeStringField("$request", requestId);
            json.writeFieldName("$data");
            if (reply.items() != null && body instanceof JsonBytes bytes) {
                json.writeStartArray();
                json.flush();
                reply.items().writeTo(bytes);
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
