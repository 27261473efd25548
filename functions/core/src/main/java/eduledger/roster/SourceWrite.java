package eduledger.roster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;

/**
 * Who changed a roster object and how, as the source write that changed it said. It is stored on
 * the roster item next to the object, so the change stream sees it in the same record as the
 * change, and carried into the events the change produces (Canvas course events' event_source,
 * user, page_view, sis_batch; copies and resets link the other course).
 *
 * @param source       manual, sis or api
 * @param userId       who made the change, when known
 * @param pageViewId   the page view the change was made in, when known
 * @param sisBatchId   the SIS import batch that made it, when it came from one
 * @param copiedFromId for a course made as a copy: the course it was copied from
 * @param resetFromId  for a course made by resetting another: the course that was reset
 */
public record SourceWrite(
        String source, String userId, String pageViewId, String sisBatchId, String copiedFromId, String resetFromId) {

    public static final String MANUAL = "manual";
    public static final String SIS = "sis";
    public static final String API = "api";

    public static SourceWrite api() {
        return new SourceWrite(API, null, null, null, null, null);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("source", source);
        putIfPresent(json, "user_id", userId);
        putIfPresent(json, "page_view_id", pageViewId);
        putIfPresent(json, "sis_batch_id", sisBatchId);
        putIfPresent(json, "copied_from_id", copiedFromId);
        putIfPresent(json, "reset_from_id", resetFromId);
        return json;
    }

    public static SourceWrite fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            return api();
        }
        return new SourceWrite(
                json.path("source").asText(API),
                text(json, "user_id"),
                text(json, "page_view_id"),
                text(json, "sis_batch_id"),
                text(json, "copied_from_id"),
                text(json, "reset_from_id"));
    }

    private static void putIfPresent(ObjectNode json, String name, String value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    private static String text(JsonNode json, String name) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }
}
