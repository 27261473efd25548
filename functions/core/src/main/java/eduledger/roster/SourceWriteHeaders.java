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
                course(headers, "x-copied-from"),
                course(headers, "x-reset-from"));
    }

    /**
     * A header naming another course: the stream writes that course's events under its id, in its
     * keys, so it must be an object id now rather than fail there on every retry.
     */
    private static String course(Function<String, String> headers, String header) {
        String value = value(headers, header);
        if (value != null && !RosterStore.isObjectId(value)) {
            throw ServiceException.badRequest(
                    "INVALID_HEADER",
                    header + " names a course, so it is an object id: 1-128 letters, digits and . _ : -.");
        }
        return value;
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
