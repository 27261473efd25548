package eduledger.dynamodb.expression;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A KeyConditionExpression parsed and checked for shape without the key schema: DynamoDB refuses a
 * malformed key condition before it looks the table up, so Query parses first and binds to the table's
 * or index's keys afterwards.
 */
public final class KeyConditionExpression {
    private final Map<String, KeyConditions.Term> terms;

    KeyConditionExpression(Map<String, KeyConditions.Term> terms) {
        this.terms = terms;
    }

    /** The attribute names the expression puts conditions on, in the order written. */
    public Set<String> attributes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(terms.keySet()));
    }

    /** @param sortKey null when the table or index has no sort key */
    public KeyCondition bind(String partitionKey, String sortKey) {
        return KeyConditions.fromTerms(terms, partitionKey, null, sortKey, null);
    }

    /**
     * Binds and also checks each value against its key's type (S, N or B), as Query does:
     * "Condition parameter type does not match schema type".
     */
    public KeyCondition bind(String partitionKey, String partitionType, String sortKey, String sortType) {
        return KeyConditions.fromTerms(terms, partitionKey, partitionType, sortKey, sortType);
    }
}
