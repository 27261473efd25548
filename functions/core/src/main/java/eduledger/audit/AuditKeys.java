package eduledger.audit;

/**
 * Audit events (events table); their idempotency records are {@code storage/IdempotencyRecords}. The design, and the access
 * patterns these keys serve, are in {@code docs/data-model.md}.
 *
 * <p>The audit log belongs to an application: every key holds the application id (the caller's
 * secret key names it), or, for an integration that belongs to no application (its own implicit
 * application), the integration id. Scopes (the application's integrations, institutions) are part
 * of the lookup keys, so one application's integrations share one log, and no id a caller sends
 * reaches another application's items.
 *
 * <p>An event is one item under {@code AUDIT#{applicationId}#{shard}} (sort key its id), which a
 * fetch by id reads, plus one key-only <em>lookup item</em> per list it belongs to, under
 * {@code AUDITSCOPE#{applicationId}#{scopeType}#{scopeId}#{shard}#{dimension}} (sort key the same
 * id). The dimension is empty for the scope's whole list, or one filter and its value: {@code
 * ACTION#assignment.submit}, {@code ACTOR.VALUE#...}, {@code ACTOR.ID#{issuer}#{value}} (value and
 * issuer together), {@code TARGET.TYPE#class}, {@code CONTEXT.ip#...} and so on. So a list with one
 * filter (or one identifier's value and issuer) and a date range is one Query per shard on one
 * partition, with the date range as the sort key condition: never a Scan, never a filter
 * expression. Lookup items hold no body (an event can be 400 KB and has up to a few hundred of
 * them); a page reads the bodies by key with BatchGetItem.
 */
public final class AuditKeys {
    private AuditKeys() {}

    /** Partitions each list is spread over; see the class comment before changing it. */
    public static final int AUDIT_SHARDS = 8;

    /** The shard an event id lives in: a stable hash, so a fetch by id needs no lookup. */
    public static int auditShard(String eventId) {
        return Math.floorMod(eventId.hashCode(), AUDIT_SHARDS);
    }

    public static String auditEvents(String applicationId, int shard) {
        return "AUDIT#" + applicationId + "#" + shard;
    }

    /**
     * A lookup partition of one scope's list; {@code dimension} is "" for the whole list. Scope ids
     * and filter values may hold {@code #}, so each part is length-prefixed and no two lists share a key.
     */
    public static String auditLookup(String applicationId, AuditScope scope, int shard, String dimension) {
        return "AUDITSCOPE#" + applicationId + "#" + scope.type() + "#"
                + scope.id().length() + ":" + scope.id() + "#" + shard + "#" + dimension;
    }

    /** A dimension of one filter and its value, e.g. {@code ACTION#11:user.login}. */
    public static String dimension(String filter, String value) {
        return filter + "#" + value.length() + ":" + value;
    }

    /** The dimension of one identifier (value and issuer together) of the actor or a target. */
    public static String identifierDimension(String party, String issuer, String value) {
        return party + ".ID#" + issuer.length() + ":" + issuer + "#" + value.length() + ":" + value;
    }
}
