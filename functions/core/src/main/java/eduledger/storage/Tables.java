package eduledger.storage;

/** The physical table names, from the environment variables {@code template.yaml} sets. */
public record Tables(String control, String roster, String events) {}
