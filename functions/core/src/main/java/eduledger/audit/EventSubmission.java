package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ErrorDetail;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.schemas.SchemaDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One event as an integration sent it, in Edlink's v2 Event shape, checked against the built-in
 * rules that hold whatever the action's schema says (a schema governs {@code data} only). Breaking
 * any of them is a 400.
 *
 * <ul>
 *   <li>Properties: {@code action}, {@code actor}, {@code targets} and {@code scope} are required;
 *       {@code context}, {@code data} and {@code id} are optional; anything else is refused, and
 *       {@code created_date}, {@code schema}, {@code action_type} are assigned by the server.</li>
 *   <li>{@code action}: a string as schema action ids are (1–128 letters, digits, {@code . _ : / -}).</li>
 *   <li>{@code actor}: {@code {identifiers, type}} with type person, system or external.</li>
 *   <li>{@code targets}: an array of at most {@value #MAX_TARGETS} {@code {identifiers, type}}; type
 *       1–64 lower-case letters, digits, {@code _ . -} starting with a letter (e.g. person, class).</li>
 *   <li>{@code identifiers}: 1 to {@value #MAX_IDENTIFIERS} {@code {value, issuer}}, both strings of
 *       1–256 characters without control characters (numbers must be sent as strings, so "42" and 42
 *       never differ).</li>
 *   <li>{@code scope}: {@code {id, type}} with type integration or institution.</li>
 *   <li>{@code context}: {@code source, user_agent, http_method, path, ip} strings, {@code http_status}
 *       a whole number, {@code query} a string or an object; all optional, at most
 *       {@value #MAX_CONTEXT_BYTES} bytes of JSON together.</li>
 *   <li>{@code id}: a UUIDv7 the client chose (its time becomes {@code created_date}), inside the
 *       retention period and at most {@link #MAX_CLOCK_SKEW} ahead; resending it returns the first
 *       result.</li>
 * </ul>
 */
public record EventSubmission(
        JsonNode source,
        String clientId,
        String actionId,
        Party actor,
        List<Party> targets,
        AuditScope scope,
        JsonNode context,
        JsonNode data) {

    public static final int MAX_TARGETS = 10;
    public static final int MAX_IDENTIFIERS = 10;
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_CONTEXT_BYTES = 8 * 1024;
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Set<String> ACTOR_TYPES = Set.of("person", "system", "external");
    public static final Set<String> SCOPE_TYPES = Set.of(AuditScope.INTEGRATION, AuditScope.INSTITUTION);
    public static final Set<String> CONTEXT_TEXT = Set.of("source", "user_agent", "http_method", "path", "ip");

    private static final Set<String> ALLOWED = Set.of("id", "action", "actor", "targets", "scope", "context", "data");
    private static final Set<String> ASSIGNED = Set.of("created_date", "schema", "action_type", "validation");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
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
                        "Unknown property " + name
                                + "; an event has action, actor, targets, scope, context, data and id.",
                        at + "." + name));
            }
        }
        String clientId = clientId(event.get("id"), at + ".id", now, retention, problems);
        String actionId = null;
        JsonNode action = event.get("action");
        if (action == null || action.isNull()) {
            problems.add(problem("MISSING_FIELD", "action is required, e.g. \"assignment.submit\".", at + ".action"));
        } else if (!action.isTextual()
                || !SchemaDefinition.ACTION_ID.matcher(action.asText()).matches()) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "action must be a string of 1 to 128 letters, digits and . _ : / - starting with a letter or digit.",
                    at + ".action"));
        } else {
            actionId = action.asText();
        }
        Party actor = null;
        JsonNode actorJson = event.get("actor");
        if (actorJson == null || actorJson.isNull()) {
            problems.add(problem(
                    "MISSING_FIELD",
                    "actor is required: {\"identifiers\": [{\"value\": ..., \"issuer\": ...}], \"type\": ...}.",
                    at + ".actor"));
        } else {
            actor = party(actorJson, at + ".actor", true, problems);
        }
        List<Party> targets = targets(event.get("targets"), at + ".targets", problems);
        AuditScope scope = scope(event.get("scope"), at + ".scope", problems);
        JsonNode context = context(event.get("context"), at + ".context", problems);
        JsonNode data = event.get("data");
        if (problems.size() > before) {
            return null;
        }
        return new EventSubmission(event, clientId, actionId, actor, targets, scope, context, data);
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

    private static Party party(JsonNode json, String at, boolean actor, List<ErrorDetail> problems) {
        if (!json.isObject()) {
            problems.add(problem("INVALID_FIELD", "Must be an object {identifiers, type}.", at));
            return null;
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!name.equals("identifiers") && !name.equals("type")) {
                problems.add(
                        problem("UNKNOWN_PROPERTY", "Only identifiers and type are allowed here.", at + "." + name));
            }
        });
        List<Identifier> identifiers = identifiers(json.get("identifiers"), at + ".identifiers", problems);
        JsonNode type = json.get("type");
        String typeText = type != null && type.isTextual() ? type.asText() : null;
        if (actor && (typeText == null || !ACTOR_TYPES.contains(typeText))) {
            problems.add(problem("INVALID_FIELD", "actor.type must be one of person, system, external.", at + ".type"));
        } else if (!actor && (typeText == null || !TYPE.matcher(typeText).matches())) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "type is required: 1 to 64 lower-case letters, digits, _ . - starting with a letter, e.g. person.",
                    at + ".type"));
        }
        return new Party(identifiers, typeText);
    }

    private static List<Identifier> identifiers(JsonNode json, String at, List<ErrorDetail> problems) {
        List<Identifier> identifiers = new ArrayList<>();
        if (json == null || !json.isArray() || json.isEmpty() || json.size() > MAX_IDENTIFIERS) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "identifiers must be an array of 1 to " + MAX_IDENTIFIERS + " {value, issuer}.",
                    at));
            return identifiers;
        }
        Set<Identifier> seen = new HashSet<>();
        for (int i = 0; i < json.size(); i++) {
            JsonNode identifier = json.get(i);
            String path = at + "[" + i + "]";
            if (!identifier.isObject()) {
                problems.add(problem("INVALID_FIELD", "An identifier is an object {value, issuer}.", path));
                continue;
            }
            identifier.fieldNames().forEachRemaining(name -> {
                if (!name.equals("value") && !name.equals("issuer")) {
                    problems.add(
                            problem("UNKNOWN_PROPERTY", "An identifier has value and issuer only.", path + "." + name));
                }
            });
            String value = text(identifier.get("value"), path + ".value", problems);
            String issuer = text(identifier.get("issuer"), path + ".issuer", problems);
            if (value != null && issuer != null && !seen.add(new Identifier(value, issuer))) {
                problems.add(problem("DUPLICATE_IDENTIFIER", "This identifier is listed twice.", path));
            }
            identifiers.add(new Identifier(value, issuer));
        }
        return identifiers;
    }

    private static String text(JsonNode value, String at, List<ErrorDetail> problems) {
        if (value == null || value.isNull()) {
            problems.add(problem("MISSING_FIELD", at.substring(at.lastIndexOf('.') + 1) + " is required.", at));
            return null;
        }
        if (!value.isTextual()
                || value.asText().isEmpty()
                || value.asText().getBytes(StandardCharsets.UTF_8).length > MAX_ID_LENGTH
                || CONTROL.matcher(value.asText()).find()) {
            problems.add(problem(
                    "INVALID_FIELD",
                    "Must be a string of 1 to " + MAX_ID_LENGTH
                            + " bytes of UTF-8 without control characters (send numbers as strings).",
                    at));
            return null;
        }
        return value.asText();
    }

    private static List<Party> targets(JsonNode json, String at, List<ErrorDetail> problems) {
        List<Party> targets = new ArrayList<>();
        if (json == null || json.isNull()) {
            problems.add(problem("MISSING_FIELD", "targets is required: an array of {identifiers, type}.", at));
            return targets;
        }
        if (!json.isArray()) {
            problems.add(problem("INVALID_FIELD", "targets must be an array of {identifiers, type}.", at));
            return targets;
        }
        if (json.size() > MAX_TARGETS) {
            problems.add(problem("TOO_MANY_TARGETS", "An event has at most " + MAX_TARGETS + " targets.", at));
            return targets;
        }
        for (int i = 0; i < json.size(); i++) {
            targets.add(party(json.get(i), at + "[" + i + "]", false, problems));
        }
        return targets;
    }

    private static AuditScope scope(JsonNode json, String at, List<ErrorDetail> problems) {
        if (json == null || json.isNull()) {
            problems.add(problem(
                    "MISSING_FIELD",
                    "scope is required: {\"id\": ..., \"type\": \"integration\"|\"institution\"}.",
                    at));
            return null;
        }
        if (!json.isObject()) {
            problems.add(problem("INVALID_FIELD", "scope must be an object {id, type}.", at));
            return null;
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!name.equals("id") && !name.equals("type")) {
                problems.add(problem("UNKNOWN_PROPERTY", "scope has id and type only.", at + "." + name));
            }
        });
        String id = text(json.get("id"), at + ".id", problems);
        JsonNode type = json.get("type");
        if (type == null || !type.isTextual() || !SCOPE_TYPES.contains(type.asText())) {
            problems.add(problem("INVALID_FIELD", "scope.type must be integration or institution.", at + ".type"));
            return null;
        }
        return id == null ? null : new AuditScope(id, type.asText());
    }

    private static JsonNode context(JsonNode json, String at, List<ErrorDetail> problems) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isObject()) {
            problems.add(problem("INVALID_FIELD", "context must be a JSON object.", at));
            return null;
        }
        json.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            String path = at + "." + name;
            if (value.isNull()) {
                return;
            }
            if (CONTEXT_TEXT.contains(name)) {
                if (!value.isTextual()) {
                    problems.add(problem("INVALID_FIELD", "context." + name + " must be a string.", path));
                }
            } else if (name.equals("http_status")) {
                if (!value.canConvertToInt()
                        || !value.isIntegralNumber()
                        || value.asInt() < 100
                        || value.asInt() > 599) {
                    problems.add(problem(
                            "INVALID_FIELD", "context.http_status must be a whole number from 100 to 599.", path));
                }
            } else if (name.equals("query")) {
                if (!value.isTextual() && !value.isObject()) {
                    problems.add(problem("INVALID_FIELD", "context.query must be a string or an object.", path));
                }
            } else {
                problems.add(problem(
                        "UNKNOWN_PROPERTY",
                        "context has source, user_agent, http_method, http_status, path, ip and query.",
                        path));
            }
        });
        if (jsonBytesAtMost(json) > MAX_CONTEXT_BYTES
                && Json.write(json).getBytes(StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES) {
            problems.add(
                    problem("CONTEXT_TOO_LARGE", "context is at most " + MAX_CONTEXT_BYTES + " bytes of JSON.", at));
            return null;
        }
        return json;
    }

    /**
     * A bound on the bytes of UTF-8 {@code node} is written as, never below them: no character of
     * a string or name takes more than 6 (a control character's escape). A context is
     * nearly always far smaller than its limit, so this spares writing it out only to count it;
     * a value whose written length this does not bound (a fraction, a big integer) counts as
     * unbounded.
     */
    private static long jsonBytesAtMost(JsonNode node) {
        if (node.isObject()) {
            long bytes = 2;
            for (Iterator<java.util.Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> field = fields.next();
                bytes += 6L * field.getKey().length() + 4 + jsonBytesAtMost(field.getValue());
            }
            return bytes;
        }
        if (node.isArray()) {
            long bytes = 2;
            for (JsonNode item : node) {
                bytes += 1 + jsonBytesAtMost(item);
            }
            return bytes;
        }
        if (node.isTextual()) {
            return 2 + 6L * node.textValue().length();
        }
        if (node.isInt() || node.isLong()) {
            return 20;
        }
        if (node.isBoolean() || node.isNull()) {
            return 5;
        }
        return Integer.MAX_VALUE;
    }

    private static ErrorDetail problem(String code, String message, String path) {
        return new ErrorDetail(code, message, path);
    }
}
