package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ErrorDetail;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.schemas.ActionType;
import eduledger.schemas.SchemaDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One event as an integration sent it, checked against the built-in rules that hold whatever the
 * action's schema says (a schema governs {@code data} only). Breaking any of them is a 400.
 *
 * <ul>
 *   <li>Properties: {@code action} and {@code actor} are required; {@code targets}, {@code scope},
 *       {@code context}, {@code data}, {@code date} and {@code id} are optional; anything else is refused,
 *       and {@code created_date}, {@code schema}, {@code validation} are assigned by the server.</li>
 *   <li>{@code action}: {@code {id, type?}}; id as for schemas (1–128 letters, digits, {@code . _ : / -});
 *       type one of create, read, update, delete, other.</li>
 *   <li>{@code actor} and each target: {@code {id, type, name?}}; id a string of 1–256 characters
 *       without control characters (numbers must be sent as strings, so "42" and 42 never differ);
 *       type 1–64 lower-case letters, digits, {@code _ . -} starting with a letter (e.g. person,
 *       integration, assignment); name a string of at most 256 characters.</li>
 *   <li>{@code targets}: an array of at most {@value #MAX_TARGETS}, ids unique within the event.</li>
 *   <li>{@code scope}: an object of at most {@value #MAX_SCOPE_KEYS} lower_snake keys, each a string id
 *       of at most 256 characters (e.g. {@code {"district_id": "...", "school_id": "..."}}).</li>
 *   <li>{@code context}: any JSON object of at most {@value #MAX_CONTEXT_BYTES} bytes (e.g. ip_address,
 *       user_agent).</li>
 *   <li>{@code date}: when it happened, an ISO 8601 timestamp with a zone.</li>
 *   <li>{@code id}: a UUIDv7 the client chose (its time becomes {@code created_date}), inside the
 *       retention period and at most {@link #MAX_CLOCK_SKEW} ahead; resending it returns the first
 *       result.</li>
 * </ul>
 */
public record EventSubmission(
        JsonNode source,
        String clientId,
        String actionId,
        ActionType actionType,
        Party actor,
        List<Party> targets,
        JsonNode scope,
        JsonNode context,
        JsonNode data,
        Instant date) {

    public static final int MAX_TARGETS = 10;
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_SCOPE_KEYS = 16;
    public static final int MAX_CONTEXT_BYTES = 8 * 1024;
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Set<String> ALLOWED =
            Set.of("id", "action", "actor", "targets", "scope", "context", "data", "date");
    private static final Set<String> ASSIGNED = Set.of("created_date", "schema", "validation");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final Pattern SCOPE_KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    /**
     * Reads one event, adding every broken rule to {@code problems} with its path under {@code at}
     * (e.g. {@code $} or {@code $.events[3]}); returns null when anything was broken.
     */
    public static EventSubmission read(
            JsonNode event, String at, Instant now, Duration retention, List<ErrorDetail> problems) {
        int before = problems.size();
        if (!event.isObject()) {
            problems.add(problem("INVALID_EVENT", "An event must be a JSON object.", at));
            return null;
        }
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (ASSIGNED.contains(name)) {
                problems.add(problem("PROPERTY_NOT_ALLOWED", name + " is assigned by the server.", at + "." + name));
            } else if (!ALLOWED.contains(name)) {
                problems.add(problem(
                        "UNKNOWN_PROPERTY",
                        "Unknown property " + name + "; an event has "
                                + "action, actor, targets, scope, context, data, date and id.",
                        at + "." + name));
            }
        }
        String clientId = clientId(event.get("id"), at + ".id", now, retention, problems);
        String actionId = null;
        ActionType actionType = null;
        JsonNode action = event.get("action");
        if (action == null || action.isNull()) {
            problems.add(problem("MISSING_FIELD", "action is required: {\"id\": ..., \"type\": ...}.", at + ".action"));
        } else if (!action.isObject()) {
            problems.add(problem("INVALID_FIELD", "action must be an object with id and type.", at + ".action"));
        } else {
            action.fieldNames().forEachRemaining(name -> {
                if (!name.equals("id") && !name.equals("type")) {
                    problems.add(
                            problem("UNKNOWN_PROPERTY", "An action has id and type only.", at + ".action." + name));
                }
            });
            JsonNode id = action.get("id");
            if (id == null
                    || !id.isTextual()
                    || !SchemaDefinition.ACTION_ID.matcher(id.asText()).matches()) {
                problems.add(problem(
                        "INVALID_FIELD",
                        "action.id must be a string of 1 to 128 letters, digits and"
                                + " . _ : / - starting with a letter or digit.",
                        at + ".action.id"));
            } else {
                actionId = id.asText();
            }
            JsonNode type = action.get("type");
            if (type != null && !type.isNull()) {
                actionType = type.isTextual() ? ActionType.parse(type.asText()) : null;
                if (actionType == null) {
                    problems.add(problem(
                            "INVALID_FIELD",
                            "action.type must be one of create, read, update, delete, other.",
                            at + ".action.type"));
                }
            }
        }
        Party actor = null;
        JsonNode actorJson = event.get("actor");
        if (actorJson == null || actorJson.isNull()) {
            problems.add(problem("MISSING_FIELD", "actor is required: {\"id\": ..., \"type\": ...}.", at + ".actor"));
        } else {
            actor = party(actorJson, at + ".actor", problems);
        }
        List<Party> targets = targets(event.get("targets"), at + ".targets", problems);
        JsonNode scope = scope(event.get("scope"), at + ".scope", problems);
        JsonNode context = context(event.get("context"), at + ".context", problems);
        Instant date = date(event.get("date"), at + ".date", problems);
        JsonNode data = event.get("data");
        if (problems.size() > before) {
            return null;
        }
        return new EventSubmission(event, clientId, actionId, actionType, actor, targets, scope, context, data, date);
    }

    /** The data the schema is checked against; a missing {@code data} is checked as JSON null. */
    public JsonNode dataForValidation() {
        return data == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : data;
    }

    private static String clientId(
            JsonNode id, String at, Instant now, Duration retention, List<ErrorDetail> problems) {
        if (id == null || id.isNull()) {
            return null;
        }
        String text = id.isTextual() ? id.asText().toLowerCase() : null;
        Instant time = text != null && UUID_SHAPE.matcher(text).matches() ? EventIds.timeOf(text) : null;
        if (time == null) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "id must be a version 7 UUID (time-ordered); leave it out to have" + " one assigned.",
                    at));
            return null;
        }
        if (time.isBefore(now.minus(retention)) || time.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "id's time " + Json.timestamp(time) + " must lie within the last " + retention.toDays()
                            + " days and at most " + MAX_CLOCK_SKEW.toMinutes() + " minutes ahead.",
                    at));
            return null;
        }
        return text;
    }

    private static Party party(JsonNode json, String at, List<ErrorDetail> problems) {
        if (!json.isObject()) {
            problems.add(problem("INVALID_FIELD", "Must be an object {id, type, name?}.", at));
            return null;
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!Set.of("id", "type", "name").contains(name)) {
                problems.add(problem("UNKNOWN_PROPERTY", "Only id, type and name are allowed here.", at + "." + name));
            }
        });
        String id = idValue(json.get("id"), at + ".id", problems);
        JsonNode type = json.get("type");
        if (type == null || !type.isTextual() || !TYPE.matcher(type.asText()).matches()) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "type is required: 1 to 64 lower-case letters, digits, _ . -"
                            + " starting with a letter, e.g. person.",
                    at + ".type"));
        }
        JsonNode name = json.get("name");
        if (name != null
                && !name.isNull()
                && (!name.isTextual() || name.asText().length() > MAX_NAME_LENGTH)) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "name must be a string of at most " + MAX_NAME_LENGTH + " characters.",
                    at + ".name"));
        }
        return new Party(id, type == null ? null : type.asText(), name == null || name.isNull() ? null : name.asText());
    }

    private static String idValue(JsonNode id, String at, List<ErrorDetail> problems) {
        if (id == null || id.isNull()) {
            problems.add(problem("MISSING_FIELD", "id is required.", at));
            return null;
        }
        if (!id.isTextual()
                || id.asText().isEmpty()
                || id.asText().getBytes(StandardCharsets.UTF_8).length > MAX_ID_LENGTH
                || CONTROL.matcher(id.asText()).find()) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "id must be a string of 1 to " + MAX_ID_LENGTH
                            + " bytes of UTF-8 without control characters (send numbers as strings).",
                    at));
            return null;
        }
        return id.asText();
    }

    private static List<Party> targets(JsonNode json, String at, List<ErrorDetail> problems) {
        List<Party> targets = new ArrayList<>();
        if (json == null || json.isNull()) {
            return targets;
        }
        if (!json.isArray()) {
            problems.add(problem("INVALID_FIELD", "targets must be an array of {id, type, name?}.", at));
            return targets;
        }
        if (json.size() > MAX_TARGETS) {
            problems.add(problem("TOO_MANY_TARGETS", "An event has at most " + MAX_TARGETS + " targets.", at));
            return targets;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < json.size(); i++) {
            Party target = party(json.get(i), at + "[" + i + "]", problems);
            if (target != null && target.id() != null && !ids.add(target.id())) {
                problems.add(problem(
                        "DUPLICATE_TARGET", "Target " + target.id() + " is listed twice.", at + "[" + i + "].id"));
            }
            targets.add(target);
        }
        return targets;
    }

    private static JsonNode scope(JsonNode json, String at, List<ErrorDetail> problems) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isObject() || json.size() > MAX_SCOPE_KEYS) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "scope must be an object of at most " + MAX_SCOPE_KEYS + " ids, e.g. {\"school_id\": \"...\"}.",
                    at));
            return null;
        }
        json.fields().forEachRemaining(entry -> {
            String path = at + "." + entry.getKey();
            if (!SCOPE_KEY.matcher(entry.getKey()).matches()) {
                problems.add(problem(
                        "INVALID_FIELD", "scope keys are lower_snake_case names of at most 64 characters.", path));
            } else {
                idValue(entry.getValue(), path, problems);
            }
        });
        return json;
    }

    private static JsonNode context(JsonNode json, String at, List<ErrorDetail> problems) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isObject()) {
            problems.add(problem("INVALID_FIELD", "context must be a JSON object.", at));
            return null;
        }
        if (Json.write(json).getBytes(StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES) {
            problems.add(
                    problem("CONTEXT_TOO_LARGE", "context is at most " + MAX_CONTEXT_BYTES + " bytes of JSON.", at));
            return null;
        }
        return json;
    }

    private static Instant date(JsonNode json, String at, List<ErrorDetail> problems) {
        if (json == null || json.isNull()) {
            return null;
        }
        try {
            if (json.isTextual()) {
                Instant date = java.time.OffsetDateTime.parse(json.asText()).toInstant();
                // Dates outside four-digit years would not read back in the stored date format.
                if (EventIds.isQueryable(date)) {
                    return date;
                }
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(problem(
                "INVALID_FIELD",
                "date must be an ISO 8601 timestamp with a zone in the years 0001 to 9999, e.g. 2026-01-31T12:00:00Z.",
                at));
        return null;
    }

    private static ErrorDetail problem(String code, String message, String path) {
        return new ErrorDetail(code, message, path);
    }
}
