package eduledger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Numbers and ids in sort keys keep the spelling they were stored with. */
class KeysTest {

    @Test
    void zeroPaddedWritesWhatTheFormatterWrote() {
        long[] values = {0, 1, 9, 10, 99, 100, 12345, 9_999_999_999L, 10_000_000_000L, Long.MAX_VALUE, -1, -42};
        for (int width : new int[] {1, 2, 10}) {
            for (long value : values) {
                assertEquals(String.format("%0" + width + "d", value), Keys.zeroPadded(value, width));
            }
            for (long value = -12; value <= 150; value++) {
                assertEquals(String.format("%0" + width + "d", value), Keys.zeroPadded(value, width));
            }
        }
    }

    @Test
    void adjacentIdsAreFixedWidthLikeTheFormatterWroteThem() {
        String[] ids = {
            "00000000-0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-000000000001",
            "0190f3c2-7a1b-7c3d-8e4f-0123456789ab",
            "ffffffff-ffff-ffff-ffff-fffffffffffe"
        };
        for (String id : ids) {
            for (int step : new int[] {-1, 1}) {
                BigInteger value = new BigInteger(id.replace("-", ""), 16).add(BigInteger.valueOf(step));
                String hex = String.format("%032x", value.max(BigInteger.ZERO));
                String expected = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                        + hex.substring(16, 20) + "-" + hex.substring(20);
                assertEquals(expected, ShardedPages.adjacent(id, step), id + " " + step);
            }
        }
    }
}
