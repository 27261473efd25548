package eduledger.storage;

import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Which storage failures mean "try again later" (503) rather than a defect. */
public final class StoreFailures {
    private StoreFailures() {}

    public static boolean isUnavailable(SdkException e) {
        if (e instanceof SdkClientException) {
            return true; // no connection, timeout: the store could not be reached
        }
        if (e instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return false;
    }

    public static ServiceException unavailable() {
        return new ServiceException(
                Failure.STORE_UNAVAILABLE,
                "STORE_UNAVAILABLE",
                "The data store is unavailable; retry shortly with the same idempotency key.");
    }
}
