package eduledger.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Text escaped here must be, byte for byte, what jackson-core's UTF-8 generator writes inside a string. */
class JsonStringBytesTest {

    @Test
    void escapesEveryCharacterAsTheUtf8GeneratorDoes() throws IOException {
        StringBuilder every = new StringBuilder();
        for (int c = 0; c <= 0xffff; c++) {
            every.append((char) c);
        }
        // Pairs beyond the BMP, a lone surrogate of each kind, and long runs the generator writes in segments.
        every.append("\ud834\udd1e \ud83d\ude00 \ud800 x \udfff ");
        every.append("\"\\\n".repeat(20_000)).append("\u20ac".repeat(10_000));
        String text = every.toString();
        assertArrayEquals(byGenerator(text), written(text));
    }

    @Test
    void countsTheSurrogatesItWrote() {
        JsonStringBytes bytes = new JsonStringBytes(4);
        bytes.write("a\ud834\udd1e\ud800");
        assertEquals(3, bytes.surrogates());
        int length = bytes.length();
        bytes.write("\ud83d\ude00\"");
        bytes.cut(length, 3);
        assertEquals(3, bytes.surrogates());
        assertEquals("a\\uD834\\uDD1E\\uD800", new String(bytes.array(), 0, bytes.length(), StandardCharsets.UTF_8));
    }

    private static byte[] written(String text) {
        JsonStringBytes bytes = new JsonStringBytes(16);
        // Through each way a generator hands text over.
        int third = text.length() / 3;
        bytes.write(text.substring(0, third));
        bytes.write(text.substring(third, 2 * third).toCharArray());
        for (int i = 2 * third; i < text.length(); i++) {
            bytes.write(text.charAt(i));
        }
        return Arrays.copyOf(bytes.array(), bytes.length());
    }

    private static byte[] byGenerator(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeString(text);
        }
        byte[] quoted = out.toByteArray();
        return Arrays.copyOfRange(quoted, 1, quoted.length - 1);
    }
}
