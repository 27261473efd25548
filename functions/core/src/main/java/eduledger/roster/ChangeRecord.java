package eduledger.roster;

/**
 * One record of a batch from the roster table's stream, as delivered. It is read on demand, so a
 * record that cannot be read fails alone instead of failing its batch.
 */
public interface ChangeRecord {
    String id();

    /** Where the stream resumes when this record is the first to fail. */
    String sequenceNumber();

    /** @throws RuntimeException when the record is not a roster change this service can read */
    StreamedChange read();
}
