package eduledger.lambda;

import eduledger.errors.Failure;

/** The one place a failure becomes an HTTP status. */
public final class Statuses {
    private Statuses() {}

    public static int of(Failure failure) {
        return switch (failure) {
            case BAD_REQUEST -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case TOO_MANY_REQUESTS -> 429;
            case INTERNAL -> 500;
            case STORE_UNAVAILABLE -> 503;
        };
    }
}
