package eduledger.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import eduledger.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of an error or warning list: an UPPER_SNAKE code, a sentence for a person, and where
 * it applies (a JSON path such as {@code $.data.price}) when it is about one place in the input.
 * The JSON form is the same in responses and in stored events, so it is written only here.
 */
public record ErrorDetail(String code, String message, String path) {

    public static ErrorDetail of(String code, String message) {
        return new ErrorDetail(code, message, null);
    }

    public static ArrayNode toJson(List<ErrorDetail> details) {
        ArrayNode array = Json.array();
        for (ErrorDetail detail : details) {
            var item = array.addObject();
            item.put("code", detail.code());
            item.put("message", detail.message());
            if (detail.path() != null) {
                item.put("path", detail.path());
            }
        }
        return array;
    }

    /** Reads back what {@link #toJson} wrote. */
    public static List<ErrorDetail> fromJson(JsonNode array) {
        List<ErrorDetail> details = new ArrayList<>();
        array.forEach(e -> details.add(new ErrorDetail(
                e.path("code").asText(),
                e.path("message").asText(),
                e.hasNonNull("path") ? e.path("path").asText() : null)));
        return details;
    }
}
