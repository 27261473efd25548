package eduledger.schemas;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest schema of each action, as ingestion validates against it, remembered per container for
 * at most {@link #FRESHNESS}: reading it from the store on every request would cost a single event
 * one GetItem beside its one write. A new schema or version therefore governs every event accepted
 * from {@code FRESHNESS} after it was stored on, and may govern them sooner. Each event still names
 * the version that validated it, since that is the version this returns.
 *
 * <p>The age is counted from before the read, so an answer is never kept longer than the bound
 * after the store gave it. An action without a schema is remembered too: absence is an answer.
 */
public final class NewestSchemas {
    /** How long after a schema version is stored it may still be the newest for ingestion. */
    public static final Duration FRESHNESS = Duration.ofSeconds(1);

    /** A container serves few owners; past this many entries the expired ones go, or else all do. */
    static final int MAX_ENTRIES = 10_000;

    /** Equality written out, as a record's own is bootstrapped through method handles on first use. */
    private record Key(String ownerId, String actionId) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key that
                    && Objects.equals(ownerId, that.ownerId)
                    && Objects.equals(actionId, that.actionId);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(ownerId) + Objects.hashCode(actionId);
        }
    }

    private record Entry(Optional<AuditSchema> schema, Instant readAt) {}

    private final SchemaStore store;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    public NewestSchemas(SchemaStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The newest schema of {@code actionId} of {@code ownerId}, read at most {@link #FRESHNESS} ago. */
    public Optional<AuditSchema> newest(String ownerId, String actionId) {
        Key key = new Key(ownerId, actionId);
        Instant now = clock.instant();
        Entry known = entries.get(key);
        if (known != null && fresh(known, now)) {
            return known.schema();
        }
        Optional<AuditSchema> schema = store.newest(ownerId, actionId, false);
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(entry -> !fresh(entry, now));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, new Entry(schema, now));
        return schema;
    }

    private static boolean fresh(Entry entry, Instant now) {
        return now.isBefore(entry.readAt().plus(FRESHNESS)) && !now.isBefore(entry.readAt());
    }
}
