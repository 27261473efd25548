package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a caller may define in a schema (action, validation level, JSON Schema for data), read from
 * a POST or PATCH body with every rule checked and every problem reported by its field.
 */
public record SchemaDefinition(String actionId, ActionType actionType, ValidationLevel validationLevel, JsonNode data) {

    /** Keeps the newest-schema and version items far under DynamoDB's 400 KB item limit. */
    public static final int MAX_DATA_BYTES = 64 * 1024;

    public static final Pattern ACTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    private static final Pattern SCHEMA_ID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private static final Set<String> DEFINABLE = Set.of("action", "validation_level", "data");
    /** Edlink's update form also takes the type on its own and names the schema by id in the body. */
    private static final Set<String> PATCHABLE =
            Set.of("action", "action_type", "schema_id", "validation_level", "data");

    private static final Set<String> EVENT_PROPERTIES = Set.of("actor", "targets", "scope", "context");
    private static final Set<String> ASSIGNED = Set.of("id", "version", "version_number", "created_date");

    public static SchemaDefinition forCreate(JsonNode body, JsonSchemas jsonSchemas) {
        List<ErrorDetail> problems = new ArrayList<>();
        checkTopLevel(body, DEFINABLE, problems);
        JsonNode action = body.get("action");
        String actionId = null;
        ActionType actionType = null;
        if (action == null || action.isNull()) {
            problems.add(
                    new ErrorDetail("MISSING_FIELD", "action is required: {\"id\": ..., \"type\": ...}.", "$.action"));
        } else if (!action.isObject()) {
            problems.add(new ErrorDetail("INVALID_FIELD", "action must be an object with id and type.", "$.action"));
        } else {
            checkActionKeys(action, problems);
            actionId = actionId(action.get("id"), true, problems);
            actionType = actionType(action.get("type"), true, problems, "$.action.type");
        }
        ValidationLevel level = validationLevel(body.get("validation_level"), problems);
        JsonNode data = data(body, jsonSchemas, problems);
        throwIfAny(problems);
        return new SchemaDefinition(actionId, actionType, level == null ? ValidationLevel.LAX : level, data);
    }

    /**
     * The schema a body-form PATCH names: Edlink's {@code action} (the action id, as a string) or
     * {@code schema_id}; {@code action.id} of the object form counts as the action too.
     */
    public record PatchTarget(String actionId, String schemaId) {}

    public static PatchTarget patchTarget(JsonNode body) {
        if (!body.isObject()) {
            throw ServiceException.badRequest("INVALID_BODY", "The body must be a JSON object.");
        }
        JsonNode action = body.get("action");
        String actionId = null;
        if (action != null && action.isTextual()) {
            actionId = action.asText();
        } else if (action != null && action.isObject() && action.path("id").isTextual()) {
            actionId = action.path("id").asText();
        }
        JsonNode schemaId = body.get("schema_id");
        if (schemaId != null && !schemaId.isNull() && !schemaId.isTextual()) {
            throw new ServiceException(
                    Failure.BAD_REQUEST,
                    List.of(new ErrorDetail("INVALID_FIELD", "schema_id must be a string.", "$.schema_id")));
        }
        String schema = schemaId == null || schemaId.isNull() ? null : schemaId.asText();
        if (actionId != null && !ACTION_ID.matcher(actionId).matches()) {
            throw new ServiceException(
                    Failure.BAD_REQUEST,
                    List.of(new ErrorDetail(
                            "INVALID_FIELD",
                            "action must be an action id: 1 to 128 letters, digits and . _ : / - starting with a"
                                    + " letter or digit.",
                            "$.action")));
        }
        if (schema != null && !SCHEMA_ID.matcher(schema).matches()) {
            throw new ServiceException(
                    Failure.BAD_REQUEST,
                    List.of(new ErrorDetail("INVALID_FIELD", "schema_id must be a schema's UUID.", "$.schema_id")));
        }
        if (actionId == null && schema == null) {
            throw new ServiceException(
                    Failure.BAD_REQUEST,
                    List.of(new ErrorDetail(
                            "MISSING_FIELD",
                            "Name the schema to update with action (its action id) or schema_id.",
                            "$.action")));
        }
        return new PatchTarget(actionId, schema);
    }

