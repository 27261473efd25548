package eduledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import eduledger.harness.LambdaEvents;
import eduledger.harness.SamTemplate;
import eduledger.lambda.Services;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * One function of the template, loaded the way a Lambda container holds it: one handler instance,
 * built once, invoked with events typed as its {@code RequestHandler} declares.
 */
final class LocalFunction {
    private static final int TIMEOUT_SECONDS = 15;

    private final SamTemplate.Function definition;
    private final Services services;
    private final RequestHandler<Object, Object> handler;
    private final Class<Object> inputType;
    private final Class<Object> outputType;

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
            this.outputType = (Class<Object>) arguments[1];
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

    Object invoke(Object event) {
        return handler.handleRequest(event, new LocalContext(definition.logicalId(), TIMEOUT_SECONDS));
    }

    /** Invokes with a JSON event, as {@code sam local invoke -e} does, and returns the JSON result. */
    String invokeJson(String eventJson) {
        Object result = invoke(LambdaEvents.fromJson(eventJson, inputType));
        return result == null ? "null" : LambdaEvents.toJson(result, outputType);
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
