package eduledger.storage;

/**
 * The DynamoDB key design, in one place. Every item in every table has a string partition key
 * {@code pk} and sort key {@code sk}; the builders below are the only code that writes them.
 *
 * <h2>Control table ({@code CONTROL_TABLE}): integrations, tokens, audit schemas</h2>
 * <pre>
 * item                 pk                                     sk
 * integration          INTEGRATION#{integrationId}            INTEGRATION
 * token                TOKEN#{sha256(token)}                  TOKEN
 * schema (newest)      SCHEMAS#{integrationId}                {actionId}
 * schema version       SCHEMA#{integrationId}#{actionId}      V#{versionNumber, 10 digits}
 * schema id alias      SCHEMAID#{integrationId}#{schemaId}    SCHEMAID
 * version id alias     SCHEMAVERSION#{integrationId}#{version} SCHEMAVERSION
 * </pre>
 * <ul>
 *   <li>A token is found by the hash of what the caller sends, so the clear token is never stored.</li>
 *   <li>{@code SCHEMAS#} holds one item per action: listing an integration's schemas is one Query,
 *       ordered by action id, and "the newest version of an action" is one GetItem.</li>
 *   <li>The aliases let a schema be named by its id and a version by its UUID, at one GetItem each.</li>
 *   <li>A create writes the newest item, the aliases and version 1 in one transaction conditioned on
 *       the newest item not existing, so two concurrent creates of one action cannot both succeed.
 *       A patch writes version n+1 conditioned on the newest item still being at n (optimistic
 *       locking), so concurrent patches get consecutive version numbers and none is lost.</li>
 *   <li>Limits: schema writes are rare (admin actions), so the one {@code SCHEMAS#} partition per
 *       integration is far from DynamoDB's 1,000 writes/s per partition key.</li>
 * </ul>
 * <p>Every key embeds the integration id taken from the caller's token, so no id a caller sends can
 * reach another integration's items.
 *
 * <h2>Control table: the integrations listing</h2>
 * <pre>
 * item                 pk                                     sk
 * listed integration   INTEGRATIONS                           {integrationId}
 * </pre>
 * <ul>
 *   <li>A copy of each integration's name and sharing, written in the same transaction as the
 *       integration item. The change stream fans every roster change out over it with one Query
 *       per batch, never a Scan. Limits: one partition, read once per stream batch (3,000 reads/s
 *       per partition is far above the number of concurrent stream batches); thousands of
 *       integrations page through it at 1 MB per Query call.</li>
 * </ul>
 *
 * <h2>Roster table ({@code ROSTER_TABLE}): the platform roster</h2>
 * <pre>
 * item / index          pk (hash)                              sk (range)
 * object                OBJECT#{collection}#{id}               OBJECT
 * ByOrganization (GSI)  tree_pk: TREE#{rootOrgId}#{shard 00-15} tree_sk: {orgPath}|{collection}|{id}
 * Roots (GSI, sparse)   root_pk: ROOT                          pk
 * </pre>
 * <ul>
 *   <li>An object is found by what names it (collection and id): one GetItem, and writes spread over
 *       as many partitions as there are objects.</li>
 *   <li>{@code orgPath} is the chain of organization ids from the tree's root down to the object's
 *       organization, each followed by {@code /} ({@code district/school/}). Everything under an
 *       organization is one {@code begins_with(tree_sk, orgPath)} Query per shard of its root, so a
 *       sharing-rule change enumerates what it brings in or takes out without a Scan. Objects that
 *       name no organization sit under the root {@code ~}.</li>
 *   <li>{@code shard} = hash(collection, id) mod 16 spreads one district's writes over 16 index
 *       partitions: about 16,000 writes/s for one district before the index throttles, at the cost
 *       of 16 Queries per enumerated page.</li>
 *   <li>{@code Roots} lists the organizations without a parent (rarely written), so "the whole
 *       roster" (sharing switched between all and rules) is the Roots Query plus the trees under them.</li>
 *   <li>The path is computed when the object is written, from its parent's stored path. Write
 *       parents first (organizations, then terms, courses, classes, people, then enrollments); an
 *       object whose parent is not there yet is placed under the parent id it names, and a
 *       school moved to another district keeps the old placement for its children until they are
 *       written again.</li>
 * </ul>
 *
 * <h2>Events table ({@code EVENTS_TABLE}): graph events</h2>
 * <pre>
 * item / index          pk (hash)                                       sk (range)
 * graph event           GRAPH#{integrationId}#{shard 0-3}               {eventId}
 * ByType (GSI)          type_pk: GRAPHTYPE#{integrationId}#{type}#{shard} sk
 * delivery marker       GRAPHSEEN#{markerId}                            SEEN
 * </pre>
 * <ul>
 *   <li>Event ids are UUIDv7 (time-ordered), so the sort key is the feed order. {@code shard} is a
 *       hash of the event id mod 4: one busy integration's events spread over 4 partitions (about
 *       4,000 events/s per integration, 1,000 per partition), and a read merges the 4 ordered
 *       Queries by id (4 Queries per page). The shard count is fixed: changing it needs a copy of
 *       the feeds. A single event is one GetItem (its shard follows from its id).</li>
 *   <li>Filtering by type is a key condition on the sparse {@code ByType} index, never a
 *       FilterExpression, so a filtered page is as full as an unfiltered one.</li>
 *   <li>Retention: every event and marker has {@code expires_at}; TTL deletes late, so every read's
 *       key condition starts at {@code sk >= EventIds.lowerBound(now - retention)}.</li>
 *   <li>Delivery markers make the change stream idempotent: the marker id is
 *       {@code EventIds.derived(record time, stream record id + integration id)}, written with a
 *       {@code attribute_not_exists} condition in the same transaction as the event. A record
 *       delivered again finds its marker and writes nothing. Markers spread by their hash.</li>
 *   <li>Ordering: the event id is taken with {@code EventIds.next} when the write is attempted
 *       (never from the stream record), and the write's API call is bounded by
 *       {@code GraphFeed.WRITE_TIMEOUT}. Reads only return ids older than
 *       {@code now - GraphFeed.SETTLE} (write timeout plus clock-skew margin), so an event that is
 *       still in flight cannot appear behind a cursor a reader already holds: an app paging with
 *       {@code $after} never misses one. The cost is that an event becomes readable about two
 *       seconds after it was written.</li>
 * </ul>
 */
