package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.util.Map;

/** A parsed ConditionExpression or FilterExpression (or their legacy forms). */
public interface Condition {
    /** Evaluates against an item; an absent item is an empty map. */
    boolean test(Map<String, AttributeValue> item);
}
