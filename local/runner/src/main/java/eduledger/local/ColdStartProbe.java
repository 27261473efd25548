package eduledger.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM on a function's deployable jar, as a Lambda container would: constructs the
 * handler, hands it the event's bytes as the runtime does for a stream handler (every function is
 * one), and prints {@code FIRST} with the CPU time the process has used so far; then serves up to {@code load} more requests and
 * prints the peak resident set size. With handler {@code raw} it is the floor instead:
 * build a DynamoDB client and do one GetItem.
 *
 * <p>Uses only what a function jar and the Lambda runtime provide.
 */
public final class ColdStartProbe {
    private static final int LOAD_SECONDS = 5;

    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("raw")) {
            rawFloor(args[1]);
            return;
        }
        Class<?> type = Class.forName(args[0]);
        RequestStreamHandler handler =
                (RequestStreamHandler) type.getConstructor().newInstance();
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        byte[] first = respond(handler, event);
        System.out.println("FIRST " + first.length + " CPU_MS " + cpuMillis());
        System.out.flush();
        int load = Integer.parseInt(args[2]);
        // Bounded in time too: a stream batch writes many events per request, and the whole bench
        // has a time budget.
        long deadline = System.nanoTime() + LOAD_SECONDS * 1_000_000_000L;
        for (int i = 0; i < load && System.nanoTime() < deadline; i++) {
            respond(handler, event);
        }
        System.out.println("RSS_KB " + peakRssKb());
    }

    private static byte[] respond(RequestStreamHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        return out.toByteArray();
    }

    private static void rawFloor(String table) {
        var client = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .region(software.amazon.awssdk.regions.Region.of(System.getenv("AWS_REGION")))
                .endpointOverride(java.net.URI.create(System.getenv("DYNAMODB_ENDPOINT")))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build();
        var item = client.getItem(b -> b.tableName(table)
                .key(java.util.Map.of(
                        "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("TOKEN#none"),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("TOKEN"))));
        System.out.println("FIRST " + item.hasItem() + " CPU_MS " + cpuMillis());
        System.out.println("RSS_KB " + peakRssKb());
    }

    /**
     * User and system CPU time of this process, every thread (JIT compilers and GC included), in
     * milliseconds; -1 where /proc does not tell.
     */
    private static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // Fields after the command's closing parenthesis, from the state (field 3) on.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Linux's USER_HZ, which /proc's times count in: 100 on every mainstream architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
