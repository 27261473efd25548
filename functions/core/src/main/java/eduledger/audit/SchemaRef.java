package eduledger.audit;

import eduledger.schemas.AuditSchema;

/** The schema version an event was checked against, named on the stored event. */
public record SchemaRef(String id, String version, long versionNumber) {

    public static SchemaRef of(AuditSchema schema) {
        return new SchemaRef(schema.id(), schema.version(), schema.versionNumber());
    }
}
