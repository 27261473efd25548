package eduledger.dynamodb.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.wire.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * DynamoDB's HTTP face: POST of JSON 1.0 with the operation in {@code X-Amz-Target}, answered with
 * {@code x-amz-crc32} and {@code x-amzn-RequestId}, errors as {@code {"__type", "message"}}. Requests
 * run in parallel on a pool of daemon threads over keep-alive connections.
 */
public final class Server implements AutoCloseable {
    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";

    /** What the server calls for each request. */
    public interface Handler {
        /**
         * @param operation the operation name, e.g. PutItem or GetRecords
         * @param body      the parsed JSON body
         * @param region    the region the request was signed for
         * @return the response object
         */
        Object handle(String operation, boolean streams, Object body, String region);

        /** True when the connection should be dropped without an answer. */
        boolean dropConnection();
    }

    static {
        // Headers and body leave in separate writes; with Nagle's algorithm on, the body would wait
        // for the client's delayed ACK (~40 ms) on every keep-alive request.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService pool;

    public Server(String host, int port, Handler handler) throws IOException {
        http = HttpServer.create(new InetSocketAddress(host, port), 256);
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(16, Runtime.getRuntime().availableProcessors() * 8);
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "dynamodb-request-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", exchange -> serve(exchange, handler));
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, Handler handler) throws IOException {
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (handler.dropConnection()) {
                exchange.close();
                return;
            }
            Headers h = exchange.getRequestHeaders();
            Object response;
            int status = 200;
            try {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    throw new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException", null);
                }
                String target = h.getFirst("X-Amz-Target");
                String op;
                boolean streams;
                if (target != null && target.startsWith(DYNAMODB)) {
                    op = target.substring(DYNAMODB.length());
                    streams = false;
                } else if (target != null && target.startsWith(STREAMS)) {
                    op = target.substring(STREAMS.length());
                    streams = true;
                } else {
                    throw new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException", null);
                }
                Object parsed;
                try {
                    parsed = body.length == 0 ? new LinkedHashMap<String, Object>() : Json.parse(body);
                } catch (Json.MalformedJson e) {
                    throw new DynamoDbError(400, "com.amazon.coral.service#SerializationException", null);
                }
                response = handler.handle(op, streams, parsed, region(h.getFirst("Authorization")));
            } catch (DynamoDbError e) {
                status = e.status();
                LinkedHashMap<String, Object> err = new LinkedHashMap<>();
                err.put("__type", e.type());
                if (e.getMessage() != null) err.put("message", e.getMessage());
                if (e instanceof DynamoDbError.WithBody wb && wb.extra() != null) err.putAll(wb.extra());
                response = err;
            } catch (RuntimeException e) {
                status = 500;
                response = Map.of("__type", "com.amazonaws.dynamodb.v20120810#InternalServerError", "message", "Internal server error: " + e);
            }
            byte[] out = Json.write(response);
            CRC32 crc = new CRC32();
            crc.update(out);
            Headers rh = exchange.getResponseHeaders();
            rh.set("Content-Type", CONTENT_TYPE);
            rh.set("x-amz-crc32", Long.toString(crc.getValue()));
            rh.set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } finally {
            exchange.close();
        }
    }

    /** The region of a SigV4 Authorization header's credential scope; us-east-1 when unsigned. */
    static String region(String authorization) {
        if (authorization == null) return "us-east-1";
        int c = authorization.indexOf("Credential=");
        if (c < 0) return "us-east-1";
        int slash1 = authorization.indexOf('/', c);
        int slash2 = slash1 < 0 ? -1 : authorization.indexOf('/', slash1 + 1);
        int slash3 = slash2 < 0 ? -1 : authorization.indexOf('/', slash2 + 1);
        if (slash3 < 0) return "us-east-1";
        return authorization.substring(slash2 + 1, slash3);
    }

    @Override
    public void close() {
        http.stop(0);
        pool.shutdownNow();
    }
}
