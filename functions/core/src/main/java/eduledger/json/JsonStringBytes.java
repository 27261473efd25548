package eduledger.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Text as it travels inside a JSON string written as UTF-8: the bytes between the quotes, byte for
 * byte as jackson-core's UTF-8 generator writes a string (quotes and backslashes escaped, control
 * characters as their short or {@code \}{@code u00XX} escapes, each UTF-16 surrogate as its own
 * escape, everything else as UTF-8). A Lambda response carries its body as such a string, so a body
 * written here, by a character generator as {@link Json#write(com.fasterxml.jackson.databind.JsonNode)}
 * would write it, is ready for the response without being built as a {@code String} and escaped
 * again.
 */
public final class JsonStringBytes extends Utf8Writer {
    /** Per ASCII character: 0 as it is, the letter of its short escape, or 'u' for the six-character one. */
    private static final byte[] ESCAPES = new byte[128];

    /** Per UTF-8 byte: whether it needs more than copying (see {@link #special}). */
    private static final boolean[] SPECIAL = new boolean[256];
    /** Eight bytes of an array as one {@code long}, the first in its lowest bits. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        for (int b = 0; b < 256; b++) {
            SPECIAL[b] = b < 0x20 || b == '"' || b == '\\' || b == '?' || b >= 0x80;
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    public JsonStringBytes(int capacity) {
        super(capacity);
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

    // What a generator hands over: mostly plain ASCII, one byte each, checked against the room left
    // only when a character may take more than one.

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
        if (count == 0) {
            return;
        }
        String part = offset == 0 && count == text.length() ? text : text.substring(offset, offset + count);
        // A string's UTF-8 bytes come in one bulk copy (for ASCII text, the string's own bytes), and
        // most of them stay as they are: they are copied eight at a time up to the next one that
        // needs more than copying.
        writeUtf8(part, part.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code text}, whose UTF-8 encoding is {@code utf8}. The encoding is what is written
     * but where it cannot tell: a pair of surrogates became one four-byte character, and a lone
     * surrogate became a {@code '?'}, so each {@code '?'} is checked against the character it came
     * from, found at its byte's index less what the multi-byte characters before it added.
     */
    private void writeUtf8(String text, byte[] utf8) {
        int n = utf8.length;
        ensure(n + 8);
        byte[] out = bytes;
        int at = length;
        int i = 0;
        int shift = 0;
        while (true) {
            // Eight bytes at a time while eight are left: all of them are written, but only those
            // before the first that needs more than copying count.
            long special = 0;
            while (i <= n - 8) {
                long word = (long) LONGS.get(utf8, i);
                LONGS.set(out, at, word);
                special = special(word);
                if (special != 0) {
                    break;
                }
                i += 8;
                at += 8;
            }
            if (special != 0) {
                int plain = Long.numberOfTrailingZeros(special) >>> 3;
                i += plain;
                at += plain;
            } else {
                while (i < n && !SPECIAL[utf8[i] & 0xff]) {
                    out[at++] = utf8[i++];
                }
                if (i == n) {
                    break;
                }
            }
            // utf8[i] needs more than copying; the room it may take is ensured first.
            if (out.length - at < 12 + 8 + n - i) {
                length = at;
                ensure(12 + 8 + n - i);
                out = bytes;
            }
            int b = utf8[i] & 0xff;
            if (b == '"' || b == '\\') {
                // Stored JSON's own quotes: the most frequent by far.
                out[at] = '\\';
                out[at + 1] = (byte) b;
                at += 2;
                i++;
            } else if (b < 0x80) {
                if (b == '?') {
                    at = put(out, at, text.charAt(i - shift));
                } else {
                    at = put(out, at, (char) b);
                }
                i++;
            } else if (b < 0xe0) {
                out[at++] = (byte) b;
                out[at++] = utf8[i + 1];
                i += 2;
                shift += 1;
            } else if (b < 0xf0) {
                out[at++] = (byte) b;
                out[at++] = utf8[i + 1];
                out[at++] = utf8[i + 2];
                i += 3;
                shift += 2;
            } else {
                int codePoint = ((b & 0x07) << 18)
                        | ((utf8[i + 1] & 0x3f) << 12)
                        | ((utf8[i + 2] & 0x3f) << 6)
                        | (utf8[i + 3] & 0x3f);
                at = put(out, at, Character.highSurrogate(codePoint));
                at = put(out, at, Character.lowSurrogate(codePoint));
                i += 4;
                shift += 2;
            }
        }
        length = at;
    }

    /**
     * A byte of {@code word}'s lowest byte that needs more than copying, or above it, has its high
     * bit set: a control character, a quote, a backslash, a {@code '?'} (which may stand for a lone
     * surrogate) or any byte of a multi-byte character. Bits above the lowest such byte may be set
     * by borrows and mean nothing; the lowest is exact, and the only one read.
     */
    private static long special(long word) {
        return (((word - 0x2020202020202020L) & ~word)
                        | zeroBytes(word ^ 0x2222222222222222L)
                        | zeroBytes(word ^ 0x5c5c5c5c5c5c5c5cL)
                        | zeroBytes(word ^ 0x3f3f3f3f3f3f3f3fL)
                        | word)
                & 0x8080808080808080L;
    }

    private static long zeroBytes(long word) {
        return (word - 0x0101010101010101L) & ~word;
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
}
