package eduledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM on a function's deployable jar, as a Lambda container would: constructs the
 * handler, turns the event JSON into the handler's event type with the runtime's serializers,
 * invokes it, serializes the response, and prints {@code FIRST}; then serves up to {@code load} more
 * requests and prints the peak resident set size. With handler {@code raw} it is the floor instead:
 * build a DynamoDB client and do one GetItem.
 *
 * <p>Uses only what a function jar and the Lambda runtime provide.
 */
public final class ColdStartProbe {
    private static final int LOAD_SECONDS = 10;
    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("raw")) {
            rawFloor(args[1]);
            return;
        }
        Class<?> type = Class.forName(args[0]);
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler = (RequestHandler<Object, Object>) type.getConstructor().newInstance();
        Type[] io = ioTypes(type);
        PojoSerializer<Object> input = serializer(io[0]);
        PojoSerializer<Object> output = serializer(io[1]);
        String event = Files.readString(Path.of(args[1]));
        String first = respond(handler, input, output, event);
        System.out.println("FIRST " + first.length());
        System.out.flush();
        int load = Integer.parseInt(args[2]);
        // Bounded in time too: a stream batch writes many events per request, and the whole bench
        // has a time budget.
        long deadline = System.nanoTime() + LOAD_SECONDS * 1_000_000_000L;
        for (int i = 0; i < load && System.nanoTime() < deadline; i++) {
            respond(handler, input, output, event);
        }
        System.out.println("RSS_KB " + peakRssKb());
    }

    private static String respond(RequestHandler<Object, Object> handler, PojoSerializer<Object> input,
                                  PojoSerializer<Object> output, String event) {
        Object result = handler.handleRequest(input.fromJson(event), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(result, out);
        return out.toString();
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
