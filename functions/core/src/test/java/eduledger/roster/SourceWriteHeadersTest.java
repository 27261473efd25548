package eduledger.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eduledger.errors.ServiceException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceWriteHeadersTest {
    private static SourceWrite from(String header, String value) {
        return SourceWriteHeaders.from(Map.of(header, value)::get);
    }

    @Test
    void theCoursesACopyOrResetNamesAreObjectIds() {
        // The stream writes the named course's events under its id, in its keys: a value no object
        // could have is refused at the write, not retried and dropped there.
        for (String header : new String[] {"x-copied-from", "x-reset-from"}) {
            for (String value : new String[] {"☃".repeat(200), "a b", "course#1", "c".repeat(129), "ü"}) {
                ServiceException refused = assertThrows(ServiceException.class, () -> from(header, value), value);
                assertEquals("INVALID_HEADER", refused.details().get(0).code());
            }
        }
        assertEquals("course-1.a:b_c", from("x-copied-from", " course-1.a:b_c ").copiedFromId());
        assertEquals("c".repeat(128), from("x-reset-from", "c".repeat(128)).resetFromId());
    }

    @Test
    void otherProvenanceIsOnlyStoredSoItIsBoundedInLength() {
        assertEquals("batch ☃", from("x-sis-batch-id", "batch ☃").sisBatchId());
        assertThrows(ServiceException.class, () -> from("x-user-id", "u".repeat(257)));
    }
}
