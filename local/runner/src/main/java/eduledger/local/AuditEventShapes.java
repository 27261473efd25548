package eduledger.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;

/**
 * The audit events the benchmarks send and store: a grading event with an actor, one target, a
 * scope, a context and ten data properties, and the strict schema that describes its data.
 */
final class AuditEventShapes {
    static final int DATA_PROPERTIES = 10;

    private AuditEventShapes() {}

    /** {@code POST /api/v2/audit/schemas} body: a strict schema of ten typed, required properties. */
    static ObjectNode strictSchema(String actionId) {
        ObjectNode body = Json.object();
        body.putObject("action").put("id", actionId).put("type", "update");
        body.put("validation_level", "strict");
        ObjectNode schema = body.putObject("data");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("course_id").put("type", "string").put("maxLength", 64);
        properties.putObject("assignment_id").put("type", "string").put("maxLength", 64);
        properties.putObject("submission_id").put("type", "string").put("maxLength", 64);
        properties.putObject("score").put("type", "number").put("minimum", 0);
        properties.putObject("max_score").put("type", "number").put("exclusiveMinimum", 0);
        properties
                .putObject("grade")
                .put("type", "string")
                .putArray("enum")
                .add("A")
                .add("B")
                .add("C")
                .add("D")
                .add("F");
        properties.putObject("attempt").put("type", "integer").put("minimum", 1);
        properties.putObject("late").put("type", "boolean");
        properties.putObject("graded_at").put("type", "string").put("minLength", 20);
        properties.putObject("comment").put("type", "string").put("maxLength", 1000);
        var required = schema.putArray("required");
        properties.fieldNames().forEachRemaining(required::add);
        return body;
    }

    /**
     * An event of {@code actionId} in Edlink's v2 shape, scoped to {@code integrationId}, whose data
     * conforms to {@link #strictSchema}; {@code n} varies the ids.
     */
    static ObjectNode gradingEvent(String actionId, String integrationId, int n, boolean withTarget) {
        ObjectNode event = Json.object();
        event.put("action", actionId);
        ObjectNode actor = event.putObject("actor");
        actor.putArray("identifiers")
                .addObject()
                .put("value", "teacher-" + (n % 500))
                .put("issuer", "gradebook");
        actor.put("type", "person");
        var targets = event.putArray("targets");
        if (withTarget) {
            ObjectNode target = targets.addObject();
            target.putArray("identifiers")
                    .addObject()
                    .put("value", "submission-" + n)
                    .put("issuer", "gradebook");
            target.put("type", "submission");
        }
        event.putObject("scope").put("id", integrationId).put("type", "integration");
        event.putObject("context")
                .put("ip", "10.0.0." + (n % 250))
                .put("user_agent", "gradebook/4.2")
                .put("source", "gradebook");
        ObjectNode data = event.putObject("data");
        data.put("course_id", "course-" + (n % 300));
        data.put("assignment_id", "assignment-" + (n % 3000));
        data.put("submission_id", "submission-" + n);
        data.put("score", 17.5);
        data.put("max_score", 20);
        data.put("grade", "B");
        data.put("attempt", 1 + n % 3);
        data.put("late", n % 7 == 0);
        data.put("graded_at", "2026-03-02T10:15:30Z");
        data.put("comment", "Clear argument; cite the second source.");
        return event;
    }
}
