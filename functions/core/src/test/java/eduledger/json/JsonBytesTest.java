package eduledger.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JSON text written into UTF-8: exactly its encoding, with only lone surrogates written as escapes. */
class JsonBytesTest {

    @Test
    void writesTextAsItsUtf8WhateverWayItIsHandedOver() {
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            String string = RandomText.next(random, round);
            JsonBytes bytes = new JsonBytes(random.nextInt(40));
            String before = "x".repeat(random.nextInt(9));
            bytes.write(before);
            int from = bytes.length();
            // Cut anywhere, a pair of surrogates included, and handed over in the three ways a generator does.
            int at = 0;
            while (at < string.length()) {
                int end = at + 1 + random.nextInt(Math.min(40, string.length() - at));
                switch (random.nextInt(3)) {
                    case 0 -> bytes.write(string, at, end - at);
                    case 1 -> bytes.write(string.substring(at, end).toCharArray(), 0, end - at);
                    default -> {
                        for (int i = at; i < end; i++) {
                            bytes.write(string.charAt(i));
                        }
                    }
                }
                at = end;
            }
            assertArrayEquals(expected(string), Arrays.copyOfRange(bytes.array(), from, bytes.length()), string);
            assertEquals(before, new String(bytes.array(), 0, from, StandardCharsets.UTF_8));
        }
    }

    @Test
    void storedJsonGoesInAsItsEncodingAndATreeWrittenHereMatchesIt() throws IOException {
        ObjectNode tree = Json.object();
        tree.put("q", "\"\\ \u20ac \u00e9 \ud834\udd1e \n\t\u0001 plain");
        tree.putArray("a").add(1.5).add(true).addNull().addObject().put("k", "\u2028");
        String stored = Json.write(tree);

        JsonBytes bytes = new JsonBytes(16);
        bytes.writeStored(stored);
        bytes.appendAscii(',');
        int treeFrom = bytes.length();
        try (JsonGenerator json = Json.sequence(bytes)) {
            Json.write(tree, json);
        }
        byte[] utf8 = stored.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(utf8, Arrays.copyOf(bytes.array(), utf8.length));
        assertArrayEquals(utf8, Arrays.copyOfRange(bytes.array(), treeFrom, bytes.length()));
    }

    @Test
    void aLoneSurrogateInsideAStringIsItsEscapeAndReadsBackAsItself() throws IOException {
        ObjectNode tree = Json.object();
        tree.put("lone", "a\ud800b\udfff");
        JsonBytes bytes = new JsonBytes(4);
        try (JsonGenerator json = Json.sequence(bytes)) {
            Json.write(tree, json);
        }
        String written = new String(bytes.array(), 0, bytes.length(), StandardCharsets.UTF_8);
        assertEquals("{\"lone\":\"a\\uD800b\\uDFFF\"}", written);
        assertEquals(
                "a\ud800b\udfff",
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(written)
                        .path("lone")
                        .asText());
    }

    @Test
    void cutForgetsWhatCameAfter() {
        JsonBytes bytes = new JsonBytes(4);
        bytes.write("{\"a\":1}");
        int length = bytes.length();
        bytes.write("{\"b\":\"\ud83d");
        bytes.cut(length);
        bytes.write(",2");
        assertEquals("{\"a\":1},2", new String(bytes.array(), 0, bytes.length(), StandardCharsets.UTF_8));
    }

    @Test
    void roomReservedAtOnceHoldsWhatIsWrittenWithoutGrowingAgain() {
        JsonBytes bytes = new JsonBytes(16);
        bytes.writeStored("{\"first\":\"item\"}");
        int before = bytes.length();
        bytes.reserve(4096);
        byte[] reserved = bytes.array();
        assertEquals(before + 4096, reserved.length);
        String rest = ",{\"caf\u00e9\":\"quoted\"}".repeat(100);
        bytes.writeStored(rest);
        assertEquals(reserved, bytes.array(), "what fits in the room reserved is written there");
        assertArrayEquals(
                ("{\"first\":\"item\"}" + rest).getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(bytes.array(), bytes.length()));
        bytes.reserve(1);
        assertEquals(reserved, bytes.array(), "room already there is not made again");
    }

    /** UTF-8 of each character, a pair of surrogates as one; a lone surrogate as its six-character escape. */
    private static byte[] expected(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.writeBytes(String.format("\\u%04X", (int) c).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
