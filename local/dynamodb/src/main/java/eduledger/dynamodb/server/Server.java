package eduledger.dynamodb.server;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * DynamoDB's HTTP face: POST of JSON 1.0 with the operation in {@code X-Amz-Target}, answered with
 * {@code x-amz-crc32} and {@code x-amzn-RequestId}, errors as {@code {"__type", "message"}}.
 *
 * <p>A deliberately small HTTP/1.1 server: one daemon thread per keep-alive connection reads a request,
 * runs it and writes the answer in one write, so a request never hops between threads. SDK clients keep
 * a handful of connections open, which makes this both the fastest and the simplest model for a local
 * engine; requests on different connections run in parallel.
 */
public final class Server implements AutoCloseable {
    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    /** What the server calls for each request. */
    public interface Handler {
        /**
         * @param operation the operation name, e.g. PutItem or GetRecords
         * @param streams   true for a {@code DynamoDBStreams_20120810} target
         * @param body      the parsed JSON body
         * @param region    the region the request was signed for
         * @return the response object
         */
        Object handle(String operation, boolean streams, Object body, String region);

        /** True when the connection should be dropped without an answer. */
        boolean dropConnection();
    }

    private final ServerSocket socket;
    private final Handler handler;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threads = new AtomicInteger();
    private volatile boolean closed;

