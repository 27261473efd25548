package eduledger.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The one builder of API Gateway HTTP API (payload 2.0) events: the JSON Lambda hands a function
 * behind the API. Priming, the local gateway, the benchmarks and the tests all build their requests
 * here and send them through {@link #sendTo}, the entry Lambda calls.
 */
public final class HttpApiEvent {
    private final String method;
    private final String routePath;
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String rawPath;
    private String rawQuery;
    private String body;
    private boolean base64Encoded;
    private String requestId = UUID.randomUUID().toString();
    private String domainName;
    private String sourceIp = "127.0.0.1";
    private String protocol = "HTTP/1.1";

    private HttpApiEvent(String method, String routePath) {
        this.method = method;
        this.routePath = routePath;
    }

    /** A request to the route {@code "GET /api/v2/audit/schemas/{identifier}"}. */
    public static HttpApiEvent to(String routeKey) {
        int space = routeKey.indexOf(' ');
        return new HttpApiEvent(routeKey.substring(0, space), routeKey.substring(space + 1));
    }

    public String routeKey() {
        return method + " " + routePath;
    }

    public HttpApiEvent path(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    /** One query parameter; API Gateway joins repeated ones with commas. */
    public HttpApiEvent query(String name, String value) {
        query.put(name, value);
        return this;
    }

    /** Header names are lower-cased, as API Gateway hands them on. */
    public HttpApiEvent header(String name, String value) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
        return this;
    }

    public HttpApiEvent body(String text) {
        this.body = text;
        this.base64Encoded = false;
        return this;
    }

    /** A body API Gateway passes base64-encoded: anything that is not text. */
    public HttpApiEvent base64Body(String encoded) {
        this.body = encoded;
        this.base64Encoded = true;
        return this;
    }

    /** The path as sent; by default the route's, with the path parameters filled in. */
    public HttpApiEvent rawPath(String path) {
        this.rawPath = path;
        return this;
    }

    /** The query string as sent; by default made from the query parameters. */
    public HttpApiEvent rawQuery(String queryString) {
        this.rawQuery = queryString;
        return this;
    }

    public HttpApiEvent requestId(String id) {
        this.requestId = id;
        return this;
    }

    public HttpApiEvent domainName(String name) {
        this.domainName = name;
        return this;
    }

    public HttpApiEvent sourceIp(String ip) {
        this.sourceIp = ip;
        return this;
    }

    public HttpApiEvent protocol(String name) {
        this.protocol = name;
        return this;
    }

    public ObjectNode json() {
        String path = rawPath;
        if (path == null) {
            path = routePath;
            for (var parameter : pathParameters.entrySet()) {
                path = path.replace("{" + parameter.getKey() + "}", encode(parameter.getValue()));
            }
        }
        String queryString = rawQuery;
        if (queryString == null) {
            StringBuilder built = new StringBuilder();
            query.forEach((name, value) -> built.append(built.length() == 0 ? "" : "&")
                    .append(encode(name))
                    .append('=')
                    .append(encode(value)));
            queryString = built.toString();
        }
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", routeKey());
        event.put("rawPath", path);
        event.put("rawQueryString", queryString);
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            pathParameters.forEach(parameters::put);
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", requestId);
        context.put("routeKey", routeKey());
        context.put("stage", "$default");
        String domain = domainName != null ? domainName : headers.get("host");
        if (domain != null) {
            context.put("domainName", domain);
        }
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", protocol);
        http.put("sourceIp", sourceIp);
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", base64Encoded);
        return event;
    }

    public byte[] bytes() {
        return Json.write(json()).getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the event through the entry Lambda calls and returns the response JSON as Lambda reads it. */
    public byte[] sendTo(HttpFunction function) {
        return invoke(function, bytes());
    }

    /** Calls the function's byte entry with an event already made JSON. */
    public static byte[] invoke(HttpFunction function, byte[] event) {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(event), response, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.toByteArray();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
