package eduledger.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;

/**
 * The one way JSON is read and written: the tree model ({@link JsonNode}) over jackson-core's
 * streaming parser and generator. No {@code ObjectMapper} is built: its configuration and
 * serializer machinery cost a fresh JVM a quarter of a second and hundreds of classes, for a
 * tree that a loop over tokens builds just as well. Trees are the ones databind would make (ints
 * as int, long or big integer nodes, every fraction as an exact {@link BigDecimal} without
 * trailing zeros), and written byte for byte as it would write them.
 */
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

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(1_000_000)
                    .build())
            // A repeated name would otherwise mean whatever its last copy says.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // A caller's stream stays the caller's to close.
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * Parses one JSON document: at most {@link #MAX_NESTING_DEPTH} deep, no name twice in one
     * object, nothing after the value. Empty input is the missing node. Numbers are checked only
     * for their length here; {@link #unacceptable} checks what they say.
     *
     * @throws com.fasterxml.jackson.core.exc.StreamConstraintsException when the document is too
     *     deep or holds an oversized value
     * @throws JsonProcessingException when it is not one JSON value; a repeated name's message
     *     starts with {@code Duplicate}
     */
    public static JsonNode read(String json) throws JsonProcessingException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return document(parser);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #read(String)} of UTF-8 bytes (or UTF-16/32 with their byte order marks, as JSON allows). */
    public static JsonNode read(InputStream json) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return document(parser);
        }
    }

    /** Parses JSON that the service itself stored; a failure here is a defect, not bad input. */
    public static JsonNode readStored(String json) {
        try {
            return read(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(JsonNode node) {
        // A character generator, as databind uses for a String: a lone surrogate is written as it is.
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes {@code node} as UTF-8; {@code out} is left open. */
    public static void write(JsonNode node, OutputStream out) throws IOException {
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(node, generator);
        }
    }

    /**
     * A character generator, as {@link #write(JsonNode)} uses, that writes to {@code out} one value
     * after another with nothing between them; {@code out} is left open.
     */
    public static JsonGenerator sequence(Writer out) {
        try {
            JsonGenerator generator = FACTORY.createGenerator(out);
            generator.setRootValueSeparator(null);
            return generator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode document(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            return NODES.missingNode();
        }
        JsonNode root = value(parser, first);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new JsonParseException(
                    parser, "Trailing token (of type " + trailing + ") found after the document's value");
        }
        return root;
    }

    /** The value that starts at {@code token}; recursion is bounded by the parser's nesting limit. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    object.set(name, value(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    array.add(value(parser, item));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default:
                        return NODES.numberNode(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return decimal(parser.getDecimalValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(parser, "Unexpected token " + token);
        }
    }

    /** As databind keeps a fraction: exact, and without trailing zeros (1.50 is 1.5) where that can be computed. */
    private static JsonNode decimal(BigDecimal value) {
        BigDecimal kept = value;
        if (NODES.willStripTrailingBigDecimalZeroes()) {
            try {
                kept = value.stripTrailingZeros();
            } catch (ArithmeticException e) {
                // A scale beyond int's range; the value stays as written.
            }
        }
        return NODES.numberNode(kept);
    }

    /** Writes {@code node} with {@code out}, as {@link #write(JsonNode)} writes it. */
    public static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT:
                out.writeStartObject(node, node.size());
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    out.writeFieldName(field.getKey());
                    write(field.getValue(), out);
                }
                out.writeEndObject();
                break;
            case ARRAY:
                out.writeStartArray(node, node.size());
                for (int i = 0; i < node.size(); i++) {
                    write(node.get(i), out);
                }
                out.writeEndArray();
                break;
            case STRING:
                out.writeString(node.textValue());
                break;
            case NUMBER:
                number(node, out);
                break;
            case BOOLEAN:
                out.writeBoolean(node.booleanValue());
                break;
            case NULL:
                out.writeNull();
                break;
            case BINARY:
                out.writeBinary(node.binaryValue());
                break;
            case POJO:
                // Stored JSON spliced into a response as it is, without parsing it into a tree first.
                if (((POJONode) node).getPojo() instanceof RawValue raw && raw.rawValue() instanceof String json) {
                    out.writeRawValue(json);
                    break;
                }
                throw new IllegalArgumentException("no JSON for a " + node.getNodeType() + " node");
            default:
                throw new IllegalArgumentException("no JSON for a " + node.getNodeType() + " node");
        }
    }

    private static void number(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.numberType()) {
            case INT:
                out.writeNumber(node.intValue());
                break;
            case LONG:
                out.writeNumber(node.longValue());
                break;
            case BIG_INTEGER:
                out.writeNumber(node.bigIntegerValue());
                break;
            case FLOAT:
                out.writeNumber(node.floatValue());
                break;
            case DOUBLE:
                out.writeNumber(node.doubleValue());
                break;
            default:
                out.writeNumber(node.decimalValue());
        }
    }

    /**
     * The first value of {@code node} the service does not accept although it parses: a number
     * beyond {@link #MAX_NUMBER_DIGITS} or {@link #MAX_NUMBER_EXPONENT}, or a string or name with a
     * lone UTF-16 surrogate (an escape such as {@code \\ud800} that is no character and could not be
     * stored as UTF-8). Null when there is none. The walk is linear in the size of the tree.
     */
    public static Unacceptable unacceptable(JsonNode node) {
        // The path is built only for what is found: every request body is walked, and almost all pass.
        ArrayDeque<Object> trail = new ArrayDeque<>();
        String reason = reason(node, trail);
        if (reason == null) {
            return null;
        }
        StringBuilder path = new StringBuilder("$");
        for (Iterator<Object> steps = trail.descendingIterator(); steps.hasNext(); ) {
            Object step = steps.next();
            if (step instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else if (PLAIN_NAME.matcher((String) step).matches()) {
                path.append('.').append(step);
            } else {
                path.append("['")
                        .append(((String) step).replace("\\", "\\\\").replace("'", "\\'"))
                        .append("']");
            }
        }
        return new Unacceptable(path.toString(), reason);
    }

    /** Why a value of a parsed document is refused, and where it is. */
    public record Unacceptable(String path, String reason) {}

    /** Why the first unacceptable value in {@code node} is refused; {@code trail} is left at its place. */
    private static String reason(JsonNode node, ArrayDeque<Object> trail) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (hasLoneSurrogate(field.getKey())) {
                    return "a property name holds a lone UTF-16 surrogate, which is no character";
                }
                trail.push(field.getKey());
                String inner = reason(field.getValue(), trail);
                if (inner != null) {
                    return inner;
                }
                trail.pop();
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                trail.push(i);
                String inner = reason(node.get(i), trail);
                if (inner != null) {
                    return inner;
                }
                trail.pop();
            }
        } else if (node.isTextual()) {
            if (hasLoneSurrogate(node.textValue())) {
                return "the string holds a lone UTF-16 surrogate, which is no character";
            }
        } else if (node.isBigInteger()) {
            return outOfRange(new BigDecimal(node.bigIntegerValue()));
        } else if (node.isBigDecimal() || node.isFloatingPointNumber()) {
            return outOfRange(node.decimalValue());
        }
        return null;
    }

    private static String outOfRange(BigDecimal number) {
        if (number.signum() == 0) {
            // Zero written with a huge exponent (0e-99999999) is still zero, but carries that scale into arithmetic.
            return Math.abs((long) number.scale()) > MAX_NUMBER_EXPONENT + MAX_NUMBER_DIGITS
                    ? "the number's exponent is beyond \u00b1" + MAX_NUMBER_EXPONENT
                    : null;
        }
        if (number.precision() > MAX_NUMBER_DIGITS) {
            return "the number has more than " + MAX_NUMBER_DIGITS + " significant digits";
        }
        long exponent = (long) number.precision() - number.scale() - 1;
        if (exponent > MAX_NUMBER_EXPONENT || exponent < -MAX_NUMBER_EXPONENT) {
            return "the number is beyond the accepted magnitude (1e-" + MAX_NUMBER_EXPONENT + " to 1e"
                    + MAX_NUMBER_EXPONENT + ")";
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
        // Every event and page renders dates: by hand it is several times cheaper than the formatter,
        // which stays for years of other than four digits.
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 1000 || year > 9999) {
            return TIMESTAMP.format(instant);
        }
        char[] text = new char[24];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, utc.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, utc.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, utc.getHour(), 2);
        text[13] = ':';
        digits(text, 14, utc.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, utc.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, utc.getNano() / 1_000_000, 3);
        text[23] = 'Z';
        return new String(text);
    }

    private static void digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
