package eduledger.errors;

/**
 * Every way a request can fail, as the domain sees it. The HTTP status of each is the adapter's
 * business ({@code eduledger.lambda.Statuses}). The names are stored in idempotency records, so a
 * replay reports the failure the first attempt met: rename none.
 */
public enum Failure {
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    CONFLICT,
    PAYLOAD_TOO_LARGE,
    UNPROCESSABLE,
    TOO_MANY_REQUESTS,
    INTERNAL,
    STORE_UNAVAILABLE;

    /** The same request may succeed a moment later. */
    public boolean isTransient() {
        return this == TOO_MANY_REQUESTS || this == STORE_UNAVAILABLE;
    }
}