    public Server(String host, int port, Handler handler) throws IOException {
        this.handler = handler;
        this.socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 512);
        } catch (IOException e) {
            socket.close();
            BindException refused = new BindException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            refused.initCause(e);
            throw refused;
        }
        Thread acceptor = new Thread(this::accept, "dynamodb-accept-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** How many connections clients have opened so far. */
    public int connectionsAccepted() {
        return threads.get();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            connections.add(s);
            Thread t = new Thread(() -> connection(s), "dynamodb-connection-" + threads.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    /** Parsed request head: only the headers the engine needs. */
    private static final class Head {
        String method;
        String target;
        String authorization;
        long contentLength = -1;
        boolean chunked;
        boolean close;
        boolean expectContinue;
    }

    private void connection(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            Input in = new Input(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] line = new byte[8 * 1024];
            while (!closed) {
                Head head = readHead(in, line);
                if (head == null) return;
                if (head.expectContinue) out.write(CONTINUE);
                byte[] body = head.chunked ? readChunked(in, line) : readBody(in, head.contentLength);
                if (handler.dropConnection()) return;
                byte[] response = answer(head, body);
                out.write(response);
                out.flush();
                if (head.close) return;
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            connections.remove(s);
        }
    }

    /** A connection's input with its own buffer: header lines are scanned in place, without a call per byte. */
    private static final class Input {
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int lim;

        Input(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) return false;
            pos = 0;
            lim = n;
            return true;
        }

        byte[] readNBytes(int length) throws IOException {
            byte[] out = new byte[length];
            int have = Math.min(length, lim - pos);
            System.arraycopy(buf, pos, out, 0, have);
            pos += have;
            int off = have;
            while (off < length) {
                int n = in.read(out, off, length - off);
                if (n < 0) break;
                off += n;
            }
            return off == length ? out : java.util.Arrays.copyOf(out, off);
        }
    }

    /** Reads one header line into {@code line}; returns its length, or -1 at end of stream. */
    private static int readLine(Input in, byte[] line) throws IOException {
        int n = 0;
        while (true) {
            if (in.pos == in.lim && !in.fill()) return n == 0 ? -1 : n;
            byte[] b = in.buf;
            int i = in.pos;
            int lim = in.lim;
            while (i < lim) {
                byte c = b[i++];
                if (c == '\n') {
                    in.pos = i;
                    if (n > 0 && line[n - 1] == '\r') n--;
                    return n;
                }
                if (n == line.length) throw new IOException("header line too long");
                line[n++] = c;
            }
            in.pos = i;
        }
    }

    private static Head readHead(Input in, byte[] buf) throws IOException {
        int n;
        do {
            n = readLine(in, buf);
            if (n < 0) return null;
        } while (n == 0);
        Head h = new Head();
        String requestLine = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int sp = requestLine.indexOf(' ');
        h.method = sp < 0 ? requestLine : requestLine.substring(0, sp);
        h.close = requestLine.endsWith("HTTP/1.0");
        int total = n;
        while ((n = readLine(in, buf)) > 0) {
            total += n;
            if (total > MAX_HEADER_BYTES) throw new IOException("headers too large");
            int colon = -1;
            for (int i = 0; i < n; i++) {
                if (buf[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0) continue;
            int v = colon + 1;
            while (v < n && buf[v] == ' ') v++;
            String value = new String(buf, v, n - v, StandardCharsets.ISO_8859_1).trim();
            switch (Character.toLowerCase((char) buf[0])) {
                case 'x':
                    if (is(buf, colon, "x-amz-target")) h.target = value;
                    break;
                case 'a':
                    if (is(buf, colon, "authorization")) h.authorization = value;
                    break;
                case 'c':
                    if (is(buf, colon, "content-length")) h.contentLength = Long.parseLong(value);
                    else if (is(buf, colon, "connection")) h.close = value.equalsIgnoreCase("close");
                    break;
                case 't':
                    if (is(buf, colon, "transfer-encoding"))
                        h.chunked = value.toLowerCase().contains("chunked");
                    break;
                case 'e':
                    if (is(buf, colon, "expect")) h.expectContinue = value.equalsIgnoreCase("100-continue");
                    break;
                default:
                    break;
            }
        }
        if (n < 0) return null;
        return h;
    }

    private static boolean is(byte[] buf, int length, String name) {
        if (length != name.length()) return false;
        for (int i = 0; i < length; i++) {
            if (Character.toLowerCase((char) buf[i]) != name.charAt(i)) return false;
        }
        return true;
    }

    private static byte[] readBody(Input in, long length) throws IOException {
        if (length <= 0) return new byte[0];
        if (length > MAX_BODY_BYTES) throw new IOException("body too large");
        byte[] body = in.readNBytes((int) length);
        if (body.length != length) throw new IOException("truncated body");
        return body;
    }

    private static byte[] readChunked(Input in, byte[] buf) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int n = readLine(in, buf);
            if (n < 0) throw new IOException("truncated chunk");
            String size = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int semi = size.indexOf(';');
            int len = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (len == 0) {
                while (readLine(in, buf) > 0) {
                    // trailers are ignored
                }
                return out.toByteArray();
            }
            if (out.size() + len > MAX_BODY_BYTES) throw new IOException("body too large");
            out.write(in.readNBytes(len));
            readLine(in, buf);
        }
    }

    private byte[] answer(Head head, byte[] body) {
        Object response;
        int status = 200;
        try {
            if (!"POST".equals(head.method)) throw unknownOperation();
            String target = head.target;
            String op;
            boolean streams;
            if (target != null && target.startsWith(DYNAMODB)) {
                op = target.substring(DYNAMODB.length());
                streams = false;
            } else if (target != null && target.startsWith(STREAMS)) {
                op = target.substring(STREAMS.length());
                streams = true;
            } else {
                throw unknownOperation();
            }
            Object parsed;
            try {
                parsed = body.length == 0 ? new LinkedHashMap<String, Object>() : Json.parse(body);
            } catch (Json.MalformedJson e) {
                throw new DynamoDbError(400, "com.amazon.coral.service#SerializationException", null);
            }
            response = handler.handle(op, streams, parsed, region(head.authorization));
        } catch (DynamoDbError e) {
            status = e.status();
            LinkedHashMap<String, Object> err = new LinkedHashMap<>();
            err.put("__type", e.type());
            if (e.getMessage() != null) err.put("message", e.getMessage());
            if (e instanceof DynamoDbError.WithBody wb && wb.extra() != null) err.putAll(wb.extra());
            response = err;
        } catch (RuntimeException e) {
            status = 500;
            response = Map.of(
                    "__type",
                    "com.amazonaws.dynamodb.v20120810#InternalServerError",
                    "message",
                    "Internal server error: " + e);
        }
        byte[] json = Json.write(response);
        CRC32 crc = new CRC32();
        crc.update(json);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        StringBuilder h = new StringBuilder(256);
        h.append("HTTP/1.1 ")
                .append(status)
                .append(status == 200 ? " OK" : status == 500 ? " Internal Server Error" : " Bad Request")
                .append("\r\n");
        h.append("Content-Type: application/x-amz-json-1.0\r\n");
        h.append("Content-Length: ").append(json.length).append("\r\n");
        h.append("x-amz-crc32: ").append(crc.getValue()).append("\r\n");
        h.append("x-amzn-RequestId: ")
                .append(Long.toHexString(rnd.nextLong()))
                .append(Long.toHexString(rnd.nextLong()))
                .append("\r\n");
        if (head.close) h.append("Connection: close\r\n");
        h.append("\r\n");
        byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + json.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(json, 0, all, headBytes.length, json.length);
        return all;
    }

    private static DynamoDbError unknownOperation() {
        return new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException", null);
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
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
