package eduledger.errors;

import java.util.List;

/** A failure the caller is told about; never carries a stack trace to the client. */
public class ServiceException extends RuntimeException {
    private final Failure failure;
    private final List<ErrorDetail> details;

    public ServiceException(Failure failure, List<ErrorDetail> details) {
        super(details.isEmpty() ? failure.name() : details.get(0).message(), null, false, false);
        this.failure = failure;
        this.details = List.copyOf(details);
    }

    public ServiceException(Failure failure, String code, String message) {
        this(failure, List.of(ErrorDetail.of(code, message)));
    }

    public static ServiceException badRequest(String code, String message) {
        return new ServiceException(Failure.BAD_REQUEST, code, message);
    }

    public static ServiceException notFound(String code, String message) {
        return new ServiceException(Failure.NOT_FOUND, code, message);
    }

    public Failure failure() {
        return failure;
    }

    public List<ErrorDetail> details() {
        return details;
    }
}
