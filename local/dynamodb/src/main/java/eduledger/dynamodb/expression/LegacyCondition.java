package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.util.List;

/**
 * One entry of a legacy Expected, QueryFilter, ScanFilter or KeyConditions map, as sent on the wire;
 * any field may be null when the request left it out.
 */
public record LegacyCondition(
        String comparisonOperator, List<AttributeValue> attributeValueList, Boolean exists, AttributeValue value) {}
