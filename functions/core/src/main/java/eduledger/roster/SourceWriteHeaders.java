package eduledger.roster;

import eduledger.errors.ServiceException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The provenance a sync job states on a source write, in headers: {@code X-Event-Source}
 * (manual, sis or api; manual when absent, as Canvas records a change nothing says more about), {@code X-User-Id}, {@code X-Page-View-Id},
 * {@code X-Sis-Batch-Id}, {@code X-Copied-From} and {@code X-Reset-From}.
 */
public final class SourceWriteHeaders {
    private static final int MAX_LENGTH = 256;

    private SourceWriteHeaders() {}

    /** @param headers a header's value by its lower-case name; absent ones are null */
    public static SourceWrite from(Function<String, String> headers) {
        String source = headers.apply("x-event-source");
        source = source == null || source.isBlank()
                ? SourceWrite.MANUAL
                : source.trim().toLowerCase(Locale.ROOT);
        if (!source.equals(SourceWrite.API) && !source.equals(SourceWrite.SIS) && !source.equals(SourceWrite.MANUAL)) {
            throw ServiceException.badRequest("INVALID_EVENT_SOURCE", "X-Event-Source must be manual, sis or api.");
        }
        return new SourceWrite(
                source,
                value(headers, "x-user-id"),
                value(headers, "x-page-view-id"),
                value(headers, "x-sis-batch-id"),
                value(headers, "x-copied-from"),
                value(headers, "x-reset-from"));
    }

    private static String value(Function<String, String> headers, String header) {
        String value = headers.apply(header);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            throw ServiceException.badRequest(
                    "INVALID_HEADER", header + " is longer than " + MAX_LENGTH + " characters.");
        }
        return value.trim();
    }
}
