package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The schemas Edlink defines in advance for common actions, which every owner has from the start
 * without creating them. They live here, built once per container, not as items written per owner:
 * {@link SchemaStore} answers with them wherever the owner has stored nothing for the action, and
 * the first PATCH stores the catalogue's version beside the owner's new one, which from then on
 * governs the action for that owner alone. A POST for a predefined action is a 409, as it is for any
 * action that has a schema. Like Edlink's, they are lax, so they flag and never refuse.
 *
 * <p>Their ids are fixed (name-based UUIDs of the action), so they are the same for every owner and
 * across deployments, and version 1 is dated at the epoch: it predates every owner.
 */
public final class PredefinedSchemas {
    private static final Instant DEFINED = Instant.EPOCH;
    private static final Map<String, AuditSchema> BY_ACTION = new TreeMap<>();
    private static final Map<String, AuditSchema> BY_UUID = new HashMap<>();

    static {
        define("user.login", ActionType.CREATE, """
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "title": "user.login",
                 "description": "A user signed in to the application (a session was created).",
                 "type": "object"}""");
    }

    private PredefinedSchemas() {}

    private static void define(String actionId, ActionType type, String data) {
        JsonNode schema = Json.readStored(data);
        AuditSchema predefined = new AuditSchema(
                uuid("schema " + actionId),
                actionId,
                type,
                ValidationLevel.LAX,
                schema,
                uuid("version 1 " + actionId),
                1,
                DEFINED);
        BY_ACTION.put(actionId, predefined);
        BY_UUID.put(predefined.id(), predefined);
        BY_UUID.put(predefined.version(), predefined);
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(("eduledger predefined " + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    public static Optional<AuditSchema> forAction(String actionId) {
        return Optional.ofNullable(BY_ACTION.get(actionId));
    }

    /** The predefined schema whose schema id or version 1 UUID this is. */
    public static Optional<AuditSchema> byUuid(String uuid) {
        return Optional.ofNullable(BY_UUID.get(uuid.toLowerCase(Locale.ROOT)));
    }

    /** Every predefined schema, by action id. */
    public static Collection<AuditSchema> all() {
        return BY_ACTION.values();
    }
}
