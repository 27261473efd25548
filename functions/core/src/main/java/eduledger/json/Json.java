package eduledger.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;

/** The one JSON mapper (tree model only: no data binding, no reflection at request time). */
public final class Json {
    /** Deeper bodies are refused rather than risking deep recursion in validators. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Significant digits a number may have; more precision than any audit or roster value needs. */
    public static final int MAX_NUMBER_DIGITS = 100;
    /**
     * Largest decimal exponent of a non-zero number, either way (1e-300 to 1e300). Beyond it
     * arithmetic such as {@code multipleOf} would work on numbers of millions of digits.
     */
    public static final int MAX_NUMBER_EXPONENT = 300;

    private static final java.util.regex.Pattern PLAIN_NAME =
            java.util.regex.Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(1_000_000)
                            .build())
                    // A repeated name would otherwise mean whatever its last copy says.
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON that the service itself stored; a failure here is a defect, not bad input. */
    public static JsonNode readStored(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first value of {@code node} the service does not accept although it parses: a number
     * beyond {@link #MAX_NUMBER_DIGITS} or {@link #MAX_NUMBER_EXPONENT}, or a string or name with a
     * lone UTF-16 surrogate (an escape such as {@code \\ud800} that is no character and could not be
     * stored as UTF-8). Null when there is none. The walk is linear in the size of the tree.
     */
    public static Unacceptable unacceptable(JsonNode node) {
        return unacceptable(node, "$");
    }

    /** Why a value of a parsed document is refused, and where it is. */
    public record Unacceptable(String path, String reason) {}

    private static Unacceptable unacceptable(JsonNode node, String path) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = PLAIN_NAME.matcher(field.getKey()).matches()
                        ? path + "." + field.getKey()
                        : path + "['" + field.getKey().replace("\\", "\\\\").replace("'", "\\'") + "']";
                if (hasLoneSurrogate(field.getKey())) {
                    return new Unacceptable(
                            path, "a property name holds a lone UTF-16 surrogate, which is no character");
                }
                Unacceptable inner = unacceptable(field.getValue(), at);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Unacceptable inner = unacceptable(node.get(i), path + "[" + i + "]");
                if (inner != null) {
                    return inner;
                }
            }
        } else if (node.isTextual()) {
            if (hasLoneSurrogate(node.textValue())) {
                return new Unacceptable(path, "the string holds a lone UTF-16 surrogate, which is no character");
            }
        } else if (node.isBigInteger()) {
            return outOfRange(new BigDecimal(node.bigIntegerValue()), path);
        } else if (node.isBigDecimal()) {
            return outOfRange(node.decimalValue(), path);
        } else if (node.isFloatingPointNumber()) {
            return outOfRange(node.decimalValue(), path);
        }
        return null;
    }

    private static Unacceptable outOfRange(BigDecimal number, String path) {
        if (number.signum() == 0) {
            // Zero written with a huge exponent (0e-99999999) is still zero, but carries that scale into arithmetic.
            return Math.abs((long) number.scale()) > MAX_NUMBER_EXPONENT + MAX_NUMBER_DIGITS
                    ? new Unacceptable(path, "the number's exponent is beyond \u00b1" + MAX_NUMBER_EXPONENT)
                    : null;
        }
        if (number.precision() > MAX_NUMBER_DIGITS) {
            return new Unacceptable(path, "the number has more than " + MAX_NUMBER_DIGITS + " significant digits");
        }
        long exponent = (long) number.precision() - number.scale() - 1;
        if (exponent > MAX_NUMBER_EXPONENT || exponent < -MAX_NUMBER_EXPONENT) {
            return new Unacceptable(
                    path,
                    "the number is beyond the accepted magnitude (1e-" + MAX_NUMBER_EXPONENT + " to 1e"
                            + MAX_NUMBER_EXPONENT + ")");
        }
        return null;
    }

    /** Whether {@code text} holds a UTF-16 surrogate without its pair: no character, and UTF-8 cannot carry it. */
    public static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Edlink's date format: UTC, millisecond precision, always three fraction digits. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }
}
