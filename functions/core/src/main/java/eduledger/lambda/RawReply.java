package eduledger.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What a route returns when its API has its own shapes (Canvas compound documents): the body as
 * is, and headers such as {@code Link}. The router adds the content type and renders failures.
 */
public record RawReply(int status, JsonNode body, Map<String, String> headers) {
    public RawReply {
        headers = Map.copyOf(headers);
    }

    public static RawReply ok(JsonNode body, Map<String, String> headers) {
        return new RawReply(200, body, headers);
    }
}
