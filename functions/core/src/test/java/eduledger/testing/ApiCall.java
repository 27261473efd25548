package eduledger.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import eduledger.lambda.HttpEventJson;
import eduledger.lambda.HttpFunction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request to a function, sent as Lambda sends it: the event's JSON through the function's byte
 * entry, and the response read back from the JSON the function wrote.
 */
public final class ApiCall {
    private static final ObjectMapper RESPONSES = new ObjectMapper();

    private final HttpApiEvent event;

    private ApiCall(HttpApiEvent event) {
        this.event = event.header("host", "api.test").header("x-forwarded-proto", "https");
    }

    /** A request to the route {@code "GET /api/v2/audit/schemas/{identifier}"}. */
    public static ApiCall to(String routeKey) {
        return new ApiCall(HttpApiEvent.to(routeKey));
    }

    /** The request a {@code $next} URL names, on the route it belongs to. */
    public static ApiCall follow(String routeKey, String url) {
        ApiCall call = to(routeKey);
        String rawQuery = URI.create(url).getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                call.query(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return call;
    }

    public ApiCall path(String name, String value) {
        event.path(name, value);
        return this;
    }

    public ApiCall query(String name, String value) {
        event.query(name, value);
        return this;
    }

    public ApiCall header(String name, String value) {
        event.header(name, value);
        return this;
    }

    public ApiCall token(String token) {
        return header("authorization", "Bearer " + token);
    }

    public ApiCall body(String json) {
        event.body(json);
        return this;
    }

    public ApiCall body(JsonNode json) {
        return body(Json.write(json));
    }

    /** The event as a function reads it from the JSON. */
    public APIGatewayV2HTTPEvent event() {
        try {
            return HttpEventJson.read(new ByteArrayInputStream(event.bytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the request through the function's byte entry and reads the response. */
    public Response send(HttpFunction function) {
        JsonNode response = readResponse(event.sendTo(function));
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers")
                .fields()
                .forEachRemaining(
                        header -> headers.put(header.getKey(), header.getValue().asText()));
        String body = bodyOf(response);
        return new Response(
                response.path("statusCode").asInt(), headers, body.isEmpty() ? null : Json.readStored(body));
    }

    /** Sends the request as {@link #send} does; the response's body exactly as the client receives it. */
    public String sendForBody(HttpFunction function) {
        return bodyOf(readResponse(event.sendTo(function)));
    }

    /** A Lambda response's body as API Gateway hands it to the client: decoded when it travels base64-encoded. */
    public static String bodyOf(JsonNode response) {
        return asClientReceives(
                response.path("body").asText(""),
                response.path("isBase64Encoded").asBoolean());
    }

    /** The same for a response a handler returned; null when it has no body. */
    public static String bodyOf(APIGatewayV2HTTPResponse response) {
        return response.getBody() == null ? null : asClientReceives(response.getBody(), response.getIsBase64Encoded());
    }

    private static String asClientReceives(String body, boolean base64) {
        return base64 ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    /**
     * The response as Lambda holds it: its body is one string, as long as the page it carries, so it
     * is read without the bound that {@link Json} puts on strings in request bodies.
     */
    static JsonNode readResponse(byte[] json) {
        try {
            return RESPONSES.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Response(int status, Map<String, String> headers, JsonNode body) {
        public JsonNode data() {
            return body.path("$data");
        }

        public String firstErrorCode() {
            return body.path("$errors").path(0).path("code").asText(null);
        }

        public String next() {
            return body.path("$next").asText(null);
        }
    }
}