public final class Keys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** DynamoDB TTL attribute (epoch seconds) on every table that expires items. */
    public static final String EXPIRES_AT = "expires_at";

    private Keys() {
    }

    public static String integration(String integrationId) {
        return "INTEGRATION#" + integrationId;
    }

    public static final String INTEGRATION_SK = "INTEGRATION";

    public static String token(String tokenHash) {
        return "TOKEN#" + tokenHash;
    }

    public static final String TOKEN_SK = "TOKEN";

    public static String schemas(String integrationId) {
        return "SCHEMAS#" + integrationId;
    }

    public static String schemaVersions(String integrationId, String actionId) {
        return "SCHEMA#" + integrationId + "#" + actionId;
    }

    public static String schemaVersion(long versionNumber) {
        return String.format("V#%010d", versionNumber);
    }

    public static String schemaIdAlias(String integrationId, String schemaId) {
        return "SCHEMAID#" + integrationId + "#" + schemaId;
    }

    public static final String SCHEMA_ID_SK = "SCHEMAID";

    public static String schemaVersionAlias(String integrationId, String versionId) {
        return "SCHEMAVERSION#" + integrationId + "#" + versionId;
    }

    public static final String SCHEMA_VERSION_SK = "SCHEMAVERSION";

    public static final String INTEGRATIONS = "INTEGRATIONS";

    // Roster table

    public static final String OBJECT_SK = "OBJECT";
    public static final String TREE_PK = "tree_pk";
    public static final String TREE_SK = "tree_sk";
    public static final String ROOT_PK = "root_pk";
    public static final String ROOT = "ROOT";
    public static final String BY_ORGANIZATION_INDEX = "ByOrganization";
    public static final String ROOTS_INDEX = "Roots";
    public static final int ROSTER_TREE_SHARDS = 16;

    public static String rosterObject(String collection, String id) {
        return "OBJECT#" + collection + "#" + id;
    }

    public static boolean isRosterObject(String pk) {
        return pk != null && pk.startsWith("OBJECT#");
    }

    public static String rosterTree(String rootOrganizationId, int shard) {
        return String.format("TREE#%s#%02d", rootOrganizationId, shard);
    }

    public static int rosterTreeShard(String collection, String id) {
        return Math.floorMod((collection + "#" + id).hashCode(), ROSTER_TREE_SHARDS);
    }

    public static String rosterTreeSort(String organizationPath, String collection, String id) {
        return organizationPath + "|" + collection + "|" + id;
    }

    // Events table: graph events

    public static final String TYPE_PK = "type_pk";
    public static final String BY_TYPE_INDEX = "ByType";
    public static final int GRAPH_SHARDS = 4;
    public static final String SEEN_SK = "SEEN";

    public static int graphShard(String eventId) {
        return Math.floorMod(eventId.hashCode(), GRAPH_SHARDS);
    }

    public static String graphEvents(String integrationId, int shard) {
        return "GRAPH#" + integrationId + "#" + shard;
    }

    public static String graphEventsOfType(String integrationId, String type, int shard) {
        return "GRAPHTYPE#" + integrationId + "#" + type + "#" + shard;
    }

    public static String graphDeliveryMarker(String markerId) {
        return "GRAPHSEEN#" + markerId;
    }
}
