package eduledger.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
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
    void writesRandomStringsAsTheUtf8GeneratorDoes() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            String string = RandomText.next(random, round);
            JsonStringBytes bytes = new JsonStringBytes(random.nextInt(40));
            // After something already written, so the bytes land at any offset of the array.
            String before = "x".repeat(random.nextInt(9));
            bytes.write(before);
            int from = bytes.length();
            bytes.write(string);
            assertArrayEquals(byGenerator(string), Arrays.copyOfRange(bytes.array(), from, bytes.length()), string);
            assertEquals(before, new String(bytes.array(), 0, from, StandardCharsets.UTF_8));

            int start = string.isEmpty() ? 0 : random.nextInt(string.length());
            int end = start + random.nextInt(string.length() - start + 1);
            JsonStringBytes part = new JsonStringBytes(16);
            part.write(string, start, end - start);
            assertArrayEquals(
                    byGenerator(string.substring(start, end)), Arrays.copyOf(part.array(), part.length()), string);
        }
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
