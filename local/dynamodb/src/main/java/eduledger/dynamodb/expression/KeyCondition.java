package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;

/**
 * A parsed KeyConditionExpression (or legacy KeyConditions), checked against the key schema it was
 * parsed for: the partition key's value, and an optional condition on the sort key.
 *
 * @param sortOperator null when there is no sort key condition
 * @param sortValue    the operand of =, <, <=, >, >=, begins_with, or BETWEEN's lower bound
 * @param sortUpper    BETWEEN's upper bound, else null
 */
public record KeyCondition(
        String partitionKey,
        AttributeValue partitionValue,
        String sortKey,
        SortOperator sortOperator,
        AttributeValue sortValue,
        AttributeValue sortUpper) {
    public enum SortOperator {
        EQ,
        LT,
        LE,
        GT,
        GE,
        BETWEEN,
        BEGINS_WITH
    }
}
