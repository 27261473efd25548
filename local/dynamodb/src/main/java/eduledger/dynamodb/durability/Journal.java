package eduledger.dynamodb.durability;

import java.util.function.Consumer;

/**
 * Where the engine makes its state durable: an ordered log of opaque records (the engine decides what
 * a record says; the journal only keeps bytes), compacted now and then into a snapshot.
 *
 * <p>Contract: {@link #append} returns only once the record would survive the process being killed
 * (for a file journal, after fsync; concurrent appends may share one fsync). Records are replayed in
 * the order their appends returned. A record torn by a crash mid-append is dropped on replay, never
 * half-applied.
 */
public interface Journal extends AutoCloseable {

    /** Appends one record, durably. */
    void append(byte[] record);

    /**
     * Hands every record of the last snapshot, then every record appended after it, in order, to
     * {@code records}. Called once, before the first append.
     */
    void replay(Consumer<byte[]> records);

    /**
     * Replaces everything kept so far with {@code state}: records which, replayed alone, rebuild
     * the engine's present state. The engine calls it with writes paused, so no append races it.
     */
    void snapshot(Iterable<byte[]> state);

    /** Bytes appended since the last snapshot, so the engine can decide when to compact. */
    long bytesSinceSnapshot();

    @Override
    void close();

    /** The journal of an in-memory engine: keeps nothing. */
    Journal NONE = new Journal() {
        public void append(byte[] record) {}

        public void replay(Consumer<byte[]> records) {}

        public void snapshot(Iterable<byte[]> state) {}

        public long bytesSinceSnapshot() {
            return 0;
        }

        public void close() {}
    };
}
