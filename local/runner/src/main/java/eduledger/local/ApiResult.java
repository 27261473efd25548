package eduledger.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A handler's response as the function wrote it: the status read at once, the body only on demand.
 * A timed call reads no further than the status, as what API Gateway does with the rest is not the
 * function's work.
 */
final class ApiResult {
    // Not Json's limits: the body is one string as long as the page, beyond its bound on strings.
    private static final JsonFactory RESPONSES = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private final byte[] response;
    private final int status;

    private ApiResult(byte[] response, int status) {
        this.response = response;
        this.status = status;
    }

    /**
     * Invokes {@code function} through the entry Lambda calls; a status other than {@code expected} stops the
     * benchmark, as its figures would be wrong.
     */
    static ApiResult invoke(LocalFunction function, HttpApiEvent request, int expected) {
        return invoke(function, request.routeKey(), request.bytes(), expected);
    }

    /**
     * As {@link #invoke(LocalFunction, HttpApiEvent, int)} with the event already made JSON, as Lambda
     * hands it over: a timed call leaves writing the event to whoever sends it, as API Gateway does.
     */
    static ApiResult invoke(LocalFunction function, String routeKey, byte[] event, int expected) {
        byte[] response = function.invoke(event);
        ApiResult result = new ApiResult(response, field(response, "statusCode", JsonParser::getIntValue, -1));
        if (result.status != expected) {
            throw new IllegalStateException(
                    routeKey + " answered " + result.status + " (expected " + expected + "): " + result.body());
        }
        return result;
    }

    int status() {
        return status;
    }

    /** The body as API Gateway hands it to the client: decoded when it travels base64-encoded. */
    String body() {
        String body = field(response, "body", JsonParser::getText, null);
        if (body != null && field(response, "isBase64Encoded", JsonParser::getBooleanValue, false)) {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return body;
    }

    JsonNode data() {
        return Json.readStored(body()).path("$data");
    }

    private interface Value<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** One top-level field of the response, read as far as it and no further. */
    private static <T> T field(byte[] response, String name, Value<T> value, T absent) {
        try (JsonParser parser = RESPONSES.createParser(response)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("a function's response is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals(name)) {
                    return value.read(parser);
                }
                parser.skipChildren();
            }
            return absent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
