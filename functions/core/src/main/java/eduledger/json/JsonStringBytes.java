package eduledger.json;

import java.io.Writer;
import java.util.Arrays;

/**
 * Text as it travels inside a JSON string written as UTF-8: the bytes between the quotes, byte for
 * byte as jackson-core's UTF-8 generator writes a string (quotes and backslashes escaped, control
 * characters as their short or {@code \}{@code u00XX} escapes, each UTF-16 surrogate as its own
 * escape, everything else as UTF-8). A Lambda response carries its body as such a string, so a body
 * written here, by a character generator as {@link Json#write(com.fasterxml.jackson.databind.JsonNode)}
 * would write it, is ready for the response without being built as a {@code String} and escaped
 * again. It grows as needed and can be cut back to where it was, so a page can measure an item by
 * writing it and take it back when it does not fit.
 */
public final class JsonStringBytes extends Writer {
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    /** Per ASCII character: 0 as it is, the letter of its short escape, or 'u' for the six-character one. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private byte[] bytes;
    private int length;
    private long surrogates;
    private final char[] chunk = new char[2048];

    public JsonStringBytes(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** The bytes written so far are {@code array()[0]} to {@code array()[length() - 1]}. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /**
     * The UTF-16 surrogates written so far, each of which took six bytes: what counting them as a
     * UTF-8 generator's own escapes, escaped once more, would add is one byte each.
     */
    public long surrogates() {
        return surrogates;
    }

    /** Forgets what was written after {@code length} bytes, with the surrogates among it. */
    public void cut(int length, long surrogates) {
        this.length = length;
        this.surrogates = surrogates;
    }

    /** Appends bytes of another such text as they are: they are escaped already. */
    public void appendEscaped(byte[] escaped, int from, int to) {
        ensure(to - from);
        System.arraycopy(escaped, from, bytes, length, to - from);
        length += to - from;
    }

    /** Appends one ASCII character that needs no escape, such as a separating comma. */
    public void appendPlain(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
    }

    @Override
    public void write(int c) {
        ensure(6);
        length = put(bytes, length, (char) c);
    }

    @Override
    public void write(String text) {
        write(text, 0, text.length());
    }

    @Override
    public void write(char[] chars) {
        write(chars, 0, chars.length);
    }

    // Most of what a page writes is plain ASCII: one byte each, checked against the room left only
    // when a character may take more than one.

    @Override
    public void write(char[] chars, int offset, int count) {
        ensure(count);
        byte[] out = bytes;
        int at = length;
        for (int i = offset, end = offset + count; i < end; i++) {
            char c = chars[i];
            if (c < 0x80 && ESCAPES[c] == 0) {
                out[at++] = (byte) c;
            } else {
                if (out.length - at < 6 + end - i) {
                    length = at;
                    ensure(6 + end - i);
                    out = bytes;
                }
                at = put(out, at, c);
            }
        }
        length = at;
    }

    @Override
    public void write(String text, int offset, int count) {
        // A bulk copy of the characters, then the array's loop: cheaper than charAt for each, above
        // all for a string that holds characters beyond Latin-1.
        char[] chunk = this.chunk;
        for (int at = offset, end = offset + count; at < end; at += chunk.length) {
            int part = Math.min(chunk.length, end - at);
            text.getChars(at, at + part, chunk, 0);
            write(chunk, 0, part);
        }
    }

    /** Writes {@code c} at {@code at}, where there is room for six bytes, and returns where it ended. */
    private int put(byte[] out, int at, char c) {
        if (c < 0x80) {
            byte escape = ESCAPES[c];
            if (escape == 0) {
                out[at++] = (byte) c;
            } else {
                out[at++] = '\\';
                if (escape == 'u') {
                    at = hex(out, at, c);
                } else {
                    out[at++] = escape;
                }
            }
        } else if (c < 0x800) {
            out[at++] = (byte) (0xc0 | (c >> 6));
            out[at++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isSurrogate(c)) {
            surrogates++;
            out[at++] = '\\';
            at = hex(out, at, c);
        } else {
            out[at++] = (byte) (0xe0 | (c >> 12));
            out[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            out[at++] = (byte) (0x80 | (c & 0x3f));
        }
        return at;
    }

    private static int hex(byte[] out, int at, char c) {
        out[at++] = 'u';
        out[at++] = HEX[(c >> 12) & 0xf];
        out[at++] = HEX[(c >> 8) & 0xf];
        out[at++] = HEX[(c >> 4) & 0xf];
        out[at++] = HEX[c & 0xf];
        return at;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
