package eduledger.lambda;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.json.Json;
import eduledger.json.JsonBytes;
import eduledger.paging.PageBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A list page's items, each written once into its UTF-8 bytes ({@link JsonBytes}) and measured as
 * it was written: the page is cut at {@link PageBytes#MAX_ENCODED_PAGE_BYTES} with no separate pass
 * to measure them. The body they go into travels base64-encoded ({@link EncodedBodyResponse}).
 */
public final class PageItems {
    private final JsonBytes bytes;
    /** Item {@code i} (in the order written) is bytes {@code ends[i - 1]} (0 for the first) to {@code ends[i]}. */
    private final int[] ends;

    private final int count;
    /** Shown last written first. */
    private final boolean reversed;

    private PageItems(JsonBytes bytes, int[] ends, int count, boolean reversed) {
        this.bytes = bytes;
        this.ends = ends;
        this.count = count;
        this.reversed = reversed;
    }

    int size() {
        return count;
    }

    /** The same items in the opposite order. */
    PageItems reversed() {
        return new PageItems(bytes, ends, count, !reversed);
    }

    /** The items' bytes, separated by commas (no brackets). */
    void writeTo(JsonBytes body) {
        for (int shown = 0; shown < count; shown++) {
            int i = reversed ? count - 1 - shown : shown;
            if (shown > 0) {
                body.appendAscii(',');
            }
            body.appendBytes(bytes.array(), i == 0 ? 0 : ends[i - 1], ends[i]);
        }
    }

    /** The bytes the items take in the body, commas included. */
    int length() {
        return bytes.length() + Math.max(0, count - 1);
    }

    /** Writes items one at a time, each measured as it is written. */
    static final class Writer {
        private final JsonBytes bytes = new JsonBytes(8 * 1024);
        private final JsonGenerator json = Json.sequence(bytes);
        private int[] ends;
        private int count;
        private int lastStart;

        Writer(int expected) {
            ends = new int[Math.max(1, expected)];
        }

        /** Writes {@code item} after the others and returns what it takes in the body: its bytes and a comma. */
        long add(JsonNode item) {
            lastStart = bytes.length();
            try {
                if (item instanceof POJONode pojo
                        && pojo.getPojo() instanceof RawValue raw
                        && raw.rawValue() instanceof String stored) {
                    // Stored JSON goes in as it is, as the generator's raw value would write it.
                    bytes.writeStored(stored);
                } else {
                    Json.write(item, json);
                    json.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, count * 2);
            }
            ends[count++] = bytes.length();
            if (count == 1 && ends.length > 1) {
                // A page's items are alike in size: room for the rest, like the first and an eighth
                // more, is made once (never past what a page can hold) rather than by doubling.
                long rest = (long) bytes.length() * (ends.length - 1);
                bytes.reserve((int) Math.min(rest + rest / 8, PageBytes.MAX_ENCODED_PAGE_BYTES));
            }
            return bytes.length() - lastStart + 1;
        }

        /** Takes the last item written back: it did not fit. */
        void takeBack() {
            count--;
            bytes.cut(lastStart);
        }

        /** The items written; {@code reversed}: shown last written first. */
        PageItems done(boolean reversed) {
            try {
                json.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new PageItems(bytes, ends, count, reversed);
        }
    }
}
