package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.schemas.ValidationLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit event as stored and listed, in Edlink's v2 Event shape. {@code id} is a UUIDv7 (its time
 * is {@code createdDate}). {@code schema} is null when the action had no schema, and then
 * {@code actionType} is {@code other}.
 */
public record AuditEvent(
        String id,
        Instant createdDate,
        String actionId,
        String actionType,
        Party actor,
        List<Party> targets,
        AuditScope scope,
        JsonNode context,
        JsonNode data,
        SchemaRef schema,
        Validation validation) {
    public AuditEvent {
        targets = List.copyOf(targets);
    }

    public AuditEvent withId(String newId, Instant newCreatedDate) {
        return new AuditEvent(
                newId, newCreatedDate, actionId, actionType, actor, targets, scope, context, data, schema, validation);
    }

    /** What the response says besides the event: no schema to check against, or the lax violations. */
    public List<ErrorDetail> warnings() {
        List<ErrorDetail> warnings = new ArrayList<>();
        if (schema == null) {
            warnings.add(ErrorDetail.of(
                    "NO_SCHEMA",
                    "Action " + actionId
                            + " has no schema, so data was not validated; the event was accepted as lax."));
        } else if (Boolean.FALSE.equals(validation.conforms())) {
            warnings.add(ErrorDetail.of(
                    "NON_CONFORMING",
                    "Stored and flagged non-conforming: data violates version "
                            + schema.versionNumber() + " (" + schema.version() + ") of the lax schema for " + actionId
                            + " in " + validation.violations().size() + " place(s)."));
            warnings.addAll(validation.violations());
        }
        return warnings;
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("created_date", Json.timestamp(createdDate));
        json.put("action", actionId);
        json.put("action_type", actionType);
        json.set("actor", actor.toJson());
        ArrayNode targetArray = json.putArray("targets");
        targets.forEach(target -> targetArray.add(target.toJson()));
        json.set("scope", scope.toJson());
        putIfPresent(json, "context", context);
        putIfPresent(json, "data", data);
        if (schema == null) {
            json.putNull("schema");
        } else {
            ObjectNode schemaJson = json.putObject("schema");
            schemaJson.put("id", schema.id());
            schemaJson.put("version", schema.version());
            schemaJson.put("version_number", schema.versionNumber());
        }
        ObjectNode validationJson = json.putObject("validation");
        validationJson.put("level", validation.level().id());
        if (validation.conforms() == null) {
            validationJson.putNull("conforms");
        } else {
            validationJson.put("conforms", validation.conforms());
        }
        validationJson.set("violations", ErrorDetail.toJson(validation.violations()));
        return json;
    }

    /** Reads back what {@link #toJson} wrote; only ever applied to stored events. */
    public static AuditEvent fromJson(JsonNode json) {
        List<Party> targets = new ArrayList<>();
        json.path("targets").forEach(target -> targets.add(Party.fromJson(target)));
        JsonNode schemaJson = json.path("schema");
        SchemaRef schema = schemaJson.isObject()
                ? new SchemaRef(
                        schemaJson.path("id").asText(),
                        schemaJson.path("version").asText(),
                        schemaJson.path("version_number").asLong())
                : null;
        JsonNode validationJson = json.path("validation");
        List<ErrorDetail> violations = ErrorDetail.fromJson(validationJson.path("violations"));
        JsonNode conforms = validationJson.path("conforms");
        Validation validation = new Validation(
                ValidationLevel.parse(validationJson.path("level").asText()),
                conforms.isBoolean() ? conforms.asBoolean() : null,
                violations);
        return new AuditEvent(
                json.path("id").asText(),
                Instant.parse(json.path("created_date").asText()),
                json.path("action").asText(),
                json.path("action_type").asText(),
                Party.fromJson(json.path("actor")),
                targets,
                AuditScope.fromJson(json.path("scope")),
                json.get("context"),
                json.get("data"),
                schema,
                validation);
    }

    private static void putIfPresent(ObjectNode json, String name, JsonNode value) {
        if (value != null && !value.isMissingNode()) {
            json.set(name, value);
        }
    }
}
