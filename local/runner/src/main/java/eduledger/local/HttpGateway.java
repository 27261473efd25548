package eduledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import eduledger.harness.SamTemplate;
import eduledger.lambda.HttpApiEvent;
import eduledger.lambda.RoutePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * API Gateway's HTTP API on localhost: matches each request to a route of template.yaml, builds the
 * payload 2.0 event API Gateway would send, hands it to that route's function, and writes back
 * the function's response.
 */
final class HttpGateway implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private record Binding(SamTemplate.Route route, String[] segments, LocalFunction function) {}

    private final List<Binding> bindings = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final ApiReference reference;

    HttpGateway(int port, List<LocalFunction> functions) throws IOException {
        this(port, functions, null);
    }

    /** @param reference the API reference to serve beside the routes; null for none */
    HttpGateway(int port, List<LocalFunction> functions, ApiReference reference) throws IOException {
        this.reference = reference;
        for (LocalFunction function : functions) {
            for (SamTemplate.Route route : function.definition().routes()) {
                bindings.add(new Binding(route, segments(route.path()), function));
            }
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (BindException e) {
            throw new PortInUseException(port);
        }
        server.createContext("/", this::serve);
        server.setExecutor(workers);
        server.start();
    }

    static final class PortInUseException extends RuntimeException {
        PortInUseException(int port) {
            super(
                    "port " + port + " is already in use; stop what holds it or set PORT to another port",
                    null,
                    false,
                    false);
        }
    }

    int routeCount() {
        return bindings.size();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            if (method.equals("GET") && reference != null) {
                var document = reference.get(path);
                if (document.isPresent()) {
                    exchange.getResponseHeaders()
                            .add("content-type", document.get().contentType());
                    exchange.sendResponseHeaders(200, document.get().body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(document.get().body());
                    }
                    return;
                }
            }
            Binding binding = match(method, segments(path));
            if (binding == null) {
                unmatched(exchange, method, path);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            ObjectNode event = event(exchange, binding, body);
            JsonNode response;
            try {
                response = MAPPER.readTree(binding.function().invoke(MAPPER.writeValueAsBytes(event)));
            } catch (RuntimeException e) {
                // What API Gateway answers when the integration itself fails.
                System.err.println(binding.function().definition().logicalId() + " failed: " + e);
                e.printStackTrace();
                write(
                        exchange,
                        500,
                        Map.of("content-type", "application/json"),
                        "{\"message\":\"Internal Server Error\"}");
                return;
            }
            String responseBody = response.path("body").asText("");
            byte[] bytes = response.path("isBase64Encoded").asBoolean()
                    ? Base64.getDecoder().decode(responseBody)
                    : responseBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .put(
                            "apigw-requestid",
                            List.of(event.path("requestContext")
                                    .path("requestId")
                                    .asText()));
            response.path("headers")
                    .fields()
                    .forEachRemaining(header -> exchange.getResponseHeaders()
                            .add(header.getKey(), header.getValue().asText()));
            exchange.sendResponseHeaders(response.path("statusCode").asInt(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private ObjectNode event(HttpExchange exchange, Binding binding, byte[] body) {
        Instant now = Instant.now();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        HttpApiEvent request = HttpApiEvent.to(binding.route().routeKey())
                .rawPath(exchange.getRequestURI().getRawPath())
                .rawQuery(rawQuery == null ? "" : rawQuery)
                .domainName(headerOr(exchange, "host", "localhost"))
                .protocol(exchange.getProtocol())
                .sourceIp(exchange.getRemoteAddress().getAddress().getHostAddress());
        exchange.getRequestHeaders().forEach((name, values) -> request.header(name, String.join(",", values)));
        query(rawQuery).forEach(request::query);
        pathParameters(binding, segments(exchange.getRequestURI().getRawPath())).forEach(request::path);
        if (body.length > 0) {
            // API Gateway passes text bodies as text and anything else base64-encoded.
            String contentType = headerOr(exchange, "content-type", "");
            boolean text = contentType.isEmpty()
                    || contentType.contains("json")
                    || contentType.startsWith("text/")
                    || contentType.contains("x-www-form-urlencoded");
            if (text) {
                request.body(new String(body, StandardCharsets.UTF_8));
            } else {
                request.base64Body(Base64.getEncoder().encodeToString(body));
            }
        }
        ObjectNode event = request.json();
        ObjectNode context = (ObjectNode) event.get("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "local");
        context.put("domainPrefix", "localhost");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        ((ObjectNode) context.get("http")).put("userAgent", headerOr(exchange, "user-agent", ""));
        return event;
    }

    private Binding match(String method, String[] segments) {
        Binding best = null;
        int bestLiterals = -1;
        for (Binding binding : bindings) {
            String routeMethod = binding.route().method();
            if (!(routeMethod.equals(method) || routeMethod.equals("ANY"))
                    || binding.segments().length != segments.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < segments.length && matches; i++) {
                String pattern = binding.segments()[i];
                if (pattern.startsWith("{")) {
                    continue;
                }
                matches = pattern.equals(segments[i]);
                literals++;
            }
            if (matches && literals > bestLiterals) {
                best = binding;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** A request no route takes: 404, or 405 when other methods take its path, in its API's error shape. */
    private void unmatched(HttpExchange exchange, String method, String path) throws IOException {
        Set<String> allowed = new TreeSet<>();
        for (Binding binding : bindings) {
            if (RoutePaths.matches(binding.route().path(), path)) {
                allowed.add(binding.route().method());
            }
        }
        var answer = RoutePaths.answer(UUID.randomUUID().toString(), method, path, allowed);
        write(exchange, answer.getStatusCode(), answer.getHeaders(), answer.getBody());
    }

    private static Map<String, String> pathParameters(Binding binding, String[] segments) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.length; i++) {
            String pattern = binding.segments()[i];
            if (pattern.startsWith("{")) {
                params.put(
                        pattern.substring(1, pattern.length() - 1),
                        URLDecoder.decode(segments[i], StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** HTTP API joins repeated query parameters with commas. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params;
    }

    private static String headerOr(HttpExchange exchange, String name, String fallback) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? fallback : value;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static void write(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
