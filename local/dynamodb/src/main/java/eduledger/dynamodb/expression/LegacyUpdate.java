package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;

/** One entry of a legacy AttributeUpdates map: action PUT, ADD or DELETE (null means PUT). */
public record LegacyUpdate(String action, AttributeValue value) {}
