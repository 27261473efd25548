package eduledger.schemas;

import eduledger.storage.Keys;

/**
 * Audit schemas, their versions and aliases, in the control table. The design, and the access
 * patterns these keys serve, are in {@code docs/data-model.md}.
 *
 * <p>Schemas belong to an application, so one schema governs the events of all its integrations:
 * every key holds the application id, or, for an integration that belongs to no application (its
 * own implicit application), the integration id.
 */
public final class SchemaKeys {
    private SchemaKeys() {}

    public static String schemas(String applicationId) {
        return "SCHEMAS#" + applicationId;
    }

    public static String schemaVersions(String applicationId, String actionId) {
        return "SCHEMA#" + applicationId + "#" + actionId;
    }

    public static String schemaVersion(long versionNumber) {
        return "V#" + Keys.zeroPadded(versionNumber, 10);
    }

    public static String schemaIdAlias(String applicationId, String schemaId) {
        return "SCHEMAID#" + applicationId + "#" + schemaId;
    }

    public static final String SCHEMA_ID_SK = "SCHEMAID";

    public static String schemaVersionAlias(String applicationId, String versionId) {
        return "SCHEMAVERSION#" + applicationId + "#" + versionId;
    }

    public static final String SCHEMA_VERSION_SK = "SCHEMAVERSION";
}
