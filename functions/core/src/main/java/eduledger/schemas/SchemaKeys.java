package eduledger.schemas;

/**
 * Audit schemas, their versions and aliases, in the control table. The design, and the access
 * patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class SchemaKeys {
    private SchemaKeys() {}

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
