package eduledger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A context's size is what it is written as, in UTF-8, escapes included. */
class EventSubmissionContextTest {
    private static List<ErrorDetail> problems(JsonNode context) throws Exception {
        ObjectNode event = (ObjectNode) Json.read("""
                {"action": "page.view",
                 "actor": {"identifiers": [{"value": "a", "issuer": "lms"}], "type": "person"},
                 "targets": [],
                 "scope": {"id": "d6ed4e00-3d17-41d0-ab89-63385b51c2c0", "type": "integration"}}
                """);
        event.set("context", context);
        List<ErrorDetail> problems = new ArrayList<>();
        EventSubmission submission = EventSubmission.read(event, "$", Instant.now(), Duration.ofDays(30), problems);
        assertEquals(problems.isEmpty(), submission != null);
        return problems;
    }

    private static int written(JsonNode context) {
        return Json.write(context).getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aContextOfExactlyTheLimitIsAccepted() throws Exception {
        ObjectNode context = Json.object().put("source", "");
        int frame = written(context);
        context.put("source", "s".repeat(EventSubmission.MAX_CONTEXT_BYTES - frame));
        assertEquals(EventSubmission.MAX_CONTEXT_BYTES, written(context));
        assertEquals(List.of(), problems(context));
    }

    @Test
    void aContextOneByteOverTheLimitIsRefused() throws Exception {
        ObjectNode context = Json.object().put("source", "");
        context.put("source", "s".repeat(EventSubmission.MAX_CONTEXT_BYTES - written(context) + 1));
        assertEquals("CONTEXT_TOO_LARGE", problems(context).get(0).code());
    }

    @Test
    void escapesAndWideCharactersCountAsWritten() throws Exception {
        // 1,400 characters, but each control character is written as a six-byte escape: 8,400 bytes.
        ObjectNode escaped = Json.object().put("user_agent", "\u0001".repeat(1_400));
        assertEquals("CONTEXT_TOO_LARGE", problems(escaped).get(0).code());
        // 2,800 characters of three bytes each in UTF-8.
        ObjectNode wide = Json.object().put("path", "\u20ac".repeat(2_800));
        assertEquals("CONTEXT_TOO_LARGE", problems(wide).get(0).code());
        // The same characters, fewer of them, under the limit.
        assertEquals(List.of(), problems(Json.object().put("path", "\u20ac".repeat(2_700))));
    }

    @Test
    void aQueryObjectWithFractionsIsMeasuredAsWritten() throws Exception {
        ObjectNode small = Json.object();
        small.putObject("query").put("ratio", new java.math.BigDecimal("0.5"));
        assertEquals(List.of(), problems(small));
        ObjectNode large = Json.object();
        ObjectNode query = large.putObject("query");
        for (int i = 0; i < 400; i++) {
            query.put("r" + i, new java.math.BigDecimal("12345678901234.5"));
        }
        assertNotNull(problems(large).stream()
                .filter(p -> p.code().equals("CONTEXT_TOO_LARGE"))
                .findFirst()
                .orElse(null));
    }
}
