package eduledger.dynamodb.error;

/**
 * An error the engine answers with, as DynamoDB does: HTTP status, {@code __type} and message.
 * Every layer throws this one type; the server renders it.
 */
public class DynamoDbError extends RuntimeException {
    private static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";
    private static final String COYOTE = "com.amazon.coral.validate#";

    private final int status;
    private final String type;

    public DynamoDbError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    /** The full {@code __type}, e.g. {@code com.amazonaws.dynamodb.v20120810#ValidationException}. */
    public String type() {
        return type;
    }

    public static DynamoDbError validation(String message) {
        return new DynamoDbError(400, COYOTE + "ValidationException", message);
    }

    public static DynamoDbError resourceNotFound(String message) {
        return new DynamoDbError(400, PREFIX + "ResourceNotFoundException", message);
    }

    public static DynamoDbError resourceInUse(String message) {
        return new DynamoDbError(400, PREFIX + "ResourceInUseException", message);
    }

    public static DynamoDbError conditionalCheckFailed(String message) {
        return new DynamoDbError(400, PREFIX + "ConditionalCheckFailedException", message);
    }

    public static DynamoDbError of(int status, String shortType, String message) {
        return new DynamoDbError(status, PREFIX + shortType, message);
    }

    /** An error whose body carries more than type and message (an item, cancellation reasons). */
    public static final class WithBody extends DynamoDbError {
        private final java.util.Map<String, Object> extra;

        public WithBody(int status, String shortType, String message, java.util.Map<String, Object> extra) {
            super(status, PREFIX + shortType, message);
            this.extra = extra;
        }

        public java.util.Map<String, Object> extra() {
            return extra;
        }
    }
}
