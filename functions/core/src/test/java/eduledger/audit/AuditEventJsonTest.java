package eduledger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.schemas.ValidationLevel;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored JSON written from the event: its shape, and that reading it back loses nothing. */
class AuditEventJsonTest {
    private static final Instant AT = Instant.parse("2026-11-30T13:40:50.162Z");

    private static AuditEvent event(
            List<Party> targets, JsonNode context, JsonNode data, SchemaRef schema, Validation validation) {
        return new AuditEvent(
                "01a22caf-d372-72a9-a55d-ea0068ac80f0",
                AT,
                "assignment.submit",
                "create",
                new Party(List.of(new Identifier("u-1", "lms"), new Identifier("p\u00e9\"\\\n", "sis")), "person"),
                targets,
                new AuditScope("d6ed4e00-3d17-41d0-ab89-63385b51c2c0", "integration"),
                context,
                data,
                schema,
                validation);
    }

    /** Written as the tree read from it writes it again: every value kept, in its order. */
    private static void assertSameAsTree(AuditEvent event) {
        String json = event.json();
        assertEquals(Json.write(Json.readStored(json)), json);
    }

    @Test
    void anUncheckedEventWithoutContextOrDataIsWrittenInTheStoredShape() {
        assertEquals(
                "{\"id\":\"01a22caf-d372-72a9-a55d-ea0068ac80f0\",\"created_date\":\"2026-11-30T13:40:50.162Z\","
                        + "\"action\":\"assignment.submit\",\"action_type\":\"create\",\"actor\":{\"identifiers\":["
                        + "{\"value\":\"u-1\",\"issuer\":\"lms\"},{\"value\":\"p\u00e9\\\"\\\\\\n\",\"issuer\":\"sis\"}],"
                        + "\"type\":\"person\"},\"targets\":[],\"scope\":{\"id\":\"d6ed4e00-3d17-41d0-ab89-63385b51c2c0\","
                        + "\"type\":\"integration\"},\"schema\":null,\"validation\":{\"level\":\"lax\",\"conforms\":null,"
                        + "\"violations\":[]}}",
                event(List.of(), null, null, null, Validation.unchecked()).json());
    }

    @Test
    void aLaxEventWithViolationsIsWrittenAsItsTree() throws Exception {
        Validation validation = new Validation(
                ValidationLevel.LAX,
                false,
                List.of(
                        new ErrorDetail("SCHEMA_VIOLATION", "$.data.score: must be a number", "$.data.score"),
                        new ErrorDetail("MORE_VIOLATIONS", "and more \u2028 than these", null)));
        assertSameAsTree(event(
                List.of(
                        new Party(List.of(new Identifier("c-1", "edlink")), "class"),
                        new Party(List.of(), "assignment")),
                Json.read("{\"path\": \"/home\", \"n\": 12345678901234, \"nested\": {\"a\": [1, 2.50, null, true]}}"),
                Json.read(
                        "{\"score\": \"x\", \"big\": 1e300, \"small\": -0.000001, \"text\": \"\\ud83d\\ude00\\u0001\"}"),
                new SchemaRef("d0e4b0b6-6a7b-4c57-9a57-2a3a2b0c1d11", "7f6c4a43-1c55-4b8e-a9b2-d6e1b0a5c2f3", 3),
                validation));
    }

    @Test
    void aStrictConformingEventWithNullAndEmptyValuesIsWrittenAsItsTree() throws Exception {
        assertSameAsTree(event(
                List.of(new Party(List.of(new Identifier("", "")), "")),
                Json.read("null"),
                Json.read("[]"),
                new SchemaRef("s", "v", Long.MAX_VALUE),
                new Validation(ValidationLevel.STRICT, true, List.of())));
    }

    @Test
    void aStoredEventReadBackIsWrittenAsItWasStored() {
        AuditEvent event =
                event(List.of(), Json.object().put("k", "v"), Json.array().add(1), null, Validation.unchecked());
        String stored = event.json();
        assertEquals(stored, AuditEvent.fromJson(Json.readStored(stored)).json());
    }
}
