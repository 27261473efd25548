package eduledger.storage;

/**
 * The key attributes every item in every table has: a string partition key {@code pk} and sort key
 * {@code sk}, and {@code expires_at} where items expire. Each store builds its own keys ({@code
 * *Keys} beside it); the key design and its access patterns are in {@code docs/data-model.md}.
 */
public final class Keys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** DynamoDB TTL attribute (epoch seconds) on every table that expires items. */
    public static final String EXPIRES_AT = "expires_at";

    private Keys() {}

    /**
     * {@code value} in decimal, zero-padded to at least {@code width} digits, as {@code %0<width>d}
     * writes it, so that numbers in sort keys order as strings do. By hand: {@code String.format}'s
     * first use loads the JDK's locale data, which a function's first key would pay on every cold start.
     */
    public static String zeroPadded(long value, int width) {
        if (value < 0) {
            return String.format("%0" + width + "d", value);
        }
        String digits = Long.toString(value);
        if (digits.length() >= width) {
            return digits;
        }
        StringBuilder padded = new StringBuilder(width);
        for (int i = digits.length(); i < width; i++) {
            padded.append('0');
        }
        return padded.append(digits).toString();
    }
}
