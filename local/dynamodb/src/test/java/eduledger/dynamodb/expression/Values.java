package eduledger.dynamodb.expression;

import static org.junit.jupiter.api.Assertions.assertThrows;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Short builders for attribute values and items in the expression tests. */
final class Values {
    private Values() {}

    static AttributeValue s(String v) {
        return new AttributeValue.Str(v);
    }

    static AttributeValue n(String v) {
        return AttributeValue.Num.of(v);
    }

    static AttributeValue b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = (byte) bytes[i];
        return new AttributeValue.Bin(out);
    }

    static AttributeValue ss(String... v) {
        return new AttributeValue.StrSet(new LinkedHashSet<>(Arrays.asList(v)));
    }

    static AttributeValue ns(String... v) {
        LinkedHashSet<BigDecimal> set = new LinkedHashSet<>();
        for (String x : v) set.add(new BigDecimal(x));
        return new AttributeValue.NumSet(set);
    }

    static AttributeValue bs(AttributeValue... v) {
        LinkedHashSet<AttributeValue.Bin> set = new LinkedHashSet<>();
        for (AttributeValue x : v) set.add((AttributeValue.Bin) x);
        return new AttributeValue.BinSet(set);
    }

    static AttributeValue l(AttributeValue... v) {
        return new AttributeValue.ListValue(List.of(v));
    }

    static AttributeValue m(Object... kv) {
        return new AttributeValue.MapValue(map(kv));
    }

    static AttributeValue bool(boolean v) {
        return AttributeValue.Bool.of(v);
    }

    static AttributeValue nul() {
        return AttributeValue.Null.INSTANCE;
    }

    /** An item from alternating names and values. */
    static Map<String, AttributeValue> item(Object... kv) {
        return map(kv);
    }

    private static Map<String, AttributeValue> map(Object... kv) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return out;
    }

    static Map<String, String> names(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put(kv[i], kv[i + 1]);
        return out;
    }

    /** The message of the ValidationException the action throws. */
    static String error(Executable action) {
        DynamoDbError e = assertThrows(DynamoDbError.class, action);
        if (!e.type().endsWith("#ValidationException"))
            throw new AssertionError("not a ValidationException: " + e.type());
        return e.getMessage();
    }
}
