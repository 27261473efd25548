package eduledger.courses;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import eduledger.roster.SourceWrite;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CourseEventSizeTest {
    private static CourseEvent updated(ObjectNode data) {
        return new CourseEvent(
                "01900000-0000-7000-8000-000000000001",
                Instant.parse("2026-01-01T00:00:00Z"),
                new CourseEventDraft("c1", CourseEventType.UPDATED, data, null),
                SourceWrite.api());
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void anEventOfNonAsciiTextIsMeasuredInUtf8BytesAsTheStoreCountsThem() {
        // 2 x 85,000 characters of three bytes each: 510 KB, though only 170,000 characters.
        String oldName = "\u20ac".repeat(85_000);
        String newName = "\u2603".repeat(85_000);
        ObjectNode data = Json.object();
        data.putArray("name").add(oldName).add(newName);
        String stored = CourseAuditStore.storedJson(updated(data));
        assertTrue(bytes(stored) <= CourseAuditStore.MAX_EVENT_BYTES, bytes(stored) + " bytes");
        assertTrue(stored.contains("truncated_fields"), "the changed field is named without its values");
        assertFalse(stored.contains("\u20ac\u20ac"));
    }

    @Test
    void anEventWithinTheLimitIsStoredWhole() {
        ObjectNode data = Json.object();
        data.putArray("name").add("\u00e9".repeat(50_000)).add("b");
        String stored = CourseAuditStore.storedJson(updated(data));
        assertTrue(stored.contains("\u00e9".repeat(50_000)));
    }

    @Test
    void evenTooManyFieldNamesStayWithinTheLimit() {
        ObjectNode data = Json.object();
        for (int i = 0; i < 5_000; i++) {
            data.putArray("\u2603".repeat(30) + i).add("x").add("y");
        }
        String stored = CourseAuditStore.storedJson(updated(data));
        assertTrue(bytes(stored) <= CourseAuditStore.MAX_EVENT_BYTES, bytes(stored) + " bytes");
        assertTrue(stored.contains("truncated_field_count"));
    }
}
