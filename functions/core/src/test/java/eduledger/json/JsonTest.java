package eduledger.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    /**
     * The data-binding mapper as the service was configured with before it parsed and wrote trees
     * itself: every tree and every byte must stay what it made.
     */
    private static final ObjectMapper DATABIND = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                            .maxStringLength(1_000_000)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static Stream<String> corpus() throws IOException {
        List<String> documents = new ArrayList<>(List.of(
                "{}",
                "[]",
                "  {\"a\" : [ 1 , 2 ,3 ] }  \n",
                "\"text\"",
                "null",
                "true",
                "false",
                "0",
                "-0",
                "2147483647",
                "2147483648",
                "-2147483648",
                "-2147483649",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775809",
                "123456789012345678901234567890123456789",
                "[1.0, 1.50, -0.0, 0.000, 100e-2, 1e2, 1E+2, 2.5e-3, 1e-7, 0e10, 0.1, 3.14159265358979323846264338327950288]",
                "[1e300, -1e-300, 1.7976931348623157e308, 4.9e-324, 12345678901234567890.12345678901234567890]",
                "{\"escapes\": \"quote \\\" backslash \\\\ slash \\/ tab \\t newline \\n cr \\r bs \\b ff \\f nul \\u0000 del \\u007f\"}",
                "{\"unicode\": \"é ß 中文 \\u00e9 \\u2028 \\u2029 😀 \\ud83d\\ude00 </script>\"}",
                "{\"\": \"empty name\", \"a.b\": {\"[0]\": [\"x\"]}, \"é\": 1}",
                "{\"lone\": \"\\ud800\", \"low\": \"\\udc00 end\"}",
                "{\"event\": {\"action\": \"user.login\", \"actor\": {\"type\": \"person\", \"identifiers\": [{\"issuer\": \"sis\","
                        + " \"value\": \"p-1\"}]}, \"targets\": [{\"type\": \"course\", \"identifiers\": []}],"
                        + " \"data\": {\"score\": 97.50, \"attempts\": 3, \"passed\": true, \"note\": null,"
                        + " \"tags\": [\"a\", \"b\", [[[]]], {}]}}}"));
        documents.add("[" + "[".repeat(Json.MAX_NESTING_DEPTH - 1) + "]".repeat(Json.MAX_NESTING_DEPTH));
        StringBuilder control = new StringBuilder("\"");
        for (char c = 0; c < 0x20; c++) {
            control.append(String.format("\\u%04x", (int) c));
        }
        documents.add(control.append('"').toString());
        // The repository's sample events: API Gateway envelopes and stream batches, and the bodies they carry.
        try (Stream<Path> files = Files.list(Path.of("../../events"))) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String envelope = Files.readString(file);
                documents.add(envelope);
                JsonNode body = DATABIND.readTree(envelope).path("body");
                if (body.isTextual() && !body.textValue().isBlank()) {
                    documents.add(body.textValue());
                }
            }
        }
        return documents.stream();
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void readsTheTreeDatabindReadAndWritesTheSameBytes(String document) throws IOException {
        JsonNode expected = DATABIND.readTree(document);
        JsonNode actual = Json.read(document);
        assertSameTree(expected, actual, "$");
        assertEquals(DATABIND.writeValueAsString(expected), Json.write(actual));
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        Json.write(actual, utf8);
        assertEquals(
                new String(DATABIND.writeValueAsBytes(expected), StandardCharsets.UTF_8),
                utf8.toString(StandardCharsets.UTF_8));
        assertSameTree(expected, Json.read(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))), "$");
    }

    @Test
    void writesBuiltTreesAsDatabindDoes() throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode tree = Json.object()
                .put("int", 7)
                .put("long", 1L << 40)
                .put("short", (short) 3)
                .put("double", 0.1)
                .put("wholeDouble", 2.0)
                .put("float", 1.25f)
                .put("nan", Double.NaN)
                .put("big", new BigInteger("123456789012345678901234567890"))
                .put("decimal", new BigDecimal("1.500"))
                .put("tiny", new BigDecimal("1E-20"))
                .put("huge", new BigDecimal("1E+20"))
                .put("bytes", new byte[] {0, 1, 2, (byte) 255})
                .put("text", "line\nbreak")
                .putNull("nothing");
        tree.set("nullText", nodes.textNode(null));
        tree.set("nested", Json.array().add(Json.object()).add(Json.array()).add(false));
        assertEquals(DATABIND.writeValueAsString(tree), Json.write(tree));
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        Json.write(tree, utf8);
        assertEquals(
                new String(DATABIND.writeValueAsBytes(tree), StandardCharsets.UTF_8),
                utf8.toString(StandardCharsets.UTF_8));
    }

    @Test
    void keepsFractionsExactAsDecimals() throws JsonProcessingException {
        JsonNode numbers = Json.read("[0.30000000000000000001, 1.50, 2e0, 1e400]");
        assertInstanceOf(DecimalNode.class, numbers.get(0));
        assertEquals(new BigDecimal("0.30000000000000000001"), numbers.get(0).decimalValue());
        assertEquals(new BigDecimal("1.5"), numbers.get(1).decimalValue());
        assertEquals(new BigDecimal("2"), numbers.get(2).decimalValue());
        assertEquals(new BigDecimal("1E+400"), numbers.get(3).decimalValue());
        assertTrue(Json.read("2147483648").isLong());
        assertTrue(Json.read("9223372036854775808").isBigInteger());
        assertTrue(Json.read("7").isInt());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\": 1, \"a\": 2}",
                "{\"a\": 1, \"b\": {\"c\": 1, \"c\": 1}}",
                "[{\"x\": null, \"y\": 0, \"x\": null}]"
            })
    void refusesANameTwiceInOneObject(String document) {
        JsonProcessingException refused = assertThrows(JsonProcessingException.class, () -> Json.read(document));
        assertTrue(refused.getOriginalMessage().startsWith("Duplicate"), refused.getOriginalMessage());
        assertThrows(JsonProcessingException.class, () -> DATABIND.readTree(document));
    }

    @Test
    void allowsOneNameInSeveralObjects() throws JsonProcessingException {
        JsonNode read = Json.read("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 2}, {\"a\": 3}]}");
        assertEquals(3, read.path("b").get(1).path("a").intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "1 2", "{\"a\": 1}]", "[1]x", "\"a\" \"b\"", "null null", "{}}"})
    void refusesAnythingAfterTheValue(String document) {
        JsonProcessingException refused = assertThrows(JsonProcessingException.class, () -> Json.read(document));
        assertNotNull(refused.getLocation());
        assertThrows(JsonProcessingException.class, () -> DATABIND.readTree(document));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,]", "{\"a\"}", "{'a': 1}", "[NaN]", "01", "\"unterminated", "[1 2]", "tru"})
    void refusesWhatIsNotJsonWithAPosition(String document) {
        JsonProcessingException refused = assertThrows(JsonProcessingException.class, () -> Json.read(document));
        assertNotNull(refused.getLocation());
        assertThrows(JsonProcessingException.class, () -> DATABIND.readTree(document));
    }

    @Test
    void readsNothingAsTheMissingNodeAsDatabindDid() throws IOException {
        assertEquals(MissingNode.getInstance(), Json.read(""));
        assertEquals(MissingNode.getInstance(), Json.read(" \n\t"));
        assertEquals(DATABIND.readTree(" "), Json.read(" "));
    }

    @Test
    void refusesNestingBeyondTheLimit() throws JsonProcessingException {
        int limit = Json.MAX_NESTING_DEPTH;
        assertEquals(limit, depth(Json.read("[".repeat(limit) + "]".repeat(limit))));
        String objects = "{\"a\":".repeat(limit - 1) + "{}" + "}".repeat(limit - 1);
        assertEquals(limit, depth(Json.read(objects)));
        for (String deeper : List.of(
                "[".repeat(limit + 1) + "]".repeat(limit + 1),
                "{\"a\":".repeat(limit) + "{}" + "}".repeat(limit),
                "[".repeat(100_000))) {
            assertThrows(StreamConstraintsException.class, () -> Json.read(deeper));
            assertThrows(StreamConstraintsException.class, () -> DATABIND.readTree(deeper));
        }
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : deepest;
    }

    @Test
    void refusesOversizedValuesWhileParsing() {
        String longString = "\"" + "x".repeat(1_000_001) + "\"";
        assertThrows(StreamConstraintsException.class, () -> Json.read(longString));
        String longNumber = "1" + "0".repeat(1_000);
        assertThrows(StreamConstraintsException.class, () -> Json.read(longNumber));
        assertThrows(StreamConstraintsException.class, () -> DATABIND.readTree(longNumber));
    }

    @Test
    void findsNumbersBeyondTheAcceptedDigitsAndMagnitude() throws JsonProcessingException {
        String hundredDigits = "1" + "0".repeat(Json.MAX_NUMBER_DIGITS - 2) + "1";
        assertNull(Json.unacceptable(
                Json.read("[" + hundredDigits + ", 0." + hundredDigits + ", 1e300, 1e-300, -1e300]")));
        Json.Unacceptable digits = Json.unacceptable(Json.read("{\"n\": [1, " + hundredDigits + "1]}"));
        assertEquals("$.n[1]", digits.path());
        assertTrue(digits.reason().contains("significant digits"), digits.reason());
        assertEquals(
                "$.f",
                Json.unacceptable(Json.read("{\"f\": 0." + hundredDigits + "1}"))
                        .path());
        // Zero needs no digits: databind, and so the service, keeps 0e-99999999 as plain 0.
        assertNull(Json.unacceptable(Json.read("0e-99999999")));
        for (String beyond : List.of("1e301", "-1e301", "1e-301", "9.9e-301", "1e-99999999")) {
            Json.Unacceptable magnitude = Json.unacceptable(Json.read("{\"x y\": " + beyond + "}"));
            assertEquals("$['x y']", magnitude.path(), beyond);
            assertTrue(magnitude.reason().contains("1e"), magnitude.reason());
        }
    }

    @Test
    void namesThePlaceOfWhatItFinds() throws JsonProcessingException {
        JsonNode document = Json.read("{\"ok\": [1, {\"b\": 2}], \"it's\": {\"a\\\\b\": [0, {\"_x$1\": 1e999}]}}");
        assertEquals(
                "$['it\\'s']['a\\\\b'][1]._x$1", Json.unacceptable(document).path());
        assertEquals("$", Json.unacceptable(Json.read("1e999")).path());
        assertEquals(
                "$[2][0]",
                Json.unacceptable(Json.read("[[], [1], [\"\\udfff\"]]")).path());
    }

    @Test
    void findsLoneSurrogatesInStringsAndNames() throws JsonProcessingException {
        assertNull(Json.unacceptable(Json.read("{\"ok\": \"\\ud83d\\ude00 😀\"}")));
        Json.Unacceptable high = Json.unacceptable(Json.read("{\"a\": [\"x\", \"\\ud800\"]}"));
        assertEquals("$.a[1]", high.path());
        assertTrue(high.reason().contains("surrogate"));
        assertEquals(
                "$.a",
                Json.unacceptable(Json.read("{\"a\": \"\\udc00\\ud800\"}")).path());
        assertEquals(
                "$.a", Json.unacceptable(Json.read("{\"a\": \"end \\ud83d\"}")).path());
        // The parser itself refuses a broken pair in a name; a tree built in code is checked here.
        assertThrows(JsonProcessingException.class, () -> Json.read("{\"\\ud800\": 1}"));
        ObjectNode built = Json.object();
        built.set("a", Json.object().put("\ud800", 1));
        Json.Unacceptable name = Json.unacceptable(built);
        assertEquals("$.a", name.path());
        assertTrue(name.reason().contains("property name"));
    }

    @Test
    void writesTimestampsAsTheFormatterDoes() {
        DateTimeFormatter edlink =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.parse("1999-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-03-02T10:15:30.001Z"),
                Instant.parse("0999-01-01T00:00:00Z"),
                Instant.parse("1000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-07-20T20:17:40.5Z")));
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 10_000; i++) {
            instants.add(Instant.ofEpochSecond(
                    random.nextLong(-5_000_000_000L, 200_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            assertEquals(edlink.format(instant), Json.timestamp(instant), instant.toString());
        }
    }

    @Test
    void storedJsonThatDoesNotParseIsADefect() {
        assertThrows(UncheckedIOException.class, () -> Json.readStored("{\"a\": 1} x"));
    }

    private static void assertSameTree(JsonNode expected, JsonNode actual, String path) {
        assertEquals(expected.getClass(), actual.getClass(), path);
        assertEquals(expected, actual, path);
        if (expected.isObject()) {
            assertEquals(List.copyOf(names(expected)), List.copyOf(names(actual)), path);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                assertSameTree(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey());
            }
        } else if (expected.isArray()) {
            ArrayNode items = (ArrayNode) expected;
            for (int i = 0; i < items.size(); i++) {
                assertSameTree(items.get(i), actual.get(i), path + "[" + i + "]");
            }
        } else if (expected.isNumber()) {
            assertEquals(expected.numberValue(), actual.numberValue(), path);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
