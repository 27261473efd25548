package eduledger.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the readers of Lambda's event JSON ({@link eduledger.lambda.HttpEventJson},
 * {@link eduledger.lambda.StreamEventJson}) share: how their jackson-core factory is set up, and
 * reading strings the way the runtime's own mapper does.
 */
public final class EventJson {
    /** Lambda's payload limit is 6 MB, and one string (a request body, an item's attribute) may take most of it. */
    private static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;

    private EventJson() {}

    /** @param maxNestingDepth the deepest the event may nest, skipped fields included (they are still parsed) */
    public static JsonFactory factory(int maxNestingDepth) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNestingDepth(maxNestingDepth)
                        .build())
                // The runtime owns the output stream and reads it after the handler returns.
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
    }

    /** A string, or any scalar as its text (the runtime's mapper coerces them too); null stays null. */
    public static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw new JsonParseException(parser, "expected a string, found " + value);
        }
        return parser.getText();
    }

    /** An array of strings; null stays null. */
    public static List<String> texts(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, value, JsonToken.START_ARRAY);
        List<String> texts = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            texts.add(text(parser, token));
        }
        return texts;
    }

    public static void expect(JsonParser parser, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(parser, "expected " + expected + ", found " + actual);
        }
    }
}
