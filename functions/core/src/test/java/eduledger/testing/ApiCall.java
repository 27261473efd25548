package eduledger.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.harness.LambdaEvents;
import eduledger.json.Json;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds the API Gateway HTTP API (payload 2.0) event for one request, as JSON turned into the
 * event object the way the Lambda runtime does it, and reads the handler's response.
 */
public final class ApiCall {
    private final String method;
    private final String routePath;
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;

    private ApiCall(String method, String routePath) {
        this.method = method;
        this.routePath = routePath;
        headers.put("host", "api.test");
        headers.put("x-forwarded-proto", "https");
    }

    /** A request to the route {@code "GET /api/v2/audit/schemas/{identifier}"}. */
    public static ApiCall to(String routeKey) {
        int space = routeKey.indexOf(' ');
        return new ApiCall(routeKey.substring(0, space), routeKey.substring(space + 1));
    }

    /** The request a {@code $next} URL names, on the route it belongs to. */
    public static ApiCall follow(String routeKey, String url) {
        ApiCall call = to(routeKey);
        String rawQuery = URI.create(url).getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                call.query(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return call;
    }

    public ApiCall path(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public ApiCall query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public ApiCall header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    public ApiCall token(String token) {
        return header("authorization", "Bearer " + token);
    }

    public ApiCall body(String json) {
        this.body = json;
        return this;
    }

    public ApiCall body(JsonNode json) {
        return body(Json.write(json));
    }

    public APIGatewayV2HTTPEvent event() {
        String rawPath = routePath;
        for (var parameter : pathParameters.entrySet()) {
            rawPath = rawPath.replace("{" + parameter.getKey() + "}",
                    URLEncoderHolder.encode(parameter.getValue()));
        }
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + routePath);
        event.put("rawPath", rawPath);
        StringBuilder rawQuery = new StringBuilder();
        query.forEach((k, v) -> rawQuery.append(rawQuery.length() == 0 ? "" : "&")
                .append(URLEncoderHolder.encode(k)).append('=').append(URLEncoderHolder.encode(v)));
        event.put("rawQueryString", rawQuery.toString());
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode params = event.putObject("pathParameters");
            pathParameters.forEach(params::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", method + " " + routePath);
        context.put("stage", "$default");
        context.put("domainName", "api.test");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return LambdaEvents.fromJson(Json.write(event), APIGatewayV2HTTPEvent.class);
    }

    /** Sends the event to {@code handler} and reads the response. */
    public Response send(Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        APIGatewayV2HTTPResponse response = handler.apply(event());
        return new Response(response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(),
                response.getBody() == null || response.getBody().isEmpty() ? null : Json.readStored(response.getBody()));
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

    private static final class URLEncoderHolder {
        static String encode(String value) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
