package eduledger.graph;

import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.metrics.Counts;
import eduledger.roster.Audience;
import eduledger.roster.ChangeRecord;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.roster.StreamedChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies one batch of the roster table's stream: every object change becomes graph events for the
 * integrations that can see the object, and then goes on to the {@link RosterChangeListener}s.
 *
 * <p>A batch is written in rounds: the first change of every item in the batch, then the second
 * change of the items changed more than once, and so on. A round's graph events are written at once,
 * in a few transactions sent together ({@link GraphEventWriter#appendAll}), so an item's changes
 * reach its feeds in stream order while different items' changes do not wait for one another.
 * After a round's writes, the listeners hear its changes in stream order, each with the
 * integrations that see it.
 *
 * <p>The first record that fails is where the stream resumes; Lambda retries the batch from it
 * (bisecting, a bounded number of times, then sending it to the failure queue). The records after it
 * are still processed, except later changes of the same item, which must not overtake it; when
 * they are delivered again their delivery markers keep them from being written twice.
 */
public final class StreamBatchWriter {
    private final IntegrationStore integrations;
    private final GraphProjector projector;
    private final List<RosterChangeListener> listeners;

    public StreamBatchWriter(
            IntegrationStore integrations, GraphProjector projector, List<RosterChangeListener> listeners) {
        this.integrations = integrations;
        this.projector = projector;
        this.listeners = List.copyOf(listeners);
    }

    /** @return the sequence number of the first record that failed, for the stream to resume from; empty when none did */
    public Optional<String> apply(List<? extends ChangeRecord> records) {
        BatchFailures failures = new BatchFailures(records);
        Optional<String> firstFailed = apply(records, failures);
        Counts.add(Counts.STREAM_RECORDS_PROCESSED, records.size() - failures.count());
        Counts.add(Counts.STREAM_RECORDS_FAILED, failures.count());
        return firstFailed;
    }

    private Optional<String> apply(List<? extends ChangeRecord> records, BatchFailures failures) {
        List<List<Indexed>> rounds = new ArrayList<>();
        Map<String, Integer> changesOfItem = new HashMap<>();
        for (int position = 0; position < records.size(); position++) {
            try {
                StreamedChange change = records.get(position).read();
                if (!change.isRosterObject() || change.changesNoObject()) {
                    continue;
                }
                int round = changesOfItem.merge(change.itemKey(), 1, Integer::sum) - 1;
                if (round == rounds.size()) {
                    rounds.add(new ArrayList<>());
                }
                rounds.get(round).add(new Indexed(position, change));
            } catch (RuntimeException e) {
                failures.fail(position, e);
            }
        }
        if (rounds.isEmpty()) {
            return failures.firstFailed();
        }
        List<Integration> audience;
        try {
            audience = integrations.all(); // once per batch, so a sharing change applies from the next batch
        } catch (RuntimeException e) {
            rounds.forEach(round -> round.forEach(indexed -> failures.fail(indexed, e)));
            return failures.firstFailed();
        }
        for (List<Indexed> round : rounds) {
            apply(round, audience, failures);
        }
        return failures.firstFailed();
    }

    /**
     * One round holds at most one change per item, so all of its graph events are written at once;
     * an item's next change is in the next round, whose ids are taken after these writes ended.
     * Listeners then hear the round's changes in stream order.
     */
    private void apply(List<Indexed> round, List<Integration> audience, BatchFailures failures) {
        List<Indexed> changes = new ArrayList<>();
        List<GraphProjector.Projection> projections = new ArrayList<>();
        List<PendingGraphEvent> pending = new ArrayList<>();
        for (Indexed indexed : round) {
            if (failures.hasFailed(indexed.change().itemKey())) {
                continue;
            }
            try {
                StreamedChange change = indexed.change();
                GraphProjector.Projection projection =
                        projector.project(change.before(), change.after(), change.recordId(), change.time(), audience);
                changes.add(indexed);
                projections.add(projection);
                pending.addAll(projection.events());
            } catch (RuntimeException e) {
                failures.fail(indexed, e);
            }
        }
        AppendedEvents appended;
        try {
            appended = projector.write(pending);
        } catch (RuntimeException e) {
            changes.forEach(indexed -> failures.fail(indexed, e));
            return;
        }
        for (int i = 0; i < changes.size(); i++) {
            Indexed indexed = changes.get(i);
            GraphProjector.Projection projection = projections.get(i);
            try {
                appended.failureOf(projection.events()).ifPresent(failure -> {
                    throw failure;
                });
                tellListeners(indexed.change(), projection.audience());
            } catch (RuntimeException e) {
                failures.fail(indexed, e);
            }
        }
    }

    private void tellListeners(StreamedChange change, Audience audience) {
        if (listeners.isEmpty()) {
            return;
        }
        RosterChange rosterChange = new RosterChange(
                change.object().collection(),
                change.object().id(),
                change.before().map(o -> o.data()).orElse(null),
                change.after().map(o -> o.data()).orElse(null),
                change.sourceWrite(),
                change.recordId(),
                change.time());
        listeners.forEach(listener -> listener.onChange(rosterChange, audience));
    }

    /** A change and where its record stands in the batch. */
    private record Indexed(int position, StreamedChange change) {}

    /** The records that failed, and the items whose later changes must therefore wait for a redelivery. */
    private static final class BatchFailures {
        private final List<? extends ChangeRecord> records;
        private final Set<String> failedItems = new HashSet<>();
        private final Set<Integer> failedPositions = new HashSet<>();
        private int firstFailure = -1;

        BatchFailures(List<? extends ChangeRecord> records) {
            this.records = records;
        }

        boolean hasFailed(String itemKey) {
            return failedItems.contains(itemKey);
        }

        void fail(Indexed indexed, RuntimeException e) {
            failedItems.add(indexed.change().itemKey());
            fail(indexed.position(), e);
        }

        void fail(int position, RuntimeException e) {
            System.err.println("stream record " + records.get(position).id() + " (sequence "
                    + records.get(position).sequenceNumber() + ") failed: " + e);
            failedPositions.add(position);
            if (firstFailure < 0 || position < firstFailure) {
                firstFailure = position;
            }
        }

        int count() {
            return failedPositions.size();
        }

        /** Only the first: the stream resumes from the lowest failed sequence number, so reporting more adds nothing. */
        Optional<String> firstFailed() {
            return firstFailure < 0
                    ? Optional.empty()
                    : Optional.of(records.get(firstFailure).sequenceNumber());
        }
    }
}
