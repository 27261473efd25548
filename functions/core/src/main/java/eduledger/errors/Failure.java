package eduledger.errors;

/**
 * Every way a request can fail, and the one place each is mapped to an HTTP status.
 * Handlers throw {@link ServiceException} with one of these; the router renders it.
 */
public enum Failure {
    BAD_REQUEST(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNPROCESSABLE(422),
    TOO_MANY_REQUESTS(429),
    INTERNAL(500),
    STORE_UNAVAILABLE(503);

    private final int status;

    Failure(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The same request may succeed a moment later: the response carries {@code Retry-After}. */
    public boolean isTransient() {
        return this == TOO_MANY_REQUESTS || this == STORE_UNAVAILABLE;
    }
}
