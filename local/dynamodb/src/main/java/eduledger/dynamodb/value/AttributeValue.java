package eduledger.dynamodb.value;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One DynamoDB attribute value, of the ten wire types. Immutable: collections are copied and
 * wrapped on construction, binaries are copied, and numbers are held normalized (trailing zeros
 * stripped) so that equal numbers are equal values and sets of numbers deduplicate as DynamoDB does.
 */
public sealed interface AttributeValue {

    /** The wire type tag: S, N, B, SS, NS, BS, M, L, NULL or BOOL. */
    String type();

    record Str(String value) implements AttributeValue {
        public Str {
            if (value == null) throw new NullPointerException("value");
        }

        public String type() {
            return "S";
        }
    }

    record Num(BigDecimal value) implements AttributeValue {
        public Num {
            value = Numbers.normalize(value);
        }

        public static Num of(String text) {
            return new Num(new BigDecimal(text));
        }

        public String type() {
            return "N";
        }

        /** The number as DynamoDB writes it back: plain digits, no exponent. */
        public String text() {
            return value.toPlainString();
        }
    }

    /** A binary value; equality is by content. */
    final class Bin implements AttributeValue {
        private final byte[] bytes;

        public Bin(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        public byte at(int index) {
            return bytes[index];
        }

        public String type() {
            return "B";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bin bin && Arrays.equals(bytes, bin.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bin[" + bytes.length + " bytes]";
        }
    }

    /** A string set, in insertion order (DynamoDB promises no order). */
    record StrSet(Set<String> values) implements AttributeValue {
        public StrSet {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        public String type() {
            return "SS";
        }
    }

    record NumSet(Set<BigDecimal> values) implements AttributeValue {
        public NumSet {
            LinkedHashSet<BigDecimal> normalized = new LinkedHashSet<>();
            for (BigDecimal value : values) normalized.add(Numbers.normalize(value));
            values = Collections.unmodifiableSet(normalized);
        }

        public String type() {
            return "NS";
        }
    }

    record BinSet(Set<Bin> values) implements AttributeValue {
        public BinSet {
            values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
        }

        public String type() {
            return "BS";
        }
    }

    /** A map, in insertion order. */
    record MapValue(Map<String, AttributeValue> values) implements AttributeValue {
        public MapValue {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        public String type() {
            return "M";
        }
    }

    record ListValue(List<AttributeValue> values) implements AttributeValue {
        public ListValue {
            values = List.copyOf(values);
        }

        public String type() {
            return "L";
        }
    }

    record Null() implements AttributeValue {
        public static final Null INSTANCE = new Null();

        public String type() {
            return "NULL";
        }
    }

    record Bool(boolean value) implements AttributeValue {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public static Bool of(boolean value) {
            return value ? TRUE : FALSE;
        }

        public String type() {
            return "BOOL";
        }
    }
}
