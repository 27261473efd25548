package eduledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.harness.LambdaEvents;
import eduledger.harness.SamTemplate;
import eduledger.lambda.Services;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * One function of the template, loaded the way a Lambda container holds it: one handler instance,
 * built once, invoked through the entry Lambda calls, with the event's JSON.
 */
final class LocalFunction {
    private static final int TIMEOUT_SECONDS = 15;

    private final SamTemplate.Function definition;
    private final Services services;
    private final RequestHandler<Object, Object> handler;
    private final Class<Object> inputType;

    @SuppressWarnings("unchecked")
    LocalFunction(SamTemplate.Function definition, Services services) {
        this.definition = definition;
        this.services = services;
        try {
            Class<?> type = Class.forName(definition.handlerClass());
            // The Services constructor gives the handler the local store; Lambda uses the no-argument one.
            this.handler = (RequestHandler<Object, Object>)
                    type.getConstructor(Services.class).newInstance(services);
            Type[] arguments = requestHandlerArguments(type);
            this.inputType = (Class<Object>) arguments[0];
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + definition.handler() + " of " + definition.logicalId(), e);
        }
    }

    SamTemplate.Function definition() {
        return definition;
    }

    /** What the handler was built with: its settings, tables and store client. */
    Services services() {
        return services;
    }

    Class<Object> inputType() {
        return inputType;
    }

    /** Invokes through the entry Lambda calls: the event's JSON in, the response's JSON out. */
    byte[] invoke(byte[] event) {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try {
            ((RequestStreamHandler) handler)
                    .handleRequest(
                            new ByteArrayInputStream(event),
                            response,
                            new LocalContext(definition.logicalId(), TIMEOUT_SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response.toByteArray();
    }

    /** Invokes through the entry Lambda calls with a JSON event, as {@code sam local invoke -e} does. */
    String invokeJson(String eventJson) {
        return new String(invoke(eventJson.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** Hands a stream function a batch as its trigger does: the batch's JSON through the entry Lambda calls. */
    StreamsEventResponse invokeStream(DynamodbEvent batch) {
        return streamAnswer(invoke(streamEvent(batch)));
    }

    /** A stream batch's bytes as the trigger hands them to the function. */
    static byte[] streamEvent(DynamodbEvent batch) {
        return LambdaEvents.toJson(batch, DynamodbEvent.class).getBytes(StandardCharsets.UTF_8);
    }

    /** A stream function's answer, read from its bytes as the trigger reads it. */
    static StreamsEventResponse streamAnswer(byte[] answer) {
        return LambdaEvents.fromJson(new String(answer, StandardCharsets.UTF_8), StreamsEventResponse.class);
    }

    /** The event and result types, declared on the class or on an interface it extends (HttpFunction). */
    static Type[] requestHandlerArguments(Class<?> type) {
        for (Type candidate : type.getGenericInterfaces()) {
            if (candidate instanceof ParameterizedType parameterized
                    && parameterized.getRawType() == RequestHandler.class) {
                return parameterized.getActualTypeArguments();
            }
            if (candidate instanceof Class<?> inherited && RequestHandler.class.isAssignableFrom(inherited)) {
                return requestHandlerArguments(inherited);
            }
        }
        throw new IllegalStateException(type.getName() + " does not implement RequestHandler<I, O>");
    }
}
