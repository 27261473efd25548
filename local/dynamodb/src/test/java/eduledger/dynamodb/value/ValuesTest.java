package eduledger.dynamodb.value;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValuesTest {
    /** Characters whose UTF-16 and UTF-8 orders differ, next to plain ones, and a shared prefix. */
    private static final String[] PARTS = {
        "a",
        "z",
        "\u00e9",
        "\u07ff",
        "\u0800",
        "\ud7ff",
        "\ue000",
        "\uffff",
        "\ud800\udc00",
        "\udbff\udfff",
        "\ud83d\ude00"
    };

    @Test
    void stringsAreOrderedByTheirUtf8Bytes() {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            String prefix = "integration#" + random.nextInt(3);
            String a = prefix + randomText(random);
            String b = random.nextInt(4) == 0 ? a + randomText(random) : prefix + randomText(random);
            int expected = Integer.signum(
                    Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(Values.compareUtf8(a, b)), () -> a + " vs " + b);
            assertEquals(-expected, Integer.signum(Values.compareUtf8(b, a)), () -> b + " vs " + a);
        }
    }

    @Test
    void aSupplementaryCharacterSortsAfterTheLastOfTheBasicPlane() {
        assertEquals(1, Integer.signum(Values.compareUtf8("x\ud800\udc00", "x\uffff")));
        assertEquals(1, Integer.signum(Values.compareUtf8("x\ud83d\ude01", "x\ud83d\ude00")));
        assertEquals(-1, Integer.signum(Values.compareUtf8("x", "x\ud800\udc00")));
        assertEquals(0, Values.compareUtf8("x\ud83d\ude00", "x\ud83d\ude00"));
    }

    @Test
    void aStoredItemHasTheSizeOfItsAttributes() {
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("pk", new AttributeValue.Str("caf\u00e9"));
        attributes.put("n", AttributeValue.Num.of("12345"));
        Map<String, AttributeValue> stored = StoredItem.of(attributes);
        assertEquals(Values.measure(attributes), Values.itemSize(stored));
        assertEquals(2 + 5 + 1 + 4, Values.itemSize(stored));
        assertEquals(attributes, stored);
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            text.append(PARTS[random.nextInt(PARTS.length)]);
        }
        return text.toString();
    }
}
