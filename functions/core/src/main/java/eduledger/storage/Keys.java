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
}
