package eduledger.dynamodb.expression;

import java.util.List;
import java.util.Map;

/**
 * Parses DynamoDB's expression language and the legacy parameters into evaluable forms. Every method
 * throws {@link eduledger.dynamodb.error.DynamoDbError} ValidationExceptions with DynamoDB's messages
 * for syntax errors, undefined placeholders, reserved words, and the 4 KB / 300-operator limits.
 * The parameter name ("ConditionExpression", "FilterExpression", ...) goes into those messages.
 */
public final class Expressions {
    private Expressions() {
    }

    /** A ConditionExpression or FilterExpression. */
    public static Condition condition(String parameter, String text, Placeholders placeholders) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Update update(String text, Placeholders placeholders) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Projection projection(String text, Placeholders placeholders) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** @param sortKey null when the table or index has no sort key */
    public static KeyCondition keyCondition(String text, Placeholders placeholders, String partitionKey, String sortKey) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Legacy Expected (with ConditionalOperator AND/OR, null = AND), QueryFilter or ScanFilter. */
    public static Condition legacyCondition(String parameter, Map<String, LegacyCondition> conditions, String conditionalOperator) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Update legacyUpdate(Map<String, LegacyUpdate> attributeUpdates) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static Projection attributesToGet(List<String> attributes) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    public static KeyCondition legacyKeyConditions(Map<String, LegacyCondition> keyConditions, String partitionKey, String sortKey) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
