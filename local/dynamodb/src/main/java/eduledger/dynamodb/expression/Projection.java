package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.util.Map;

/** A parsed ProjectionExpression (or legacy AttributesToGet). */
public interface Projection {
    Map<String, AttributeValue> project(Map<String, AttributeValue> item);
}