    /**
     * A patch changes what it names and keeps the rest of the current version. It takes the action's
     * type as {@code action_type} or {@code action.type}; {@code action} (a string or {@code
     * action.id}) may only repeat the schema's action, which never changes.
     */
    public static SchemaDefinition forPatch(JsonNode body, AuditSchema current, JsonSchemas jsonSchemas) {
        List<ErrorDetail> problems = new ArrayList<>();
        checkTopLevel(body, PATCHABLE, problems);
        ActionType actionType = current.actionType();
        JsonNode action = body.get("action");
        JsonNode typeAlone = body.get("action_type");
        if (typeAlone != null && !typeAlone.isNull()) {
            ActionType type = actionType(typeAlone, false, problems, "$.action_type");
            if (type != null) {
                actionType = type;
            }
        }
        if (action != null && action.isTextual()) {
            if (!action.asText().equals(current.actionId())) {
                problems.add(new ErrorDetail(
                        "IMMUTABLE_FIELD",
                        "action names " + action.asText() + " but this schema governs " + current.actionId()
                                + "; an action id never changes.",
                        "$.action"));
            }
        } else if (action != null && !action.isNull()) {
            if (!action.isObject()) {
                problems.add(new ErrorDetail(
                        "INVALID_FIELD", "action must be the action id or an object with id and type.", "$.action"));
            } else {
                checkActionKeys(action, problems);
                String actionId = actionId(action.get("id"), false, problems);
                if (actionId != null && !actionId.equals(current.actionId())) {
                    problems.add(new ErrorDetail(
                            "IMMUTABLE_FIELD",
                            "action.id cannot change; create a schema for the new action instead.",
                            "$.action.id"));
                }
                ActionType type = actionType(action.get("type"), false, problems, "$.action.type");
                if (type != null && typeAlone != null && !typeAlone.isNull() && type != actionType) {
                    problems.add(new ErrorDetail(
                            "CONFLICTING_FIELDS", "action.type and action_type differ; send one.", "$.action_type"));
                } else if (type != null) {
                    actionType = type;
                }
            }
        }
        ValidationLevel level = validationLevel(body.get("validation_level"), problems);
        JsonNode data = body.has("data") ? data(body, jsonSchemas, problems) : current.data();
        throwIfAny(problems);
        return new SchemaDefinition(
                current.actionId(), actionType, level == null ? current.validationLevel() : level, data);
    }

    private static void checkTopLevel(JsonNode body, Set<String> definable, List<ErrorDetail> problems) {
        if (!body.isObject()) {
            throw ServiceException.badRequest("INVALID_BODY", "The body must be a JSON object.");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (EVENT_PROPERTIES.contains(name)) {
                problems.add(new ErrorDetail(
                        "PROPERTY_NOT_ALLOWED",
                        name + " cannot be defined by a schema: it is checked against built-in rules for every event.",
                        "$." + name));
            } else if (ASSIGNED.contains(name)) {
                problems.add(
                        new ErrorDetail("PROPERTY_NOT_ALLOWED", name + " is assigned by the server.", "$." + name));
            } else if (!definable.contains(name)) {
                problems.add(new ErrorDetail(
                        "UNKNOWN_PROPERTY",
                        "Unknown property " + name + "; this body takes "
                                + String.join(", ", new java.util.TreeSet<>(definable)) + ".",
                        "$." + name));
            }
        }
    }

    private static void checkActionKeys(JsonNode action, List<ErrorDetail> problems) {
        for (Iterator<String> names = action.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id") && !name.equals("type")) {
                problems.add(new ErrorDetail(
                        "UNKNOWN_PROPERTY",
                        "Unknown property action." + name + "; an action has id and type.",
                        "$.action." + name));
            }
        }
    }

    private static String actionId(JsonNode id, boolean required, List<ErrorDetail> problems) {
        if (id == null || id.isNull()) {
            if (required) {
                problems.add(new ErrorDetail(
                        "MISSING_FIELD", "action.id is required, e.g. \"assignment.submit\".", "$.action.id"));
            }
            return null;
        }
        if (!id.isTextual() || !ACTION_ID.matcher(id.asText()).matches()) {
            problems.add(new ErrorDetail(
                    "INVALID_FIELD",
                    "action.id must be a string of 1 to 128 letters, digits"
                            + " and . _ : / - starting with a letter or digit.",
                    "$.action.id"));
            return null;
        }
        return id.asText();
    }

    private static ActionType actionType(JsonNode type, boolean required, List<ErrorDetail> problems, String path) {
        String name = path.substring(2);
        if (type == null || type.isNull()) {
            if (required) {
                problems.add(new ErrorDetail(
                        "MISSING_FIELD", name + " is required: one of create, read, update, delete, other.", path));
            }
            return null;
        }
        ActionType parsed = type.isTextual() ? ActionType.parse(type.asText()) : null;
        if (parsed == null) {
            problems.add(new ErrorDetail(
                    "INVALID_FIELD", name + " must be one of create, read, update, delete, other.", path));
        }
        return parsed;
    }

    private static ValidationLevel validationLevel(JsonNode level, List<ErrorDetail> problems) {
        if (level == null || level.isNull()) {
            return null;
        }
        ValidationLevel parsed = level.isTextual() ? ValidationLevel.parse(level.asText()) : null;
        if (parsed == null) {
            problems.add(
                    new ErrorDetail("INVALID_FIELD", "validation_level must be strict or lax.", "$.validation_level"));
        }
        return parsed;
    }

    private static JsonNode data(JsonNode body, JsonSchemas jsonSchemas, List<ErrorDetail> problems) {
        JsonNode data = body.get("data");
        if (data == null || data.isNull()) {
            return null;
        }
        if (!data.isObject()) {
            problems.add(new ErrorDetail("INVALID_SCHEMA", "data must be a JSON Schema object.", "$.data"));
            return null;
        }
        if (Json.write(data).getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            throw new ServiceException(
                    Failure.PAYLOAD_TOO_LARGE, "SCHEMA_TOO_LARGE", "data is larger than " + MAX_DATA_BYTES + " bytes.");
        }
        problems.addAll(jsonSchemas.check(data));
        return data;
    }

    private static void throwIfAny(List<ErrorDetail> problems) {
        if (!problems.isEmpty()) {
            throw new ServiceException(Failure.BAD_REQUEST, problems);
        }
    }
}
