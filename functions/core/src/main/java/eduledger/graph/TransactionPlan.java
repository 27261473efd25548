package eduledger.graph;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How graph events are cut into DynamoDB transactions, decided before any is sent: by object (each
 * with the update of its {@link FeedView}), in waves so an object's later parts follow its earlier
 * ones, packed up to DynamoDB's limits with one action left for the transaction's guard (the
 * sharing check). No store is involved, so the packing is tested on its own.
 */
public final class TransactionPlan {
    /** DynamoDB's limit of actions in one transaction: the guard, each view update and each event count one. */
    public static final int ACTIONS_PER_TRANSACTION = 100;
    /** What one transaction may carry by estimate; DynamoDB allows 4 MB. */
    static final long TRANSACTION_BYTES = 3_000_000;
    /** The actions left for views and events once the guard is in. */
    static final int ACTIONS_AFTER_GUARD = ACTIONS_PER_TRANSACTION - 1;

    private TransactionPlan() {}

    /**
     * Some of one object's events, written in one transaction with one update of its view; a
     * transaction holds at most one chunk per object, because it may name an item only once.
     *
     * @param part  which of the object's chunks this is, from 0: the view it expects is the read
     *              one moved on by this many updates
     * @param shown the integrations whose feed shows the object once this chunk is written
     * @param last  the object's last chunk, which records the judged revision
     */
    record Chunk(
            ViewChange change, int part, List<PendingGraphEvent> events, Set<String> shown, boolean last, long bytes) {}

    /**
     * The changes cut into chunks that fit one transaction: the first wave holds every object's
     * first chunk, the second the second chunks of the objects that have one, and so on. A change
     * with no events is one chunk: its view is stored all the same.
     */
    static List<List<Chunk>> waves(List<ViewChange> changes) {
        List<List<Chunk>> waves = new ArrayList<>();
        for (ViewChange change : changes) {
            Set<String> shown = new LinkedHashSet<>(change.read().shown());
            int part = 0;
            List<PendingGraphEvent> current = new ArrayList<>();
            long bytes = viewBytes(change);
            // A change's events share its object's data (one event per integration): measured once.
            JsonNode measured = null;
            long dataBytes = 0;
            for (PendingGraphEvent event : change.events()) {
                if (event.data() != measured) {
                    measured = event.data();
                    dataBytes = Json.write(measured).getBytes(StandardCharsets.UTF_8).length;
                }
                long size = approximateBytes(event, dataBytes);
                if (!current.isEmpty()
                        && (current.size() + 1 == ACTIONS_AFTER_GUARD || bytes + size > TRANSACTION_BYTES)) {
                    addTo(waves, part, new Chunk(change, part, current, Set.copyOf(shown), false, bytes));
                    part++;
                    current = new ArrayList<>();
                    bytes = viewBytes(change);
                }
                current.add(event);
                if (event.shows()) {
                    shown.add(event.integrationId());
                } else {
                    shown.remove(event.integrationId());
                }
                bytes += size;
            }
            addTo(waves, part, new Chunk(change, part, current, change.after(), true, bytes));
        }
        return waves;
    }

    private static void addTo(List<List<Chunk>> waves, int wave, Chunk chunk) {
        if (wave == waves.size()) {
            waves.add(new ArrayList<>());
        }
        waves.get(wave).add(chunk);
    }

    /** Consecutive runs of whole chunks (each a view update and its events) that fit one transaction with its guard. */
    static List<List<Chunk>> pack(List<Chunk> chunks) {
        List<List<Chunk>> transactions = new ArrayList<>();
        List<Chunk> current = new ArrayList<>();
        int actions = 0;
        long bytes = 0;
        for (Chunk chunk : chunks) {
            int size = 1 + chunk.events().size();
            if (!current.isEmpty()
                    && (actions + size > ACTIONS_AFTER_GUARD || bytes + chunk.bytes() > TRANSACTION_BYTES)) {
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
    private static long approximateBytes(PendingGraphEvent event, long dataBytes) {
        return dataBytes
                + 2L * (event.objectId().length() + event.integrationId().length())
                + 1_024;
    }

    /** The view update: key, expressions, attribute names, and its two sets of integration ids. */
    private static long viewBytes(ViewChange change) {
        long ids = 0;
        for (String id : change.read().shown()) {
            ids += id.length();
        }
        for (String id : change.after()) {
            ids += id.length();
        }
        return 2L * change.objectKey().length() + 2L * ids + 1_024;
    }
}
