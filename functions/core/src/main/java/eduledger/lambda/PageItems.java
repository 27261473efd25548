package eduledger.lambda;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.json.Json;
import eduledger.json.JsonStringBytes;
import eduledger.paging.PageBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A list page's items, each written once, already escaped as the response's body string carries
 * them ({@link JsonStringBytes}), and measured as it was written: the page is cut at the 5 MiB
 * bound by what its items take in the response, with no separate pass to measure them and no
 * second one to escape the body.
 */
public final class PageItems {
    private final JsonStringBytes bytes;
    /** Item {@code i} (in the order written) is bytes {@code ends[i - 1]} (0 for the first) to {@code ends[i]}. */
    private final int[] ends;

    private final int count;
    /** Shown last written first. */
    private final boolean reversed;

    private PageItems(JsonStringBytes bytes, int[] ends, int count, boolean reversed) {
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

    /** The escaped bytes of the items, separated by commas (no brackets). */
    void writeTo(JsonStringBytes body) {
        for (int shown = 0; shown < count; shown++) {
            int i = reversed ? count - 1 - shown : shown;
            if (shown > 0) {
                body.appendPlain(',');
            }
            body.appendEscaped(bytes.array(), i == 0 ? 0 : ends[i - 1], ends[i]);
        }
    }

    /** The bytes the items take in the body, commas included. */
    int length() {
        return bytes.length() + Math.max(0, count - 1);
    }

    /** Writes items one at a time, each measured as it is written. */
    static final class Writer {
        private final JsonStringBytes bytes = new JsonStringBytes(8 * 1024);
        private final JsonGenerator json = Json.sequence(bytes);
        private int[] ends;
        private int count;
        private int lastStart;
        private long surrogatesBefore;

        Writer(int expected) {
            ends = new int[Math.max(1, expected)];
        }

        /**
         * Writes {@code item} after the others and returns what it takes in the response, counted
         * as {@link PageBytes#of} counts it: its bytes in the body string, a separating comma, and
         * a byte more for each character beyond the BMP (which {@code PageBytes} counts as the
         * UTF-8 generator's escapes of its two surrogates, each escaped once more), so a page is cut
         * where it always was.
         */
        long add(JsonNode item) {
            lastStart = bytes.length();
            surrogatesBefore = bytes.surrogates();
            try {
                if (item instanceof POJONode pojo
                        && pojo.getPojo() instanceof RawValue raw
                        && raw.rawValue() instanceof String stored) {
                    // Stored JSON goes in as it is, as the generator's raw value would write it.
                    bytes.write(stored);
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
                bytes.reserve((int) Math.min(rest + rest / 8, PageBytes.MAX_PAGE_BYTES));
            }
            return (bytes.length() - lastStart) + (bytes.surrogates() - surrogatesBefore) + 1;
        }

        /** Takes the last item written back: it did not fit. */
        void takeBack() {
            count--;
            bytes.cut(lastStart, surrogatesBefore);
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
