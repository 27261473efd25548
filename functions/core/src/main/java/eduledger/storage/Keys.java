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
 *
 * <p>Every key embeds the integration id taken from the caller's token, so no id a caller sends can
 * reach another integration's items.
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
}
