package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;

import java.util.Map;

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request, shared by every
 * expression of that request, recording which were used so that {@link #checkAllUsed()} can refuse
 * unused ones as DynamoDB does.
 */
public final class Placeholders {
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;

    /** Either map may be null (the request did not send it). */
    public Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names;
        this.values = values;
    }

    public Map<String, String> names() {
        return names;
    }

    public Map<String, AttributeValue> values() {
        return values;
    }

    /** Throws DynamoDB's ValidationException naming unused names, then unused values. */
    public void checkAllUsed() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
