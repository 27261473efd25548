package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * A course's lifecycle state, read from the course object's {@code state} field. Canvas and SIS
 * feeds name the states differently, so several spellings map to one state:
 * <pre>
 * unpublished  unpublished, created, claimed
 * published    published, active, available
 * concluded    concluded, completed
 * deleted      deleted
 * </pre>
 * Any other value, or no {@code state}, is unknown: such a change yields no lifecycle event.
 */
public enum CourseState {
    UNPUBLISHED("unpublished", Set.of("unpublished", "created", "claimed")),
    PUBLISHED("available", Set.of("published", "active", "available")),
    CONCLUDED("completed", Set.of("concluded", "completed")),
    DELETED("deleted", Set.of("deleted"));

    public static final String FIELD = "state";

    private final String canvasWorkflowState;
    private final Set<String> spellings;

    CourseState(String canvasWorkflowState, Set<String> spellings) {
        this.canvasWorkflowState = canvasWorkflowState;
        this.spellings = spellings;
    }

    /** The state as a Canvas Course's {@code workflow_state} names it. */
    public String canvasWorkflowState() {
        return canvasWorkflowState;
    }

    /** The state of a course object ({@code state}, else {@code workflow_state}); null when it has none this mapping knows. */
    public static CourseState of(JsonNode course) {
        JsonNode value = course == null ? null : course.has(FIELD) ? course.get(FIELD) : course.get("workflow_state");
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.asText().toLowerCase(Locale.ROOT);
        for (CourseState state : values()) {
            if (state.spellings.contains(text)) {
                return state;
            }
        }
        return null;
    }
}
