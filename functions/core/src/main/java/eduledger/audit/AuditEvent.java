package eduledger.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.schemas.ValidationLevel;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    /** The event's JSON as a tree, for a reader that adds to it (an enriched rendering). */
    public ObjectNode toJson() {
        return (ObjectNode) Json.readStored(json());
    }

    /** The event's JSON as it is stored and answered: written straight from the event, without a tree. */
    public String json() {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = Json.sequence(out)) {
            write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private void write(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", id);
        json.writeStringField("created_date", Json.timestamp(createdDate));
        json.writeStringField("action", actionId);
        json.writeStringField("action_type", actionType);
        json.writeFieldName("actor");
        write(actor, json);
        json.writeArrayFieldStart("targets");
        for (Party target : targets) {
            write(target, json);
        }
        json.writeEndArray();
        json.writeObjectFieldStart("scope");
        json.writeStringField("id", scope.id());
        json.writeStringField("type", scope.type());
        json.writeEndObject();
        writeIfPresent(json, "context", context);
        writeIfPresent(json, "data", data);
        if (schema == null) {
            json.writeNullField("schema");
        } else {
            json.writeObjectFieldStart("schema");
            json.writeStringField("id", schema.id());
            json.writeStringField("version", schema.version());
            json.writeNumberField("version_number", schema.versionNumber());
            json.writeEndObject();
        }
        json.writeObjectFieldStart("validation");
        json.writeStringField("level", validation.level().id());
        if (validation.conforms() == null) {
            json.writeNullField("conforms");
        } else {
            json.writeBooleanField("conforms", validation.conforms());
        }
        json.writeArrayFieldStart("violations");
        for (ErrorDetail violation : validation.violations()) {
            json.writeStartObject();
            json.writeStringField("code", violation.code());
            json.writeStringField("message", violation.message());
            if (violation.path() != null) {
                json.writeStringField("path", violation.path());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void write(Party party, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("identifiers");
        for (Identifier identifier : party.identifiers()) {
            json.writeStartObject();
            json.writeStringField("value", identifier.value());
            json.writeStringField("issuer", identifier.issuer());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("type", party.type());
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, String name, JsonNode value) throws IOException {
        if (value != null && !value.isMissingNode()) {
            json.writeFieldName(name);
            Json.write(value, json);
        }
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
}
