package eduledger.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text written straight into its UTF-8 bytes: the writer under a character generator, and the
 * place stored JSON is copied in as it is. A pair of surrogates becomes its four-byte character; a
 * lone surrogate, which UTF-8 cannot carry and which JSON text holds only inside a string, becomes
 * its {@code \\uXXXX} escape, so the bytes are always well-formed UTF-8 and the JSON means the same.
 */
public final class JsonBytes extends Utf8Writer {
    /** A high surrogate written last, whose partner may come with the next write; 0 when none. */
    private char pendingHigh;

    public JsonBytes(int capacity) {
        super(capacity);
    }

    @Override
    public byte[] array() {
        settle();
        return bytes;
    }

    @Override
    public int length() {
        settle();
        return length;
    }

    /** Forgets what was written after {@code length} bytes. */
    public void cut(int length) {
        pendingHigh = 0;
        this.length = length;
    }

    /** Appends bytes of other such text as they are. */
    public void appendBytes(byte[] utf8, int from, int to) {
        settle();
        ensure(to - from);
        System.arraycopy(utf8, from, bytes, length, to - from);
        length += to - from;
    }

    /** Appends one ASCII character, such as a separating comma. */
    public void appendAscii(char ascii) {
        settle();
        ensure(1);
        bytes[length++] = (byte) ascii;
    }

    /**
     * Appends JSON the service stored, as it is, in one bulk encoding (for ASCII text, a copy of the
     * string's own bytes). Text read from DynamoDB was decoded from UTF-8 and holds no lone surrogate,
     * so the encoding is exact; were one there, it would come out as a {@code '?'} inside its string.
     */
    public void writeStored(String json) {
        settle();
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
    }

    @Override
    public void write(int c) {
        ensure(12);
        put((char) c);
    }

    @Override
    public void write(String text) {
        write(text, 0, text.length());
    }

    @Override
    public void write(char[] chars, int offset, int count) {
        ensure(count);
        for (int i = offset, end = offset + count; i < end; i++) {
            char c = chars[i];
            if (c < 0x80 && pendingHigh == 0) {
                bytes[length++] = (byte) c;
            } else {
                ensure(8 + end - i);
                put(c);
            }
        }
    }

    @Override
    public void write(String text, int offset, int count) {
        ensure(count);
        for (int i = offset, end = offset + count; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80 && pendingHigh == 0) {
                bytes[length++] = (byte) c;
            } else {
                ensure(8 + end - i);
                put(c);
            }
        }
    }

    /** Writes {@code c}, with room made for it and a lone surrogate before it. */
    private void put(char c) {
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            if (Character.isLowSurrogate(c)) {
                int codePoint = Character.toCodePoint(high, c);
                bytes[length++] = (byte) (0xf0 | (codePoint >> 18));
                bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
                bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
                bytes[length++] = (byte) (0x80 | (codePoint & 0x3f));
                return;
            }
            escape(high);
        }
        if (c < 0x80) {
            bytes[length++] = (byte) c;
        } else if (c < 0x800) {
            bytes[length++] = (byte) (0xc0 | (c >> 6));
            bytes[length++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c)) {
            pendingHigh = c;
        } else if (Character.isLowSurrogate(c)) {
            escape(c);
        } else {
            bytes[length++] = (byte) (0xe0 | (c >> 12));
            bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3f));
            bytes[length++] = (byte) (0x80 | (c & 0x3f));
        }
    }

    /** A high surrogate left without its partner is a lone one. */
    private void settle() {
        if (pendingHigh != 0) {
            char high = pendingHigh;
            pendingHigh = 0;
            ensure(6);
            escape(high);
        }
    }

    private void escape(char c) {
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        bytes[length++] = HEX[(c >> 12) & 0xf];
        bytes[length++] = HEX[(c >> 8) & 0xf];
        bytes[length++] = HEX[(c >> 4) & 0xf];
        bytes[length++] = HEX[c & 0xf];
    }

    /**
     * Makes room for {@code more} bytes beyond those written, at once: a writer that knows about how
     * much is coming spares the copies of growing by doubling.
     */
    public void reserve(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, length + more);
        }
    }
}
