package eduledger.lambda;

import static eduledger.lambda.EventJson.expect;
import static eduledger.lambda.EventJson.text;
import static eduledger.lambda.EventJson.texts;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import eduledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP API (payload format 2.0) events and responses to and from JSON with jackson-core's streaming
 * parser and generator. The Lambda runtime would otherwise map them with its own serialization
 * library: a second, shaded Jackson with data binding and mix-ins, about 800 classes that a cold
 * container loads and runs in the interpreter before the handler sees its first request, and that
 * priming cannot warm because the runtime, not the function, owns that serializer.
 *
 * <p>Reads every field the runtime maps except {@code requestContext.authorizer}: the API has no
 * API Gateway authorizer (callers send bearer tokens, which the router checks), so it is never set.
 * Unknown fields are skipped, as the runtime's mapper skips them.
 */
public final class HttpEventJson {
    /**
     * The envelope carries the request body as one string, up to the Lambda payload limit (6 MB),
     * so this factory allows longer strings than {@link Json#read}; the body's own limits are
     * enforced when it is parsed.
     */
    private static final JsonFactory FACTORY = EventJson.factory(64);

    private HttpEventJson() {}

    public static APIGatewayV2HTTPEvent read(InputStream input) throws IOException {
        try (JsonParser parser = FACTORY.createParser(input)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT);
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "version" -> event.setVersion(text(parser, value));
                    case "routeKey" -> event.setRouteKey(text(parser, value));
                    case "rawPath" -> event.setRawPath(text(parser, value));
                    case "rawQueryString" -> event.setRawQueryString(text(parser, value));
                    case "cookies" -> event.setCookies(texts(parser, value));
                    case "headers" -> event.setHeaders(textMap(parser, value));
                    case "queryStringParameters" -> event.setQueryStringParameters(textMap(parser, value));
                    case "pathParameters" -> event.setPathParameters(textMap(parser, value));
                    case "stageVariables" -> event.setStageVariables(textMap(parser, value));
                    case "body" -> event.setBody(text(parser, value));
                    case "isBase64Encoded" -> event.setIsBase64Encoded(value == JsonToken.VALUE_TRUE);
                    case "requestContext" -> event.setRequestContext(requestContext(parser, value));
                    default -> parser.skipChildren();
                }
            }
            return event;
        }
    }

    public static void write(APIGatewayV2HTTPResponse response, OutputStream output) throws IOException {
        try (JsonGenerator json = FACTORY.createGenerator(output)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", response.getStatusCode());
            if (response.getHeaders() != null) {
                json.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> header : response.getHeaders().entrySet()) {
                    json.writeStringField(header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            if (response.getMultiValueHeaders() != null) {
                json.writeObjectFieldStart("multiValueHeaders");
                for (Map.Entry<String, List<String>> header :
                        response.getMultiValueHeaders().entrySet()) {
                    writeTexts(json, header.getKey(), header.getValue());
                }
                json.writeEndObject();
            }
            if (response.getCookies() != null) {
                writeTexts(json, "cookies", response.getCookies());
            }
            if (response instanceof WrittenBody written) {
                written.writeBody(json);
            } else if (response.getBody() != null) {
                json.writeStringField("body", response.getBody());
            }
            json.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            json.writeEndObject();
        }
    }

    /** The string whose content, as a JSON string written as UTF-8, is {@code escaped}. */
    static String unescape(byte[] escaped, int length) {
        byte[] quoted = new byte[length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, length);
        quoted[length + 1] = '"';
        try (JsonParser parser = FACTORY.createParser(quoted)) {
            expect(parser, parser.nextToken(), JsonToken.VALUE_STRING);
            return parser.getText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static APIGatewayV2HTTPEvent.RequestContext requestContext(JsonParser parser, JsonToken value)
            throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, value, JsonToken.START_OBJECT);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "routeKey" -> context.setRouteKey(text(parser, token));
                case "accountId" -> context.setAccountId(text(parser, token));
                case "stage" -> context.setStage(text(parser, token));
                case "apiId" -> context.setApiId(text(parser, token));
                case "domainName" -> context.setDomainName(text(parser, token));
                case "domainPrefix" -> context.setDomainPrefix(text(parser, token));
                case "time" -> context.setTime(text(parser, token));
                case "timeEpoch" -> context.setTimeEpoch(token == JsonToken.VALUE_NULL ? 0 : parser.getValueAsLong());
                case "requestId" -> context.setRequestId(text(parser, token));
                case "http" -> context.setHttp(http(parser, token));
                default -> parser.skipChildren();
            }
        }
        return context;
    }

    private static APIGatewayV2HTTPEvent.RequestContext.Http http(JsonParser parser, JsonToken value)
            throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, value, JsonToken.START_OBJECT);
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "method" -> http.setMethod(text(parser, token));
                case "path" -> http.setPath(text(parser, token));
                case "protocol" -> http.setProtocol(text(parser, token));
                case "sourceIp" -> http.setSourceIp(text(parser, token));
                case "userAgent" -> http.setUserAgent(text(parser, token));
                default -> parser.skipChildren();
            }
        }
        return http;
    }

    private static Map<String, String> textMap(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, value, JsonToken.START_OBJECT);
        Map<String, String> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            map.put(name, text(parser, parser.nextToken()));
        }
        return map;
    }

    private static void writeTexts(JsonGenerator json, String field, List<String> texts) throws IOException {
        json.writeArrayFieldStart(field);
        for (String text : texts) {
            json.writeString(text);
        }
        json.writeEndArray();
    }
}
