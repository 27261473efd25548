package eduledger.dynamodb.expression;

import java.util.List;
import java.util.Map;

/**
 * Parses DynamoDB's expression language and the legacy parameters into evaluable forms. Every method
 * throws {@link eduledger.dynamodb.error.DynamoDbError} ValidationExceptions with DynamoDB's messages
 * for syntax errors, undefined placeholders, reserved words, and the 4 KB / 300-operator limits.
 * The parameter name ("ConditionExpression", "FilterExpression", ...) goes into those messages.
 * Parse once per request; the results are immutable and cheap to evaluate per item.
 */
public final class Expressions {
    private Expressions() {}

    /** A ConditionExpression or FilterExpression. */
    public static Condition condition(String parameter, String text, Placeholders placeholders) {
        return new Parser(parameter, text, placeholders, Parser.Mode.CONDITION).parseConditionExpression();
    }

    public static Update update(String text, Placeholders placeholders) {
        return new Parser("UpdateExpression", text, placeholders, Parser.Mode.UPDATE).parseUpdateExpression();
    }

    public static Projection projection(String text, Placeholders placeholders) {
        return new PathProjection(new Parser("ProjectionExpression", text, placeholders, Parser.Mode.PROJECTION)
                .parseProjectionExpression());
    }

    /** @param sortKey null when the table or index has no sort key */
    public static KeyCondition keyCondition(
            String text, Placeholders placeholders, String partitionKey, String sortKey) {
        return parseKeyCondition(text, placeholders).bind(partitionKey, sortKey);
    }

    /**
     * A KeyConditionExpression checked as far as it can be without the key schema (syntax, placeholders,
     * operators, one condition per key, at most two); bind it to the keys once the table is known.
     */
    public static KeyConditionExpression parseKeyCondition(String text, Placeholders placeholders) {
        Node root = new Parser("KeyConditionExpression", text, placeholders, Parser.Mode.KEY_CONDITION)
                .parseConditionExpression();
        return new KeyConditionExpression(KeyConditions.terms(root));
    }

    /** Legacy Expected (with ConditionalOperator AND/OR, null = AND), QueryFilter or ScanFilter. */
    public static Condition legacyCondition(
            String parameter, Map<String, LegacyCondition> conditions, String conditionalOperator) {
        return Legacy.condition(parameter, conditions, conditionalOperator);
    }

    public static Update legacyUpdate(Map<String, LegacyUpdate> attributeUpdates) {
        return Legacy.update(attributeUpdates);
    }

    public static Projection attributesToGet(List<String> attributes) {
        return Legacy.attributesToGet(attributes);
    }

    public static KeyCondition legacyKeyConditions(
            Map<String, LegacyCondition> keyConditions, String partitionKey, String sortKey) {
        return Legacy.keyConditions(keyConditions, partitionKey, null, sortKey, null);
    }

    /** As {@link #legacyKeyConditions(Map, String, String)}, also checking each value against its key's type (S, N or B). */
    public static KeyCondition legacyKeyConditions(
            Map<String, LegacyCondition> keyConditions,
            String partitionKey,
            String partitionType,
            String sortKey,
            String sortType) {
        return Legacy.keyConditions(keyConditions, partitionKey, partitionType, sortKey, sortType);
    }

    /** True when {@code condition} accepts the item; a null condition accepts everything. */
    public static boolean matches(Condition condition, Map<String, eduledger.dynamodb.value.AttributeValue> item) {
        return condition == null || condition.test(item);
    }
}
