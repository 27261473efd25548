package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place a roster course, in Edlink's field names or already in Canvas's, becomes Canvas's.
 * Course event data and the linked Course objects are both read through it, so a sync job may write
 * either spelling and Canvas clients always see Canvas's:
 *
 * <pre>
 * roster field (Edlink)      Canvas attribute
 * name                       name
 * code                       course_code
 * start_date                 start_at
 * end_date, end_at           conclude_at   (the Course object shows it as end_at)
 * state                      workflow_state: unpublished, available, completed or deleted
 *                            (spellings as {@link CourseState} reads them)
 * account_id, school_id      account_id
 * description                public_description
 * time_zone, locale          time_zone, locale
 * sis_id                     sis_course_id
 * </pre>
 *
 * Canvas's own names ({@code course_code}, {@code start_at}, {@code conclude_at}, {@code is_public},
 * …, see {@link #CANVAS_ATTRIBUTES}) pass as they are and win over an Edlink alias of the same
 * attribute. Fields with no Canvas course attribute ({@code session_ids}, {@code subjects},
 * {@code identifiers}, bookkeeping such as {@code created_date}) are not Canvas's to show and are left
 * out.
 */
public final class CanvasCourses {
    /** Edlink's names, and other spellings sync jobs use, for Canvas's course attributes. */
    private static final Map<String, String> ALIASES = Map.of(
            "code",
            "course_code",
            "start_date",
            "start_at",
            "end_date",
            "conclude_at",
            "end_at",
            "conclude_at",
            "school_id",
            "account_id",
            "description",
            "public_description",
            "sis_id",
            "sis_course_id",
            CourseState.FIELD,
            "workflow_state");

    /** The course attributes Canvas records changes of and serves, in Canvas's spelling. */
    public static final List<String> CANVAS_ATTRIBUTES = List.of(
            "name",
            "course_code",
            "workflow_state",
            "account_id",
            "start_at",
            "conclude_at",
            "is_public",
            "is_public_to_auth_users",
            "public_syllabus",
            "public_description",
            "sis_course_id",
            "integration_id",
            "enrollment_term_id",
            "time_zone",
            "locale",
            "license",
            "default_view",
            "syllabus_body",
            "grading_standard_id",
            "hide_final_grades",
            "restrict_enrollments_to_course_dates",
            "storage_quota_mb");

    private CanvasCourses() {}

    /**
     * The course's Canvas attributes that it sets, by Canvas name, in {@link #CANVAS_ATTRIBUTES}
     * order; {@code workflow_state} in Canvas's vocabulary, or left out when the state is unknown.
     */
    public static ObjectNode attributes(JsonNode course) {
        Map<String, JsonNode> byCanvasName = new LinkedHashMap<>();
        if (course != null && course.isObject()) {
            // Aliases first, so a Canvas-named field overrides them.
            for (Iterator<String> names = course.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (ALIASES.containsKey(name) && !course.has(ALIASES.get(name))) {
                    byCanvasName.putIfAbsent(ALIASES.get(name), course.get(name));
                }
            }
            for (String name : CANVAS_ATTRIBUTES) {
                if (course.has(name)) {
                    byCanvasName.put(name, course.get(name));
                }
            }
        }
        ObjectNode attributes = Json.object();
        for (String name : CANVAS_ATTRIBUTES) {
            JsonNode value = byCanvasName.get(name);
            if (name.equals("workflow_state") && value != null) {
                value = workflowState(value);
            }
            if (value != null) {
                attributes.set(name, value);
            }
        }
        return attributes;
    }

    /** The roster course's account: {@code account_id}, else the {@code school_id} Edlink gives. */
    public static String accountId(JsonNode course) {
        JsonNode value = attributes(course).get("account_id");
        return value == null || value.isNull() ? null : value.asText();
    }

    /**
     * A Canvas Course object: every key Canvas's Course carries that this system can know, null when
     * the roster course does not say.
     */
    public static ObjectNode courseJson(String courseId, JsonNode course) {
        ObjectNode attributes = attributes(course);
        ObjectNode json = Json.object();
        json.put("id", courseId);
        put(json, "sis_course_id", attributes);
        put(json, "uuid", attributes);
        put(json, "integration_id", attributes);
        put(json, "name", attributes);
        put(json, "course_code", attributes);
        json.set("original_name", NullNode.getInstance());
        put(json, "workflow_state", attributes);
        put(json, "account_id", attributes);
        json.set("root_account_id", NullNode.getInstance());
        put(json, "enrollment_term_id", attributes);
        put(json, "grading_standard_id", attributes);
        json.set(
                "created_at",
                course == null
                        ? NullNode.getInstance()
                        : course.path("created_date").isMissingNode()
                                ? NullNode.getInstance()
                                : course.get("created_date"));
        put(json, "start_at", attributes);
        json.set("end_at", attributes.has("conclude_at") ? attributes.get("conclude_at") : NullNode.getInstance());
        put(json, "locale", attributes);
        put(json, "time_zone", attributes);
        put(json, "is_public", attributes);
        put(json, "is_public_to_auth_users", attributes);
        put(json, "public_syllabus", attributes);
        put(json, "public_description", attributes);
        put(json, "default_view", attributes);
        put(json, "license", attributes);
        put(json, "hide_final_grades", attributes);
        put(json, "restrict_enrollments_to_course_dates", attributes);
        put(json, "storage_quota_mb", attributes);
        json.set("blueprint", NullNode.getInstance());
        return json;
    }

    private static void put(ObjectNode json, String name, ObjectNode attributes) {
        json.set(name, attributes.has(name) ? attributes.get(name) : NullNode.getInstance());
    }

    /** Canvas's four workflow states; an unknown state stays as written. */
    private static JsonNode workflowState(JsonNode value) {
        ObjectNode holder = Json.object();
        holder.set(CourseState.FIELD, value);
        CourseState state = CourseState.of(holder);
        if (state == null) {
            return value;
        }
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(state.canvasWorkflowState());
    }
}
