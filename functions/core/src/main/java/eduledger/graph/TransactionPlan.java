package eduledger.graph;

import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How graph events are cut into DynamoDB transactions, decided before any is sent: by source (each
 * with its delivery marker), in waves so a source's later parts follow its earlier ones, packed up
 * to DynamoDB's limits. No store is involved, so the packing is tested on its own.
 */
public final class TransactionPlan {
    /** DynamoDB's limit of actions in one transaction: a source's marker update and its events count one each. */
    public static final int ACTIONS_PER_TRANSACTION = 100;
    /** What one transaction may carry by estimate; DynamoDB allows 4 MB. */
    static final long TRANSACTION_BYTES = 3_000_000;

    private TransactionPlan() {}

    /**
     * Some of one source's events, written in one transaction together with one update of the
     * source's delivery marker; a transaction holds at most one chunk per source, because it may
     * name an item only once.
     */
    record Chunk(String markerId, List<PendingGraphEvent> events, long bytes) {}

    /**
     * The events grouped by source, in order of first appearance, each source cut into chunks that
     * fit one transaction: the first wave holds every source's first chunk, the second the second
     * chunks of the sources that have one, and so on. An integration named twice for one source
     * is one event: the second is a duplicate.
     */
    static List<List<Chunk>> waves(List<PendingGraphEvent> events, List<PendingGraphEvent> duplicates) {
        Map<String, List<PendingGraphEvent>> bySource = new LinkedHashMap<>();
        Map<String, Set<String>> integrationsOfSource = new HashMap<>();
        for (PendingGraphEvent event : events) {
            if (integrationsOfSource
                    .computeIfAbsent(event.markerId(), id -> new HashSet<>())
                    .add(event.integrationId())) {
                bySource.computeIfAbsent(event.markerId(), id -> new ArrayList<>())
                        .add(event);
            } else {
                duplicates.add(event);
            }
        }
        List<List<Chunk>> waves = new ArrayList<>();
        for (Map.Entry<String, List<PendingGraphEvent>> source : bySource.entrySet()) {
            int wave = 0;
            List<PendingGraphEvent> current = new ArrayList<>();
            long bytes = markerBytes(source.getKey());
            for (PendingGraphEvent event : source.getValue()) {
                long size = approximateBytes(event);
                if (!current.isEmpty()
                        && (current.size() + 1 == ACTIONS_PER_TRANSACTION || bytes + size > TRANSACTION_BYTES)) {
                    addTo(waves, wave++, new Chunk(source.getKey(), current, bytes));
                    current = new ArrayList<>();
                    bytes = markerBytes(source.getKey());
                }
                current.add(event);
                bytes += size;
            }
            addTo(waves, wave, new Chunk(source.getKey(), current, bytes));
        }
        return waves;
    }

    private static void addTo(List<List<Chunk>> waves, int wave, Chunk chunk) {
        if (wave == waves.size()) {
            waves.add(new ArrayList<>());
        }
        waves.get(wave).add(chunk);
    }

    /** Consecutive runs of whole chunks (each a marker update and its events) that fit one transaction. */
    static List<List<Chunk>> pack(List<Chunk> chunks) {
        List<List<Chunk>> transactions = new ArrayList<>();
        List<Chunk> current = new ArrayList<>();
        int actions = 0;
        long bytes = 0;
        for (Chunk chunk : chunks) {
            int size = 1 + chunk.events().size();
            if (!current.isEmpty()
                    && (actions + size > ACTIONS_PER_TRANSACTION || bytes + chunk.bytes() > TRANSACTION_BYTES)) {
                transactions.add(current);
                current = new ArrayList<>();
                actions = 0;
                bytes = 0;
            }
            current.add(chunk);
            actions += size;
            bytes += chunk.bytes();
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }

    /** The event item: the data as stored, plus generously counted keys and attribute names. */
    private static long approximateBytes(PendingGraphEvent event) {
        return Json.write(event.data()).getBytes(StandardCharsets.UTF_8).length
                + 2L * (event.objectId().length() + event.integrationId().length())
                + 1_024;
    }

    /** The marker update before its integrations: key, expressions and attribute names. */
    private static long markerBytes(String markerId) {
        return 2L * markerId.length() + 1_024;
    }
}
