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
}
