package eduledger.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * How much of a Lambda response a list page may fill. A function's response is at most 6 MB
 * (Lambda's limit for a synchronous invocation, which API Gateway passes on). An Edlink-style list
 * page's body travels base64-encoded, so it takes four bytes for every three of its UTF-8; a Canvas
 * page's travels as one JSON string, so every quote and backslash of the rendered page counts
 * twice ({@link #of} counts so). A page holds items until the next one would take it past its
 * bound, so with the envelope, headers and page links it stays under the limit; it always holds at
 * least one item, and no item is larger than DynamoDB's 400 KB.
 */
public final class PageBytes {
    /** 5 MiB of a 6 MB response for a Canvas page's items, escaped as they travel. */
    public static final long MAX_PAGE_BYTES = 5L * 1024 * 1024;

    /**
     * 4 MiB of items, as UTF-8, for a page whose body travels base64-encoded (an Edlink-style list
     * page): 5⅓ MiB in the response, where base64 takes four bytes for every three.
     */
    public static final long MAX_ENCODED_PAGE_BYTES = 4L * 1024 * 1024;

    private PageBytes() {}

    /** The bytes {@code json} takes in a Lambda response once written into the body string. */
    public static long of(JsonNode json) {
        if (json instanceof POJONode pojo
                && pojo.getPojo() instanceof RawValue raw
                && raw.rawValue() instanceof String text) {
            return ofWritten(text);
        }
        Counting counting = new Counting();
        try {
            Json.write(json, counting);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A separating comma, and one more byte per character the body string must escape.
        return counting.bytes + counting.escapes + 1;
    }

    /**
     * The same for JSON already written (an item spliced into a page as stored), counted from its
     * characters, as many as writing its tree would count, without writing it again.
     */
    static long ofWritten(String json) {
        long bytes = 0;
        long escapes = 0;
        int length = json.length();
        for (int i = 0; i < length; i++) {
            char c = json.charAt(i);
            if (c < 0x80) {
                bytes++;
                if (c == '"' || c == '\\') {
                    escapes++;
                } else if (c < 0x20) {
                    escapes += 5;
                }
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                // Jackson's UTF-8 writer sends a character beyond the BMP as two six-character
                // escapes, one per surrogate, as it does for the tree this stands for.
                bytes += 6;
                escapes++;
            } else {
                bytes += 3;
            }
        }
        return bytes + escapes + 1;
    }

    /** Counts UTF-8 bytes as they are written, and those that the response's JSON string escapes. */
    private static final class Counting extends OutputStream {
        long bytes;
        long escapes;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '"' || b == '\\') {
                escapes++;
            } else if (b >= 0 && b < 0x20) {
                escapes += 5; // \\u00XX
            }
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(buffer[i]);
            }
        }
    }
}
