package eduledger.dynamodb.value;

import java.util.Map;

/** Ordering and sizes of values, as DynamoDB defines them. */
public final class Values {
    private Values() {}

    /**
     * Compares two scalar values of the same type (S, N or B) as DynamoDB orders keys and evaluates
     * {@code <}, {@code BETWEEN} and the like: numbers by value, strings by their UTF-8 bytes (which for
     * Java strings is code point order), binaries by unsigned bytes.
     *
     * @throws IllegalArgumentException if the values are not two scalars of one comparable type
     */
    public static int compare(AttributeValue a, AttributeValue b) {
        if (a instanceof AttributeValue.Num x && b instanceof AttributeValue.Num y)
            return x.value().compareTo(y.value());
        if (a instanceof AttributeValue.Str x && b instanceof AttributeValue.Str y)
            return compareUtf8(x.value(), y.value());
        if (a instanceof AttributeValue.Bin x && b instanceof AttributeValue.Bin y) return compareBytes(x, y);
        throw new IllegalArgumentException("not comparable: " + a.type() + " and " + b.type());
    }

    /** True where {@link #compare} is defined for the pair. */
    public static boolean comparable(AttributeValue a, AttributeValue b) {
        return a.type().equals(b.type())
                && (a instanceof AttributeValue.Num
                        || a instanceof AttributeValue.Str
                        || a instanceof AttributeValue.Bin);
    }

    /**
     * Orders strings as DynamoDB does, by their UTF-8 bytes, which is the order of their code
     * points. Keys of one partition share their partition value and often a long prefix, so the
     * shared chars are skipped first. UTF-16 order is code point order except where a surrogate meets
     * a char above the surrogates, so only then are code points compared, from the one that differs.
     */
    public static int compareUtf8(String a, String b) {
        int shared = Math.min(a.length(), b.length());
        int i = 0;
        while (i < shared && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i == shared) {
            return Integer.compare(a.length(), b.length());
        }
        char ca = a.charAt(i);
        char cb = b.charAt(i);
        if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
            return Integer.compare(ca, cb);
        }
        if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
            i--;
        }
        return compareCodePoints(a, b, i);
    }

    /** Compares code point by code point from {@code from}, where both strings start a code point. */
    private static int compareCodePoints(String a, String b, int from) {
        int i = from;
        int j = from;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int compareBytes(AttributeValue.Bin a, AttributeValue.Bin b) {
        int n = Math.min(a.length(), b.length());
        for (int k = 0; k < n; k++) {
            int c = Integer.compare(a.at(k) & 0xff, b.at(k) & 0xff);
            if (c != 0) return c;
        }
        return Integer.compare(a.length(), b.length());
    }

    /** The UTF-8 length of a string, counted without encoding it (item sizes are computed on every write and read). */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2;
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
            // a lone surrogate encodes as one replacement byte, as String.getBytes does
        }
        return bytes;
    }

    /** An item's size as DynamoDB counts it against the 400 KB limit: names plus values. */
    public static long itemSize(Map<String, AttributeValue> item) {
        return item instanceof StoredItem stored ? stored.itemSize() : measure(item);
    }

    static long measure(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + size(e.getValue());
        }
        return size;
    }

    /** A value's size as DynamoDB counts it. */
    public static long size(AttributeValue value) {
        if (value instanceof AttributeValue.Str s) return utf8Length(s.value());
        if (value instanceof AttributeValue.Num n) return numberSize(n.value());
        if (value instanceof AttributeValue.Bin b) return b.length();
        if (value instanceof AttributeValue.Bool || value instanceof AttributeValue.Null) return 1;
        if (value instanceof AttributeValue.StrSet ss)
            return ss.values().stream().mapToLong(Values::utf8Length).sum();
        if (value instanceof AttributeValue.NumSet ns)
            return ns.values().stream().mapToLong(Values::numberSize).sum();
        if (value instanceof AttributeValue.BinSet bs)
            return bs.values().stream().mapToLong(AttributeValue.Bin::length).sum();
        if (value instanceof AttributeValue.ListValue l)
            return 3 + l.values().stream().mapToLong(v -> 1 + size(v)).sum();
        AttributeValue.MapValue m = (AttributeValue.MapValue) value;
        return 3
                + m.values().entrySet().stream()
                        .mapToLong(e -> 1 + utf8Length(e.getKey()) + size(e.getValue()))
                        .sum();
    }

    /** About one byte per two significant digits, plus one. */
    static long numberSize(java.math.BigDecimal n) {
        if (n.signum() == 0) return 1;
        int digits = n.stripTrailingZeros().precision();
        return (digits + 1) / 2 + 1;
    }
}
