package eduledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM on a function's deployable jar, as a Lambda container would: constructs the
 * handler, hands it the event as the runtime would (the bytes to a stream handler; otherwise the
 * event JSON turned into the handler's event type with the runtime's serializers, and the result
 * serialized back), and prints {@code FIRST}; then serves up to {@code load} more requests and
 * prints the peak resident set size. With handler {@code raw} it is the floor instead:
 * build a DynamoDB client and do one GetItem.
 *
 * <p>Uses only what a function jar and the Lambda runtime provide.
 */
public final class ColdStartProbe {
    private static final int LOAD_SECONDS = 5;
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("raw")) {
            rawFloor(args[1]);
            return;
        }
        Class<?> type = Class.forName(args[0]);
        Invocation invocation = invocation(type, type.getConstructor().newInstance());
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        byte[] first = invocation.respond(event);
        System.out.println("FIRST " + first.length);
        System.out.flush();
        int load = Integer.parseInt(args[2]);
        // Bounded in time too: a stream batch writes many events per request, and the whole bench
        // has a time budget.
        long deadline = System.nanoTime() + LOAD_SECONDS * 1_000_000_000L;
        for (int i = 0; i < load && System.nanoTime() < deadline; i++) {
            invocation.respond(event);
        }
        System.out.println("RSS_KB " + peakRssKb());
    }

    /** One request, event bytes in and response bytes out, as the runtime makes it. */
    private interface Invocation {
        byte[] respond(byte[] event) throws IOException;
    }

    /**
     * The runtime's choice for {@code Class::handleRequest}: a {@link RequestStreamHandler} gets the
     * event's bytes (its stream overload outranks the typed one); otherwise the runtime's serializers
     * turn the JSON into the handler's event type and its result back into JSON.
     */
    @SuppressWarnings("unchecked")
    private static Invocation invocation(Class<?> type, Object handler) {
        if (handler instanceof RequestStreamHandler streaming) {
            return event -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                streaming.handleRequest(new ByteArrayInputStream(event), out, null);
                return out.toByteArray();
            };
        }
        RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) handler;
        Type[] io = ioTypes(type);
        PojoSerializer<Object> input = serializer(io[0]);
        PojoSerializer<Object> output = serializer(io[1]);
        return event -> {
            Object result = typed.handleRequest(input.fromJson(new ByteArrayInputStream(event)), null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            output.toJson(result, out);
            return out.toByteArray();
        };
    }

    private static void rawFloor(String table) {
        var client = software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
                .region(software.amazon.awssdk.regions.Region.of(System.getenv("AWS_REGION")))
                .endpointOverride(java.net.URI.create(System.getenv("DYNAMODB_ENDPOINT")))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("local", "local")))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .build();
        var item = client.getItem(b -> b.tableName(table).key(java.util.Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("TOKEN#none"),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("TOKEN"))));
        System.out.println("FIRST " + item.hasItem());
        System.out.println("RSS_KB " + peakRssKb());
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type) {
        return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor((Class<?>) type, ColdStartProbe.class.getClassLoader());
    }

    private static Type[] ioTypes(Class<?> type) {
        for (Type candidate : type.getGenericInterfaces()) {
            if (candidate instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                return parameterized.getActualTypeArguments();
            }
            if (candidate instanceof Class<?> inherited && RequestHandler.class.isAssignableFrom(inherited)) {
                return ioTypes(inherited);
            }
        }
        throw new IllegalStateException(type + " is not a RequestHandler");
    }

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
