package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import eduledger.roster.RosterChange;
import eduledger.roster.SourceWrite;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The Canvas course events one roster change of a course implies.
 *
 * <ul>
 *   <li>Insert: {@code created}, with every field set as {@code [null, value]} and
 *       {@code created_source}.</li>
 *   <li>Update: {@code updated} with {@code [old, new]} for each field that changed, when any did;
 *       {@code state} is not among them because its change is told by a lifecycle event:
 * <pre>
 * from \ to     unpublished               published     concluded   deleted
 * unpublished   -                         published     concluded   deleted
 * published     unpublished               -             concluded   deleted
 * concluded     unconcluded, unpublished  unconcluded   -           deleted
 * deleted       restored                  restored      restored    -
 * </pre>
 *       (states as {@link CourseState} reads them; an unknown state on either side yields no
 *       lifecycle event).</li>
 *   <li>Delete of the object: {@code deleted}, unless its state already said deleted.</li>
 *   <li>A write naming {@code copiedFromId}: {@code copied_from} on this course and
 *       {@code copied_to} on the source; one naming {@code resetFromId}: {@code reset_from} on this
 *       course and {@code reset_to} on the course that was reset. Each links the other.</li>
 * </ul>
 * Event data names fields as Canvas does, whatever the roster course calls them; {@link
 * CanvasCourses} is where the names are mapped, and fields Canvas has no course attribute for
 * (bookkeeping such as {@code created_date} among them) never appear.
 */
public final class CourseChanges {
    /** A state change is told by a lifecycle event, never as an update of this attribute. */
    private static final String WORKFLOW_STATE = "workflow_state";

    private CourseChanges() {}

    public static List<CourseEventDraft> derive(RosterChange change) {
        String courseId = change.objectId();
        JsonNode before = change.oldObject();
        JsonNode after = change.newObject();
        List<CourseEventDraft> drafts = new ArrayList<>();
        if (before == null && after != null) {
            drafts.add(draft(courseId, CourseEventType.CREATED, created(after, change.sourceWrite())));
        } else if (before != null && after == null) {
            if (CourseState.of(before) != CourseState.DELETED) {
                drafts.add(draft(courseId, CourseEventType.DELETED, Json.object()));
            }
        } else if (before != null) {
            ObjectNode changed = updated(before, after);
            if (!changed.isEmpty()) {
                drafts.add(draft(courseId, CourseEventType.UPDATED, changed));
            }
            for (CourseEventType type : lifecycle(CourseState.of(before), CourseState.of(after))) {
                drafts.add(draft(courseId, type, Json.object()));
            }
        }
        if (after != null) {
            SourceWrite write = change.sourceWrite();
            pair(drafts, courseId, write.copiedFromId(), CourseEventType.COPIED_FROM, CourseEventType.COPIED_TO);
            pair(drafts, courseId, write.resetFromId(), CourseEventType.RESET_FROM, CourseEventType.RESET_TO);
        }
        return List.copyOf(drafts);
    }

    static List<CourseEventType> lifecycle(CourseState from, CourseState to) {
        if (from == null || to == null || from == to) {
            return List.of();
        }
        if (to == CourseState.DELETED) {
            return List.of(CourseEventType.DELETED);
        }
        if (from == CourseState.DELETED) {
            return List.of(CourseEventType.RESTORED);
        }
        return switch (to) {
            case PUBLISHED ->
                from == CourseState.CONCLUDED
                        ? List.of(CourseEventType.UNCONCLUDED)
                        : List.of(CourseEventType.PUBLISHED);
            case UNPUBLISHED ->
                from == CourseState.CONCLUDED
                        ? List.of(CourseEventType.UNCONCLUDED, CourseEventType.UNPUBLISHED)
                        : List.of(CourseEventType.UNPUBLISHED);
            case CONCLUDED -> List.of(CourseEventType.CONCLUDED);
            case DELETED -> List.of(CourseEventType.DELETED);
        };
    }

    private static ObjectNode created(JsonNode course, SourceWrite write) {
        ObjectNode data = Json.object();
        ObjectNode attributes = CanvasCourses.attributes(course);
        for (Iterator<String> names = attributes.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = attributes.get(name);
            if (!value.isNull()) {
                data.set(name, Json.array().add(NullNode.getInstance()).add(value));
            }
        }
        data.put("created_source", CourseEvent.eventSource(write));
        return data;
    }

    private static ObjectNode updated(JsonNode rosterBefore, JsonNode rosterAfter) {
        ObjectNode data = Json.object();
        ObjectNode before = CanvasCourses.attributes(rosterBefore);
        ObjectNode after = CanvasCourses.attributes(rosterAfter);
        Set<String> names = new java.util.LinkedHashSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.equals(WORKFLOW_STATE)) {
                continue;
            }
            JsonNode old = before.path(name).isMissingNode() ? NullNode.getInstance() : before.get(name);
            JsonNode now = after.path(name).isMissingNode() ? NullNode.getInstance() : after.get(name);
            if (!old.equals(now)) {
                data.set(name, Json.array().add(old).add(now));
            }
        }
        return data;
    }

    private static void pair(
            List<CourseEventDraft> drafts,
            String courseId,
            String otherId,
            CourseEventType here,
            CourseEventType there) {
        if (otherId == null || otherId.isBlank() || otherId.equals(courseId)) {
            return;
        }
        drafts.add(new CourseEventDraft(courseId, here, Json.object(), otherId));
        drafts.add(new CourseEventDraft(otherId, there, Json.object(), courseId));
    }

    private static CourseEventDraft draft(String courseId, CourseEventType type, ObjectNode data) {
        return new CourseEventDraft(courseId, type, data, null);
    }
}
