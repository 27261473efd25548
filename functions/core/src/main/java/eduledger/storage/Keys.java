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
 * <h2>Control table: idempotency records</h2>
 * <pre>
 * item                 pk                                     sk
 * idempotency record   IDEMPOTENCY#{integrationId}#{sha256(key)} IDEMPOTENCY
 * </pre>
 * <ul>
 *   <li>Written with {@code attribute_not_exists(pk)} (or over an expired record) by the first request
 *       carrying the key; it fixes the time every event id of that request is derived from, so any
 *       number of concurrent retries compute the same ids and the same items. The first request to
 *       finish records the outcome (conditioned on it still being pending); every other one returns
 *       that outcome. {@code expires_at} = the retention, like the events it describes.</li>
 * </ul>
 *
 * <h2>Events table ({@code EVENTS_TABLE}): audit events</h2>
 * <pre>
 * item                 pk                                         sk         GSI keys
 * audit event          AUDIT#{integrationId}#{shard}              {eventId}  audit_action_pk, audit_actor_pk,
 *                                                                             audit_conforms_pk (when validated)
 * target copy          AUDITTARGET#{integrationId}#{shard}#{targetId} {eventId} none
 *
 * GSI                  partition key                                        sort key
 * audit_by_action      audit_action_pk   = AUDIT#{integrationId}#{shard}#ACTION#{actionId}   sk
 * audit_by_actor       audit_actor_pk    = AUDIT#{integrationId}#{shard}#ACTOR#{actorId}     sk
 * audit_by_conforms    audit_conforms_pk = AUDIT#{integrationId}#{shard}#CONFORMS#{true|false} sk
 * </pre>
 * <ul>
 *   <li>The sort key is the event id, a UUIDv7 from {@code EventIds}: time-ordered, so "oldest first",
 *       a date range and the retention cut-off ({@code sk >= EventIds.lowerBound(now - retention)}) are
 *       all key conditions. Expired items are never read even before TTL deletes them.</li>
 *   <li>Writes of one integration are spread over {@link #AUDIT_SHARDS} partitions, the shard being a
 *       hash of the event id: a fetch by id is one GetItem, and one integration can write about
 *       {@code AUDIT_SHARDS} x 1,000 events/s before a partition throttles. Each GSI key carries the
 *       same shard, so one busy action, actor or conformance value is spread alike.</li>
 *   <li>A list page is one Query per shard, the shards queried at once, merged by event id
 *       ({@link ShardedPages}, which the graph feed's pages use too). As ids
 *       hash evenly, each shard first gets a share of the page with room to spare (twice its even
 *       share plus 4, plus one to know whether it has more); only when a shard ran short before the
 *       merged items fill the page is that shard read on to page size + 1, a second round trip that
 *       even spreads almost never need. A page of 100 so reads about {@code AUDIT_SHARDS} x 31
 *       items, not {@code AUDIT_SHARDS} x 101; Queries follow the 1 MB response limit when items
 *       are large. Every filter is the partition key of the index made for it, and
 *       the date range is the sort key condition; one attribute filter (action, actor id, target id
 *       or conforms) at a time, combined with any date range. No FilterExpression, no Scan.</li>
 *   <li>An event has several targets, but a GSI key has one value per item, so each target gets a
 *       copy of the event under its own partition key (at most {@code MAX_TARGETS} per event). Copies
 *       carry no GSI keys, so they never appear twice in the other lists.</li>
 *   <li>Limits: an item is at most 400 KB (bigger events are refused, 413); an event with t targets
 *       costs 1 + t item writes plus one per GSI it appears in. Changing {@code AUDIT_SHARDS} moves
 *       where an id lives: it needs reading both layouts until the retention has passed.</li>
 * </ul>
 * <h2>Events table ({@code EVENTS_TABLE}): course events</h2>
 * <pre>
 * item                    pk                                          sk
 * event, by course        COURSE_EVENTS#{integrationId}#{courseId}    {eventId}
 * event, by account       ACCOUNT_COURSE_EVENTS#{integrationId}#{accountId}  {eventId}
 * course directory        AUDIT_COURSE#{integrationId}#{courseId}     COURSE
 * account directory       AUDIT_ACCOUNT#{integrationId}#{accountId}   ACCOUNT
 * </pre>
 * <ul>
 *   <li>The sort key is the event id, a UUIDv7: sorted as a string it is time order, so "newest
 *       first" is a descending Query and a {@code start_time}/{@code end_time} range, the retention
 *       cut-off and the page anchor all become one {@code sk BETWEEN :low AND :high} key condition
 *       ({@code EventIds.lowerBound} turns a time into a bound). Expired items are outside that range
 *       before TTL removes them, and no page depends on a FilterExpression.</li>
 *   <li>Each event is written once per partition it is read from: its course's, and that of every
 *       account on the course's account chain (its account, then each parent up to the root), so the
 *       account route, sub-accounts included, is one Query of one partition. The chain is resolved
 *       when the event is written, from the account directory (see below); an account moved under
 *       another parent later does not move the events already written.</li>
 *   <li>Writes are {@code PutItem} conditioned on {@code attribute_not_exists(pk)}, with ids derived
 *       from the stream record id, integration and event type: a redelivered record writes nothing
 *       new, and a retry after a partial failure fills in only the partitions that were missed.</li>
 *   <li>The course directory holds the latest course object and its account chain, per integration
 *       the course is visible to: {@code linked.courses} (one BatchGetItem per page), the source
 *       course's chain for {@code copied_to}/{@code reset_to}, and the 404 for a course the caller has
 *       never seen. The account directory holds an account's parent (from organization changes) and
 *       marks accounts known through their courses, for the same 404.</li>
 *   <li>Every item embeds the integration id, which the write path takes from the change's
 *       visibility and the read path from the caller's token.</li>
 *   <li>Limits. Fan-out: an event costs one write per account level plus one (a three-level tree: four
 *       writes, each under 1 KB for lifecycle events). Hot partitions: a root account's partition takes
 *       every course event of the integration, so one integration's course events are capped near
 *       DynamoDB's 1,000 writes/s per partition key; course changes are rare next to that (an SIS
 *       import that touches 10,000 courses spreads over many seconds through the stream, whose
 *       retries absorb throttling). Ids increase with time, so DynamoDB cannot split a hot account
 *       partition by sort key; sharding the account key by time bucket is the way out if that limit
 *       is reached. An account chain is at most {@code MAX_ACCOUNT_DEPTH} levels deep.</li>
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
 * delivery marker       GRAPHSEEN#{markerId}                            SEEN       (written: string set)
 * </pre>
 * <ul>
 *   <li>Event ids are UUIDv7 (time-ordered), so the sort key is the feed order. {@code shard} is a
 *       hash of the event id mod 4: one busy integration's events spread over 4 partitions (about
 *       4,000 events/s per integration, 1,000 per partition). A page is read as audit event pages
 *       are ({@link ShardedPages}): the 4 Queries at once, each first for its share of the page
 *       with room to spare (a page of 100 reads about 4 x 55 items), read on only where a shard ran
 *       short, merged by id. The shard count is fixed: changing it needs a copy of the feeds. A
 *       single event is one GetItem (its shard follows from its id).</li>
 *   <li>Filtering by type is a key condition on the sparse {@code ByType} index, never a
 *       FilterExpression, so a filtered page is as full as an unfiltered one.</li>
 *   <li>Retention: every event and marker has {@code expires_at}; TTL deletes late, so every read's
 *       key condition starts at {@code sk >= EventIds.lowerBound(now - retention)}.</li>
 *   <li>Delivery markers make the change stream idempotent: each source of events has one marker,
 *       whose id is {@code EventIds.derived(record time, stream record id)} for a stream record (one
 *       per {@code (integration, object, sharing version)} for a sharing change), and whose string set
 *       {@code written} lists the integrations the source's events were written for. A transaction
 *       carrying some of a source's events adds their integrations with {@code ADD written}, on the
 *       condition that none of them is listed yet. A record delivered again finds its integrations
 *       listed and writes nothing; one delivered again after part of its events were written (a
 *       transaction failed, the audience changed) writes exactly the missing ones, because the check
 *       is per integration. Markers spread by their hash.</li>
 *   <li>Batched writes: a source's events and its marker update go in one transaction, several
 *       sources to a transaction, up to DynamoDB's 100 actions and about 3 MB of its 4 MB (a stream
 *       record seen by 10 integrations is 11 actions, so 9 records fill one). A transaction may name
 *       an item once, so it holds at most one part of a source; a source too large for one
 *       transaction is written in parts, one after another, since two transactions naming the same
 *       marker at once conflict. A cancelled transaction names its reasons per action: a marker
 *       that failed its condition is read (consistently), the events of the integrations it lists
 *       are duplicates and are dropped, and the others are sent again in a new transaction;
 *       conflicts, throttling and timeouts are retried three times, then the records involved fail
 *       and the stream delivers them again. Cost: one item write per event plus its type index
 *       entry, one per source for its marker, and a transaction costs twice the write units of
 *       plain writes.</li>
 *   <li>Ordering: the event id is taken with {@code EventIds.next} when the write is attempted
 *       (never from the stream record): a transaction takes the ids of all its events right before
 *       it is sent, and every retry takes new ones. Its API call is bounded by
 *       {@code GraphFeed.WRITE_TIMEOUT}. Reads only return ids older than
 *       {@code now - GraphFeed.SETTLE} (write timeout plus clock-skew margin), so an event that is
 *       still in flight cannot appear behind a cursor a reader already holds: an app paging with
 *       {@code $after} never misses one. The cost is that an event becomes readable about two
 *       seconds after it was written.</li>
 *   <li>Per-object order: a stream batch is written in rounds, each holding at most one change of
 *       an object (its first changes, then the second changes of objects changed twice, ...); the
 *       transactions of a round are sent at once, a round starts when the one before it ended.
 *       So one object's events follow its changes, while events of different objects changed in
 *       one batch may be listed in another order than their changes.</li>
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

    /** The deepest account chain followed; deeper trees (or a cycle) stop there. */
    public static final int MAX_ACCOUNT_DEPTH = 16;

    public static String courseEvents(String integrationId, String courseId) {
        return "COURSE_EVENTS#" + integrationId + "#" + courseId;
    }

    public static String accountCourseEvents(String integrationId, String accountId) {
        return "ACCOUNT_COURSE_EVENTS#" + integrationId + "#" + accountId;
    }

    /** The sort key of a course event: its id, so key order is time order. */
    public static String courseEventSk(String eventId) {
        return eventId;
    }

    public static String auditCourse(String integrationId, String courseId) {
        return "AUDIT_COURSE#" + integrationId + "#" + courseId;
    }

    public static final String AUDIT_COURSE_SK = "COURSE";

    public static String auditAccount(String integrationId, String accountId) {
        return "AUDIT_ACCOUNT#" + integrationId + "#" + accountId;
    }

    public static final String AUDIT_ACCOUNT_SK = "ACCOUNT";
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
