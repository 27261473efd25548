package eduledger.courses;

import static eduledger.courses.CourseEventType.CONCLUDED;
import static eduledger.courses.CourseEventType.DELETED;
import static eduledger.courses.CourseEventType.PUBLISHED;
import static eduledger.courses.CourseEventType.RESTORED;
import static eduledger.courses.CourseEventType.UNCONCLUDED;
import static eduledger.courses.CourseEventType.UNPUBLISHED;
import static eduledger.courses.CourseEventType.UPDATED;
import static eduledger.courses.CourseState.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterCollection;
import eduledger.roster.SourceWrite;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CourseChangesTest {
    private static JsonNode course(String json) {
        return Json.readStored(json);
    }

    private static List<CourseEventType> types(String before, String after) {
        RosterChange change = new RosterChange(
                RosterCollection.COURSES,
                "c1",
                before == null ? null : course(before),
                after == null ? null : course(after),
                SourceWrite.api(),
                "r1",
                Instant.EPOCH);
        return CourseChanges.derive(change).stream().map(CourseEventDraft::type).toList();
    }

    @Test
    void theStateSpellingsMapOntoFourStates() {
        assertEquals(CourseState.PUBLISHED, CourseState.of(course("{\"state\": \"available\"}")));
        assertEquals(CourseState.PUBLISHED, CourseState.of(course("{\"state\": \"Active\"}")));
        assertEquals(CourseState.UNPUBLISHED, CourseState.of(course("{\"state\": \"claimed\"}")));
        assertEquals(CourseState.CONCLUDED, CourseState.of(course("{\"state\": \"completed\"}")));
        assertEquals(CourseState.DELETED, CourseState.of(course("{\"state\": \"deleted\"}")));
        assertNull(CourseState.of(course("{\"state\": \"archived\"}")));
        assertNull(CourseState.of(course("{}")));
    }

    @Test
    void everyTransitionOfTheTableYieldsItsEvents() {
        var expected = new java.util.HashMap<String, List<CourseEventType>>();
        expected.put("UNPUBLISHED>PUBLISHED", List.of(PUBLISHED));
        expected.put("UNPUBLISHED>CONCLUDED", List.of(CONCLUDED));
        expected.put("UNPUBLISHED>DELETED", List.of(DELETED));
        expected.put("PUBLISHED>UNPUBLISHED", List.of(UNPUBLISHED));
        expected.put("PUBLISHED>CONCLUDED", List.of(CONCLUDED));
        expected.put("PUBLISHED>DELETED", List.of(DELETED));
        expected.put("CONCLUDED>UNPUBLISHED", List.of(UNCONCLUDED, UNPUBLISHED));
        expected.put("CONCLUDED>PUBLISHED", List.of(UNCONCLUDED));
        expected.put("CONCLUDED>DELETED", List.of(DELETED));
        expected.put("DELETED>UNPUBLISHED", List.of(RESTORED));
        expected.put("DELETED>PUBLISHED", List.of(RESTORED));
        expected.put("DELETED>CONCLUDED", List.of(RESTORED));
        for (CourseState from : values()) {
            for (CourseState to : values()) {
                assertEquals(
                        expected.getOrDefault(from + ">" + to, List.of()),
                        CourseChanges.lifecycle(from, to),
                        from + ">" + to);
            }
        }
        assertEquals(List.of(), CourseChanges.lifecycle(null, CourseState.PUBLISHED));
    }

    @Test
    void aStateChangeIsALifecycleEventAndNotAnUpdate() {
        assertEquals(
                List.of(PUBLISHED),
                types(
                        "{\"id\": \"c1\", \"name\": \"A\", \"state\": \"unpublished\"}",
                        "{\"id\": \"c1\", \"name\": \"A\", \"state\": \"available\", \"updated_date\": \"2024\"}"));
        assertEquals(
                List.of(UPDATED, PUBLISHED),
                types("{\"name\": \"A\", \"state\": \"unpublished\"}", "{\"name\": \"B\", \"state\": \"available\"}"));
        assertEquals(
                List.of(),
                types("{\"name\": \"A\", \"updated_date\": \"1\"}", "{\"name\": \"A\", \"updated_date\": \"2\"}"));
    }

    @Test
    void removingAnAlreadyDeletedCourseSaysNothingMore() {
        assertEquals(List.of(DELETED), types("{\"state\": \"available\"}", null));
        assertEquals(List.of(), types("{\"state\": \"deleted\"}", null));
    }
}
