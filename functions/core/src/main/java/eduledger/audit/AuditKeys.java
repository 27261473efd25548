package eduledger.audit;

import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import java.time.Duration;

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
 * expression. The lookup items of the whole list and of the event's action carry the event's body
 * too, so an unfiltered page, or one filtered by action, is its Queries alone; the others hold keys
 * only (an event has up to a few hundred of them, and can be 400 KB), and a page filtered otherwise
 * reads the bodies by key with BatchGetItem.
 *
 * <p>Shards. Event items are spread over {@link #AUDIT_SHARDS} partitions by a hash of the id; only
 * GetItem and BatchGetItem read them, so the spread costs reads nothing. A scope's lookup items follow
 * the scope's {@link ShardLayout} ({@link #LIST_LAYOUT}, one layout for all of the scope's lists, as
 * the whole list takes every event of the scope and is the busiest): one shard until its writes are
 * throttled, then 2, 4 and at most 8, and halved again once it has been quiet for an hour
 * ({@code ShardLayouts} stores, caches and changes it). A list page
 * queries only the shards of the epochs its id range overlaps, so a scope that never came near one
 * partition's 1,000 writes/s is read with one Query. Limits: at most 8 x 1,000 lookup writes/s per
 * list; a growth starts {@link #LIST_LAYOUT}'s lead (6 minutes) after the first throttled write that
 * asks for it, because a client may send ids up to {@link EventSubmission#MAX_CLOCK_SKEW} ahead and
 * no event may land in an epoch after it was written under the one before. Until then, throttled
 * writes are retried with backoff, and a request that runs out of its retry budget is a 503 the
 * client retries. From one shard to eight is three growths, each asked for once the one before has
 * begun: at least 3 x 6 minutes of throttling.
 */
public final class AuditKeys {
    private AuditKeys() {}

    /** Partitions event items are spread over (by a hash of the id, fixed: a fetch by id needs no lookup). */
    public static final int AUDIT_SHARDS = 8;

    /** The shard layouts of scopes' lists: see the class comment. */
    public static final ShardLayouts.Family LIST_LAYOUT = new ShardLayouts.Family(
            "audit", EventSubmission.MAX_CLOCK_SKEW.plus(Duration.ofMinutes(1)), 8, AuditKeys::shardOfLists);

    /** The shard an event's own item lives in: a stable hash, so a fetch by id needs no lookup. */
    public static int auditShard(String eventId) {
        return Math.floorMod(eventId.hashCode(), AUDIT_SHARDS);
    }

    public static String auditEvents(String applicationId, int shard) {
        return "AUDIT#" + applicationId + "#" + shard;
    }

    /** The tenant a scope's lists belong to, whose {@link ShardLayout} places their lookup items. */
    public static String listLayoutTenant(String integrationId, AuditScope scope) {
        return "AUDITSCOPE#" + integrationId + "#" + scope.type() + "#"
                + scope.id().length() + ":" + scope.id();
    }

    /** The {@link #listLayoutTenant} of a lookup partition key, or null for any other key. */
    public static String lookupLayoutTenant(String partitionKey) {
        if (partitionKey == null || !partitionKey.startsWith("AUDITSCOPE#")) {
            return null;
        }
        int ownerEnd = partitionKey.indexOf('#', "AUDITSCOPE#".length());
        int typeEnd = partitionKey.indexOf('#', ownerEnd + 1);
        int colon = partitionKey.indexOf(':', typeEnd);
        int idLength = Integer.parseInt(partitionKey.substring(typeEnd + 1, colon));
        return partitionKey.substring(0, colon + 1 + idLength);
    }

    /**
     * A lookup partition of one scope's list; {@code dimension} is "" for the whole list. Scope ids
     * and filter values may hold {@code #}, so each part is length-prefixed and no two lists share a key.
     */
    public static String auditLookup(String applicationId, AuditScope scope, int shard, String dimension) {
        return auditLookupPrefix(applicationId, scope, shard).concat(dimension);
    }

    /**
     * What every lookup partition of one shard of a scope's lists starts with: {@link #auditLookup}
     * is it followed by the dimension. An event's lookup items all share it, so it is built once.
     */
    static String auditLookupPrefix(String applicationId, AuditScope scope, int shard) {
        return shardOfLists(listLayoutTenant(applicationId, scope), shard);
    }

    /**
     * {@link #auditLookupPrefix} from the scope's {@link #listLayoutTenant}: followed by the
     * dimension "", the whole list's partition, which every event of the scope is in.
     */
    static String shardOfLists(String listLayoutTenant, int shard) {
        return listLayoutTenant + "#" + shard + "#";
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
