package eduledger.dynamodb.expression;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request, shared by every
 * expression of that request, recording which were used so that {@link #checkAllUsed()} can refuse
 * unused ones as DynamoDB does.
 */
public final class Placeholders {
    private static final int MAX_KEY_BYTES = 255;

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /** Either map may be null (the request did not send it). */
    public Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names;
        this.values = values;
    }

    /** No names and no values: for requests that carry no placeholders at all. */
    public static Placeholders none() {
        return new Placeholders(null, null);
    }

    public Map<String, String> names() {
        return names;
    }

    public Map<String, AttributeValue> values() {
        return values;
    }

    /**
     * The checks DynamoDB makes on the two maps before reading any expression: neither may be sent
     * empty, every key must be a sigil ({@code #} for names, {@code :} for values) followed by letters,
     * digits or underscores, at most 255 bytes in all, and no name may map to the empty string.
     */
    public void validateMaps() {
        if (names != null) {
            if (names.isEmpty()) throw DynamoDbError.validation("ExpressionAttributeNames must not be empty");
            for (Map.Entry<String, String> e : names.entrySet()) {
                String key = e.getKey();
                int length = key.getBytes(StandardCharsets.UTF_8).length;
                if (length > MAX_KEY_BYTES) {
                    throw DynamoDbError.validation("ExpressionAttributeNames contains invalid key: "
                            + "The expression attribute map contains a key that is too long; size of key: " + length);
                }
                if (!validKey(key, '#')) {
                    throw DynamoDbError.validation(
                            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
                }
                if (e.getValue() == null || e.getValue().isEmpty()) {
                    throw DynamoDbError.validation(
                            "ExpressionAttributeNames contains invalid value: Empty attribute name for key " + key);
                }
            }
        }
        if (values != null) {
            if (values.isEmpty()) throw DynamoDbError.validation("ExpressionAttributeValues must not be empty");
            for (String key : values.keySet()) {
                if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
                    // DynamoDB leaves the size out of this one, unlike the names' message.
                    throw DynamoDbError.validation("ExpressionAttributeValues contains invalid key: "
                            + "The expression attribute map contains a key that is too long;");
                }
                if (!validKey(key, ':')) {
                    throw DynamoDbError.validation(
                            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
                }
            }
        }
    }

    private static boolean validKey(String key, char sigil) {
        if (key.length() < 2 || key.charAt(0) != sigil) return false;
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    /** The attribute name for {@code #x}, or null when undefined; marks it used. */
    String name(String placeholder) {
        String name = names == null ? null : names.get(placeholder);
        if (name != null) usedNames.add(placeholder);
        return name;
    }

    /** The value for {@code :x}, or null when undefined; marks it used. */
    AttributeValue value(String placeholder) {
        AttributeValue value = values == null ? null : values.get(placeholder);
        if (value != null) usedValues.add(placeholder);
        return value;
    }

    /** Throws DynamoDB's ValidationException naming unused names, then unused values. */
    public void checkAllUsed() {
        String unusedNames = unused(names == null ? null : names.keySet(), usedNames);
        if (unusedNames != null) {
            throw DynamoDbError.validation(
                    "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + unusedNames + "}");
        }
        String unusedValues = unused(values == null ? null : values.keySet(), usedValues);
        if (unusedValues != null) {
            throw DynamoDbError.validation(
                    "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + unusedValues + "}");
        }
    }

    private static String unused(Set<String> keys, Set<String> used) {
        if (keys == null) return null;
        StringBuilder sb = null;
        for (String key : keys) {
            if (used.contains(key)) continue;
            if (sb == null) {
                sb = new StringBuilder();
            } else {
                sb.append(", ");
            }
            sb.append(key);
        }
        return sb == null ? null : sb.toString();
    }
}
