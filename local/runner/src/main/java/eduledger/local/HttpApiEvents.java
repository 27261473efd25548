package eduledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.harness.LambdaEvents;
import eduledger.json.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * API Gateway HTTP API (payload 2.0) events for a route, made from JSON by the Lambda runtime's own
 * serializers, so a handler gets the object it would get behind API Gateway.
 */
final class HttpApiEvents {
    private HttpApiEvents() {
    }

    /** A request to {@code routeKey} (e.g. {@code "GET /api/v2/audit/events"}) on a route without path parameters. */
    static APIGatewayV2HTTPEvent request(String routeKey, Map<String, String> query, String token, String body) {
        int space = routeKey.indexOf(' ');
        String method = routeKey.substring(0, space);
        String path = routeKey.substring(space + 1);
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", path);
        StringBuilder rawQuery = new StringBuilder();
        query.forEach((name, value) -> rawQuery.append(rawQuery.length() == 0 ? "" : "&")
                .append(encode(name)).append('=').append(encode(value)));
        event.put("rawQueryString", rawQuery.toString());
        ObjectNode headers = event.putObject("headers");
        headers.put("host", "api.bench.local");
        headers.put("x-forwarded-proto", "https");
        headers.put("authorization", "Bearer " + token);
        if (body != null) {
            headers.put("content-type", "application/json");
            event.put("body", body);
        }
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            query.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("domainName", "api.bench.local");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        event.put("isBase64Encoded", false);
        return LambdaEvents.fromJson(Json.write(event), APIGatewayV2HTTPEvent.class);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
