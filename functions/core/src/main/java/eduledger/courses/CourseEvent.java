package eduledger.courses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import eduledger.roster.SourceWrite;
import java.time.Instant;
import java.util.Set;

/** A Canvas CourseEvent as it is stored and served. */
public record CourseEvent(String id, Instant createdAt, CourseEventDraft draft, SourceWrite write) {
    private static final Set<String> SOURCES = Set.of(SourceWrite.MANUAL, SourceWrite.SIS, SourceWrite.API);

    public String courseId() {
        return draft.courseId();
    }

    /** The seed's CourseEvent: {@code event_data} is an object, links name who and what. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("created_at", Json.timestamp(createdAt));
        json.put("event_type", draft.type().wire());
        json.set("event_data", draft.data());
        json.put("event_source", eventSource(write));
        // The keys Canvas always sends are present, null when unknown; a copy's or reset's other
        // course only on the events about it, as Canvas does.
        ObjectNode links = json.putObject("links");
        links.put("course", draft.courseId());
        links.put("user", write.userId());
        links.put("page_view", write.pageViewId());
        if (draft.type().otherCourseLink() != null) {
            links.put(draft.type().otherCourseLink(), draft.otherCourseId());
        }
        links.put("sis_batch", write.sisBatchId());
        return json;
    }

    /** Canvas knows three sources; like Canvas, a change that names none of them was made by hand. */
    static String eventSource(SourceWrite write) {
        return write.source() != null && SOURCES.contains(write.source()) ? write.source() : SourceWrite.MANUAL;
    }
}
