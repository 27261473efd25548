package eduledger.audit;

/**
 * Idempotency records (control table) and audit events with their indexes (events table). The
 * design, and the access patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class AuditKeys {
    private AuditKeys() {}

    /** Partitions one integration's audit events are spread over; see the class comment before changing it. */
    public static final int AUDIT_SHARDS = 8;

    public static final String IDEMPOTENCY_SK = "IDEMPOTENCY";

    public static final String AUDIT_BY_ACTION = "audit_by_action";

    public static final String AUDIT_BY_ACTOR = "audit_by_actor";

    public static final String AUDIT_BY_CONFORMS = "audit_by_conforms";

    public static final String AUDIT_ACTION_PK = "audit_action_pk";

    public static final String AUDIT_ACTOR_PK = "audit_actor_pk";

    public static final String AUDIT_CONFORMS_PK = "audit_conforms_pk";

    public static String idempotency(String integrationId, String keyHash) {
        return "IDEMPOTENCY#" + integrationId + "#" + keyHash;
    }

    /** The shard an event id lives in: a stable hash, so a fetch by id needs no lookup. */
    public static int auditShard(String eventId) {
        return Math.floorMod(eventId.hashCode(), AUDIT_SHARDS);
    }

    public static String auditEvents(String integrationId, int shard) {
        return "AUDIT#" + integrationId + "#" + shard;
    }

    public static String auditByAction(String integrationId, int shard, String actionId) {
        return auditEvents(integrationId, shard) + "#ACTION#" + actionId;
    }

    public static String auditByActor(String integrationId, int shard, String actorId) {
        return auditEvents(integrationId, shard) + "#ACTOR#" + actorId;
    }

    public static String auditByConforms(String integrationId, int shard, boolean conforms) {
        return auditEvents(integrationId, shard) + "#CONFORMS#" + conforms;
    }

    public static String auditByTarget(String integrationId, int shard, String targetId) {
        return "AUDITTARGET#" + integrationId + "#" + shard + "#" + targetId;
    }
}
