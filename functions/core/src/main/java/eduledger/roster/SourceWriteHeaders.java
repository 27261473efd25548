package eduledger.roster;

import eduledger.errors.ServiceException;
import eduledger.lambda.ApiRequest;

import java.util.Locale;

/**
 * The provenance a sync job states on a source write, in headers: {@code X-Event-Source}
 * (manual, sis or api; api when absent), {@code X-User-Id}, {@code X-Page-View-Id},
 * {@code X-Sis-Batch-Id}, {@code X-Copied-From} and {@code X-Reset-From}.
 */
public final class SourceWriteHeaders {
    private static final int MAX_LENGTH = 256;

    private SourceWriteHeaders() {
    }

    public static SourceWrite from(ApiRequest request) {
        String source = request.header("x-event-source");
        source = source == null || source.isBlank() ? SourceWrite.API : source.trim().toLowerCase(Locale.ROOT);
        if (!source.equals(SourceWrite.API) && !source.equals(SourceWrite.SIS) && !source.equals(SourceWrite.MANUAL)) {
            throw ServiceException.badRequest("INVALID_EVENT_SOURCE", "X-Event-Source must be manual, sis or api.");
        }
        return new SourceWrite(source, value(request, "x-user-id"), value(request, "x-page-view-id"),
                value(request, "x-sis-batch-id"), value(request, "x-copied-from"), value(request, "x-reset-from"));
    }

    private static String value(ApiRequest request, String header) {
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            throw ServiceException.badRequest("INVALID_HEADER", header + " is longer than " + MAX_LENGTH + " characters.");
        }
        return value.trim();
    }
}
