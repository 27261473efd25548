package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.util.Map;
import java.util.Set;

/** A parsed UpdateExpression (or legacy AttributeUpdates). */
public interface Update {
    /**
     * The item after the update. The input is not modified; an absent item is an empty map.
     *
     * @throws eduledger.dynamodb.error.DynamoDbError a ValidationException where DynamoDB gives one at
     *         run time (e.g. an operand of the wrong type, a path into a missing map, an empty set result)
     */
    Map<String, AttributeValue> apply(Map<String, AttributeValue> item);

    /** The top-level attribute names this update can change, for ReturnValues UPDATED_OLD / UPDATED_NEW
     *  and for refusing updates of key attributes. */
    Set<String> topLevelAttributes();

    /**
     * The parts of an item this update writes, for ReturnValues UPDATED_OLD and UPDATED_NEW: DynamoDB
     * returns just the updated paths (a nested SET yields the nested value inside its parents), not the
     * whole top-level attributes. Apply it to the old item for UPDATED_OLD and the new one for UPDATED_NEW.
     */
    /**
     * Top-level attributes the update reaches into with a nested path ({@code a.b}, {@code a[1]}),
     * whether it writes or only reads them: DynamoDB refuses any such use of an index key attribute
     * ("Key attributes must be scalars; ...").
     */
    default Set<String> nestedAttributes() {
        return Set.of();
    }

    default Projection updatedPaths() {
        Set<String> names = topLevelAttributes();
        return item -> {
            Map<String, AttributeValue> out = new java.util.LinkedHashMap<>();
            for (String name : names) {
                AttributeValue v = item.get(name);
                if (v != null) out.put(name, v);
            }
            return out;
        };
    }
}
