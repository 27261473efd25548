package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import eduledger.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JSON line per request or stream batch on standard output, which Lambda sends to the
 * function's log group. The line is also a CloudWatch Embedded Metric Format record: the {@code _aws}
 * member names which of its fields CloudWatch turns into metrics, so logs and metrics come from one
 * write and no logging or metrics library is loaded at cold start.
 */
public final class Telemetry {
    public static final String NAMESPACE = "eduledger";
    /**
     * The request and record id of the warm-up sent before a SnapStart snapshot: its line is built,
     * which warms the path, but not written, so no metric counts it.
     */
    public static final String PRIMING = "priming";

    private static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");

    /** Null for standard output as it is at the time of writing, so a replaced System.out receives the lines. */
    private static volatile PrintStream out;

    private Telemetry() {}

    /**
     * Where lines go; the local runner and tests read them from elsewhere.
     *
     * @param sink null for standard output
     * @return where they went before, for restoring
     */
    public static PrintStream redirect(PrintStream sink) {
        PrintStream previous = out;
        out = sink;
        return previous;
    }

    /** What one HTTP request came to. */
    public record Request(
            Context context,
            String apiRequestId,
            String requestId,
            String route,
            String integration,
            int status,
            long latencyMillis,
            String errorCode,
            RuntimeException exception,
            Map<String, Long> counts) {}

    public static void request(Request request) {
        Map<String, Long> metrics = new TreeMap<>(request.counts());
        metrics.put("Requests", 1L);
        if (request.status() >= 500) {
            metrics.put("ServerErrors", 1L);
        } else if (request.status() >= 400) {
            metrics.put("ClientErrors", 1L);
        }
        String level = request.exception() != null ? "ERROR" : request.errorCode() != null ? "WARN" : "INFO";
        StringWriter text = new StringWriter(640);
        try (JsonGenerator line = start(text, level, "request", request.context())) {
            putIfPresent(line, "apiRequestId", request.apiRequestId());
            line.writeStringField("requestId", request.requestId());
            line.writeStringField("route", request.route());
            putIfPresent(line, "integration", request.integration());
            line.writeNumberField("status", request.status());
            line.writeNumberField("latencyMs", request.latencyMillis());
            putIfPresent(line, "error", request.errorCode());
            if (request.exception() != null) {
                line.writeStringField("exception", request.exception().toString());
                StringWriter trace = new StringWriter();
                request.exception().printStackTrace(new PrintWriter(trace));
                line.writeStringField("stackTrace", trace.toString());
            }
            finish(line, metrics, request.latencyMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        print(text, !PRIMING.equals(request.apiRequestId()));
    }

    /** What one stream batch came to. */
    public static void batch(
            Context context,
            int records,
            String firstFailedSequence,
            long latencyMillis,
            Map<String, Long> counts,
            boolean priming) {
        StringWriter text = new StringWriter(640);
        try (JsonGenerator line = start(text, firstFailedSequence != null ? "ERROR" : "INFO", "batch", context)) {
            line.writeNumberField("records", records);
            putIfPresent(line, "firstFailedSequence", firstFailedSequence);
            line.writeNumberField("latencyMs", latencyMillis);
            finish(line, counts, latencyMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        print(text, !priming);
    }

    /**
     * A line is written field by field, never built as a tree first: every request writes one. Its
     * level comes first, so it is decided before anything is written.
     */
    private static JsonGenerator start(StringWriter text, String level, String kind, Context context)
            throws IOException {
        JsonGenerator line = Json.sequence(text);
        line.writeStartObject();
        line.writeStringField("level", level);
        line.writeStringField("type", kind);
        line.writeStringField("function", FUNCTION);
        putIfPresent(line, "awsRequestId", context == null ? null : context.getAwsRequestId());
        return line;
    }

    /** The metrics, each a field of the line and declared in its {@code _aws} directive. */
    private static void finish(JsonGenerator line, Map<String, Long> counts, long latencyMillis) throws IOException {
        line.writeStringField("Function", FUNCTION);
        line.writeNumberField("Latency", latencyMillis);
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            line.writeNumberField(count.getKey(), count.getValue());
        }
        line.writeObjectFieldStart("_aws");
        line.writeNumberField("Timestamp", System.currentTimeMillis());
        line.writeArrayFieldStart("CloudWatchMetrics");
        line.writeStartObject();
        line.writeStringField("Namespace", NAMESPACE);
        line.writeArrayFieldStart("Dimensions");
        line.writeStartArray();
        line.writeString("Function");
        line.writeEndArray();
        line.writeEndArray();
        line.writeArrayFieldStart("Metrics");
        metric(line, "Latency", "Milliseconds");
        for (String name : counts.keySet()) {
            metric(line, name, "Count");
        }
        line.writeEndArray();
        line.writeEndObject();
        line.writeEndArray();
        line.writeEndObject();
        line.writeEndObject();
    }

    private static void metric(JsonGenerator line, String name, String unit) throws IOException {
        line.writeStartObject();
        line.writeStringField("Name", name);
        line.writeStringField("Unit", unit);
        line.writeEndObject();
    }

    /** A priming request's line is written, which warms the path, but not printed. */
    private static void print(StringWriter text, boolean print) {
        if (print) {
            PrintStream sink = out;
            (sink == null ? System.out : sink).println(text.toString());
        }
    }

    private static void putIfPresent(JsonGenerator line, String name, String value) throws IOException {
        if (value != null) {
            line.writeStringField(name, value);
        }
    }
}
