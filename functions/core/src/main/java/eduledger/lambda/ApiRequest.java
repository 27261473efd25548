package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An API Gateway HTTP API (payload 2.0) request, read the way every handler needs it. */
public final class ApiRequest {
    /** Bodies above this are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 1_048_576;
    /**
     * No id this API hands out is longer, in UTF-8 bytes. The bound keeps every key built from a path parameter under
     * DynamoDB's key size limits (2048 bytes partition, 1024 sort), which would otherwise turn a long
     * id into a store error instead of the caller's 400.
     */
    public static final int MAX_PATH_PARAMETER_LENGTH = 256;

    private final APIGatewayV2HTTPEvent event;
    private final String requestId;

    public ApiRequest(APIGatewayV2HTTPEvent event, String requestId) {
        this.event = event;
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        var http = event.getRequestContext() == null
                ? null
                : event.getRequestContext().getHttp();
        return http == null ? "" : http.getMethod().toUpperCase(Locale.ROOT);
    }

    public String path() {
        return event.getRawPath() == null ? "/" : event.getRawPath();
    }

    /** Header lookup; API Gateway lower-cases names, but test and local events may not. */
    public String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return character("INVALID_HEADER", name, entry.getValue());
            }
        }
        return null;
    }

    public String query(String name) {
        Map<String, String> query = event.getQueryStringParameters();
        return query == null ? null : character("INVALID_PARAMETER", name, query.get(name));
    }

    public Map<String, String> queryParameters() {
        if (event.getQueryStringParameters() == null) {
            return Map.of();
        }
        event.getQueryStringParameters().forEach((name, value) -> {
            character("INVALID_PARAMETER", "a parameter name", name);
            character("INVALID_PARAMETER", name, value);
        });
        return event.getQueryStringParameters();
    }

    /**
     * The value, when it is text: a lone UTF-16 surrogate (which an event's JSON can hold as an
     * escape) is no character, and the store would keep it, or look it up, as {@code ?}, so two
     * different values would meet in one key.
     */
    private static String character(String code, String name, String value) {
        if (value != null && Json.hasLoneSurrogate(value)) {
            throw ServiceException.badRequest(code, name + " holds a lone UTF-16 surrogate, which is no character.");
        }
        return value;
    }

    public String pathParameter(String name) {
        Map<String, String> params = event.getPathParameters();
        String value = params == null ? null : params.get(name);
        if (value == null || value.isEmpty()) {
            throw ServiceException.badRequest("MISSING_PATH_PARAMETER", "The path is missing {" + name + "}.");
        }
        character("INVALID_PATH_PARAMETER", "{" + name + "}", value);
        // Bytes, not characters: key limits count UTF-8 bytes, and one character can be four.
        if (value.length() > MAX_PATH_PARAMETER_LENGTH
                || value.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_PARAMETER_LENGTH) {
            throw ServiceException.badRequest(
                    "INVALID_PATH_PARAMETER",
                    "{" + name + "} is longer than " + MAX_PATH_PARAMETER_LENGTH + " bytes of UTF-8; no id is.");
        }
        return value;
    }

    /** The URL this API is reached at, for absolute {@code $next} links. */
    public String baseUrl() {
        String host = header("host");
        if (host == null && event.getRequestContext() != null) {
            host = event.getRequestContext().getDomainName();
        }
        String proto = header("x-forwarded-proto");
        if (proto == null) {
            proto = host != null && (host.startsWith("localhost") || host.startsWith("127.")) ? "http" : "https";
        }
        return proto + "://" + (host == null ? "localhost" : host);
    }

    /** The body as JSON; empty, oversized, non-UTF-8 and malformed bodies are the caller's error. */
    public JsonNode jsonBody() {
        String text = bodyText();
        if (text.isBlank()) {
            throw ServiceException.badRequest("MISSING_BODY", "The request needs a JSON body.");
        }
        JsonNode body;
        try {
            body = Json.read(text);
        } catch (StreamConstraintsException e) {
            throw ServiceException.badRequest(
                    "INVALID_JSON",
                    "The body is nested deeper than " + Json.MAX_NESTING_DEPTH + " levels or has an oversized value.");
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate")) {
                // The same name twice has no one meaning; taking either copy would be a guess.
                throw ServiceException.badRequest(
                        "INVALID_JSON",
                        "The body names a property twice in one object: " + e.getOriginalMessage() + ".");
            }
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw ServiceException.badRequest("INVALID_JSON", "The body is not valid JSON" + where + ".");
        }
        Json.Unacceptable unacceptable = Json.unacceptable(body);
        if (unacceptable != null) {
            throw new ServiceException(
                    Failure.BAD_REQUEST,
                    List.of(new ErrorDetail(
                            "INVALID_JSON",
                            "At " + unacceptable.path() + " " + unacceptable.reason() + ".",
                            unacceptable.path())));
        }
        return body;
    }

    String bodyText() {
        String body = event.getBody();
        if (body == null) {
            return "";
        }
        byte[] bytes;
        if (event.getIsBase64Encoded()) {
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ServiceException.badRequest("INVALID_BODY", "The body is not valid base64.");
            }
        } else {
            if (body.length() > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            // Text without surrogates is its own UTF-8 round trip: only its size needs counting.
            long utf8Bytes = 0;
            for (int i = 0; i < body.length() && utf8Bytes >= 0; i++) {
                char c = body.charAt(i);
                if (Character.isSurrogate(c)) {
                    utf8Bytes = -1;
                } else {
                    utf8Bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                }
            }
            if (utf8Bytes >= 0) {
                if (utf8Bytes > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
                return body;
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ServiceException.badRequest("INVALID_ENCODING", "The body is not valid UTF-8.");
        }
    }

    private static ServiceException tooLarge() {
        return new ServiceException(
                Failure.PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "The body is larger than " + MAX_BODY_BYTES + " bytes.");
    }
}
