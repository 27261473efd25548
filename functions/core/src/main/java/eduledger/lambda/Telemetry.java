package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        ObjectNode line = start("request", request.context());
        putIfPresent(line, "apiRequestId", request.apiRequestId());
        line.put("requestId", request.requestId());
        line.put("route", request.route());
        putIfPresent(line, "integration", request.integration());
        line.put("status", request.status());
        line.put("latencyMs", request.latencyMillis());
        putIfPresent(line, "error", request.errorCode());
        if (request.exception() != null) {
            line.put("exception", request.exception().toString());
            StringWriter trace = new StringWriter();
            request.exception().printStackTrace(new PrintWriter(trace));
            line.put("stackTrace", trace.toString());
        }
        Map<String, Long> metrics = new TreeMap<>(request.counts());
        metrics.put("Requests", 1L);
        if (request.status() >= 500) {
            metrics.put("ServerErrors", 1L);
        } else if (request.status() >= 400) {
            metrics.put("ClientErrors", 1L);
        }
        write(line, metrics, request.latencyMillis(), !PRIMING.equals(request.apiRequestId()));
    }

    /** What one stream batch came to. */
    public static void batch(
            Context context,
            int records,
            String firstFailedSequence,
            long latencyMillis,
            Map<String, Long> counts,
            boolean priming) {
        ObjectNode line = start("batch", context);
        line.put("records", records);
        putIfPresent(line, "firstFailedSequence", firstFailedSequence);
        line.put("latencyMs", latencyMillis);
        write(line, counts, latencyMillis, !priming);
    }

    private static ObjectNode start(String kind, Context context) {
        ObjectNode line = Json.object();
        line.put("level", "INFO");
        line.put("type", kind);
        line.put("function", FUNCTION);
        putIfPresent(line, "awsRequestId", context == null ? null : context.getAwsRequestId());
        return line;
    }

    private static void write(ObjectNode line, Map<String, Long> counts, long latencyMillis, boolean print) {
        if (line.has("error") || line.has("exception") || line.has("firstFailedSequence")) {
            line.put("level", line.has("exception") || line.has("firstFailedSequence") ? "ERROR" : "WARN");
        }
        line.put("Function", FUNCTION);
        line.put("Latency", latencyMillis);
        ObjectNode directive = Json.object();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Function");
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", "Latency").put("Unit", "Milliseconds");
        counts.forEach((name, value) -> {
            line.put(name, value);
            metrics.addObject().put("Name", name).put("Unit", "Count");
        });
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        aws.putArray("CloudWatchMetrics").add(directive);
        String text = Json.write(line);
        if (print) {
            PrintStream sink = out;
            (sink == null ? System.out : sink).println(text);
        }
    }

    private static void putIfPresent(ObjectNode line, String name, String value) {
        if (value != null) {
            line.put(name, value);
        }
    }
}
