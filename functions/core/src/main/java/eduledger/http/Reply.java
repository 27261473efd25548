package eduledger.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** What an Edlink-style route returns; the router wraps it in the envelope. */
public record Reply(int status, JsonNode data, List<ErrorDetail> warnings, String next) {

    public static Reply ok(JsonNode data) {
        return new Reply(200, data, List.of(), null);
    }

    public static Reply created(JsonNode data) {
        return new Reply(201, data, List.of(), null);
    }

    public static Reply page(JsonNode data, String next) {
        return new Reply(200, data, List.of(), next);
    }

    public Reply withWarnings(List<ErrorDetail> moreWarnings) {
        return new Reply(status, data, List.copyOf(moreWarnings), next);
    }
}
