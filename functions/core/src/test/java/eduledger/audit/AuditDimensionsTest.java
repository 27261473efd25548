package eduledger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuditDimensionsTest {
    private static AuditEvent withPath(String path) throws Exception {
        var json = Json.object();
        json.put("id", "01a22caf-d372-72a9-a55d-ea0068ac80f0");
        json.put("created_date", "2026-11-30T13:40:50.162Z");
        json.put("action", "page.view");
        json.put("action_type", "other");
        json.set(
                "actor",
                Json.read("{\"identifiers\": [{\"value\": \"a\", \"issuer\": \"lms\"}], \"type\": \"person\"}"));
        json.set("targets", Json.array());
        json.set("scope", Json.read("{\"id\": \"d6ed4e00-3d17-41d0-ab89-63385b51c2c0\", \"type\": \"integration\"}"));
        json.set("context", Json.object().put("path", path));
        json.set("validation", Json.read("{\"level\": \"lax\", \"conforms\": null, \"violations\": []}"));
        return AuditEvent.fromJson(json);
    }

    @Test
    void aContextValueIsListedUnderItsFilterWhenAQueryCouldNameItInBytes() throws Exception {
        // 128 two-byte characters are 256 bytes: a filter may name them, so the event is on that list.
        String fits = "é".repeat(128);
        assertTrue(
                AuditEventStore.dimensions(withPath(fits)).contains(AuditQuery.filterDimension("context.path", fits)));
        // 129 of them are 258 bytes, which no filter may name (400): no list item is written for it.
        String tooLong = "é".repeat(129);
        assertFalse(AuditEventStore.dimensions(withPath(tooLong))
                .contains(AuditQuery.filterDimension("context.path", tooLong)));
    }

    /** The lists an event is written to are exactly the lists a query with one of its filter values reads. */
    @Test
    void anEventIsOnTheListOfEachPartyFilterAQueryCanName() throws Exception {
        AuditEvent event = withPath("/home");
        event = AuditEvent.fromJson(((com.fasterxml.jackson.databind.node.ObjectNode) event.toJson())
                .set(
                        "targets",
                        Json.read("[{\"identifiers\": [{\"value\": \"c-1\", \"issuer\": \"sis\"}], "
                                + "\"type\": \"class\"}]")));
        List<Map<String, String>> queries = List.of(
                Map.of(),
                Map.of("action", "page.view"),
                Map.of("actor.type", "person"),
                Map.of("actor.value", "a"),
                Map.of("actor.issuer", "lms"),
                Map.of("actor.value", "a", "actor.issuer", "lms"),
                Map.of("target.type", "class"),
                Map.of("target.value", "c-1"),
                Map.of("target.issuer", "sis"),
                Map.of("target.value", "c-1", "target.issuer", "sis"),
                Map.of("context.path", "/home"));
        Set<String> dimensions = AuditEventStore.dimensions(event);
        for (Map<String, String> query : queries) {
            String dimension = AuditQuery.from(query::get).dimension();
            assertTrue(dimensions.contains(dimension), query + " reads " + dimension + ", not in " + dimensions);
        }
        assertEquals(queries.size(), dimensions.size(), dimensions.toString());
    }
}
