package eduledger.integrations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Integrations as the audit routes read them (which application owns one, what it may see),
 * remembered per container for at most {@link #FRESHNESS}: reading the record on every request
 * would cost a single audit event one GetItem beside its one write. An attachment to an
 * application or a sharing change therefore reaches the audit routes' checks within {@code
 * FRESHNESS}, as a new schema version reaches validation.
 *
 * <p>The age is counted from before the read. An integration that does not exist is not
 * remembered, so one created a moment later is found at once.
 */
public final class RecentIntegrations {
    public static final Duration FRESHNESS = Duration.ofSeconds(1);

    /** A container serves few integrations; past this many entries the expired ones go, or else all do. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Integration integration, Instant readAt) {}

    private final IntegrationStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    public RecentIntegrations(IntegrationStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The integration {@code id}, read at most {@link #FRESHNESS} ago. */
    public Optional<Integration> find(String id) {
        Instant now = clock.instant();
        Entry known = entries.get(id);
        if (known != null && now.isBefore(known.readAt().plus(FRESHNESS)) && !now.isBefore(known.readAt())) {
            return Optional.of(known.integration());
        }
        Optional<Integration> integration = store.find(id);
        if (integration.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.values().removeIf(entry -> !now.isBefore(entry.readAt().plus(FRESHNESS)));
                if (entries.size() >= MAX_ENTRIES) {
                    entries.clear();
                }
            }
            entries.put(id, new Entry(integration.get(), now));
        }
        return integration;
    }
}
