package eduledger.json;

import java.io.Writer;
import java.util.Arrays;

/**
 * A writer into a growing array of UTF-8 bytes, handed on as the array and its length rather than
 * copied out: what a response's body or a page's items are written into.
 */
abstract class Utf8Writer extends Writer {
    /** Four hexadecimal digits of a {@code \\uXXXX} escape. */
    static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

    byte[] bytes;
    int length;

    Utf8Writer(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** The bytes written so far are {@code array()[0]} to {@code array()[length() - 1]}. */
    public byte[] array() {
        return bytes;
    }

    public int length() {
        return length;
    }

    /** Makes room for {@code more} bytes, doubling the array when it must grow. */
    final void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
