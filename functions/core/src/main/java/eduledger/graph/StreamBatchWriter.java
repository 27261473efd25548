package eduledger.graph;

import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.metrics.Counts;
import eduledger.roster.Audience;
import eduledger.roster.ChangeRecord;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.roster.RosterObject;
import eduledger.roster.StreamedChange;
import eduledger.storage.StoreBackoff;
import eduledger.storage.StoreFailures;
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
 * in a few transactions sent together ({@link GraphEventWriter#write}), so an item's changes
 * reach its feeds in stream order while different items' changes do not wait for one another.
 * Each change is judged from what the feeds show of its object ({@link FeedView}) and written
 * with the view's update, on the condition that neither the view nor the sharing epoch moved
 * since they were read. An object the batch wrote in an earlier round is judged from the view as
 * that write stored it, without reading it again: the same condition fails if anything else wrote
 * the view since, and then the view is read. After a round's writes, the listeners hear its changes in stream order,
 * each with the integrations that saw it before and see it after.
 *
 * <p>The first record that fails is where the stream resumes; Lambda retries the batch from it
 * (bisecting, a bounded number of times, then sending it to the failure queue). The records after it
 * are still processed, except later changes of the same item, which must not overtake it; when
 * they are delivered again their object's view, which records the revision judged last, keeps
 * them from being written twice.
 */
public final class StreamBatchWriter {
    /** Times a round's changes are judged and written before those still stale fail. */
    static final int JUDGING_ATTEMPTS = 5;

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
                Integer earlier = changesOfItem.get(change.itemKey());
                int round = earlier == null ? 0 : earlier;
                changesOfItem.put(change.itemKey(), round + 1);
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
        SharingRead sharing;
        try {
            sharing = readSharing();
        } catch (RuntimeException e) {
            rounds.forEach(round -> round.forEach(indexed -> failures.fail(indexed, e)));
            return failures.firstFailed();
        }
        Map<String, FeedView> written = new HashMap<>();
        for (List<Indexed> round : rounds) {
            sharing = apply(round, sharing, failures, written);
        }
        return failures.firstFailed();
    }

    /** The sharing epoch, then every integration's sharing: sharing read after the epoch is at least that new. */
    private SharingRead readSharing() {
        long epoch = integrations.sharingEpoch();
        return new SharingRead(epoch, integrations.all());
    }

    private record SharingRead(long epoch, List<Integration> integrations) {}

    /**
     * One round holds at most one change per item, so all of its graph events are written at once;
     * an item's next change is in the next round, whose views are read after these writes ended.
     * Each change is judged from its object's view, under the sharing read; a transaction whose view
     * or sharing epoch moved meanwhile is judged again from a fresh read of both, a bounded number
     * of times. Listeners then hear the round's changes in stream order.
     *
     * @param written the views this batch's transactions stored, by object: an object changed again
     *                in a later round is judged from it without reading it, as its update's condition
     *                fails if anything else wrote the view since; kept up to date here
     * @return the sharing read last, for the next round
     */
    private SharingRead apply(
            List<Indexed> round, SharingRead sharing, BatchFailures failures, Map<String, FeedView> written) {
        List<Indexed> open = new ArrayList<>();
        for (Indexed indexed : round) {
            if (!failures.hasFailed(indexed.change().itemKey())) {
                open.add(indexed);
            }
        }
        Map<Indexed, Optional<Audience>> judged = new HashMap<>();
        StoreBackoff backoff = StoreBackoff.unhurried(JUDGING_ATTEMPTS, StoreFailures::unavailable);
        boolean firstJudgment = true;
        while (!open.isEmpty()) {
            // A first judgment takes an INSERT's view to be absent without reading it: the view's
            // condition fails when it is not (the object was deleted and written again, or the
            // record is delivered again), and the next judgment reads it.
            List<String> toRead = new ArrayList<>();
            Set<String> unread = new HashSet<>();
            for (Indexed indexed : open) {
                String key = objectKey(indexed.change());
                if (written.containsKey(key)) {
                    continue;
                }
                if (!firstJudgment || indexed.change().before().isPresent()) {
                    toRead.add(key);
                } else {
                    unread.add(key);
                }
            }
            firstJudgment = false;
            Map<String, FeedView> views;
            try {
                views = toRead.isEmpty() ? Map.of() : projector.views(toRead);
            } catch (RuntimeException e) {
                open.forEach(indexed -> failures.fail(indexed, e));
                break;
            }
            Map<String, Indexed> byObject = new HashMap<>();
            List<ViewChange> writes = new ArrayList<>();
            Map<Indexed, Optional<Audience>> audiences = new HashMap<>();
            for (Indexed indexed : open) {
                try {
                    StreamedChange change = indexed.change();
                    String key = objectKey(change);
                    GraphProjector.Projection projection =
                            projector.project(change, viewOf(key, views, written), sharing.integrations());
                    audiences.put(indexed, projection.audience());
                    if (projection.write().isPresent()) {
                        writes.add(projection.write().get());
                        byObject.put(key, indexed);
                    } else {
                        judged.put(indexed, projection.audience());
                    }
                } catch (RuntimeException e) {
                    failures.fail(indexed, e);
                }
            }
            GraphEventWriter.ViewWrites result;
            try {
                result = projector.write(writes, integrations.sharingEpochChecks(sharing.epoch()));
            } catch (RuntimeException e) {
                byObject.values().forEach(indexed -> failures.fail(indexed, e));
                break;
            }
            written.putAll(result.views());
            // A view whose write did not go through is no longer known: its next judgment reads it.
            written.keySet().removeAll(result.stale());
            written.keySet().removeAll(result.failures().keySet());
            List<Indexed> again = new ArrayList<>();
            boolean onlyGuessesStale = !unread.isEmpty() && !result.guardFailed();
            for (Map.Entry<String, Indexed> entry : byObject.entrySet()) {
                Indexed indexed = entry.getValue();
                RuntimeException failure = result.failures().get(entry.getKey());
                if (failure != null) {
                    failures.fail(indexed, failure);
                } else if (result.stale().contains(entry.getKey())) {
                    again.add(indexed);
                    onlyGuessesStale &= unread.contains(entry.getKey());
                } else {
                    judged.put(indexed, audiences.get(indexed));
                }
            }
            open = again;
            // A view taken to be absent without reading it that was there (the object written
            // again after a delete, or the record delivered again) is no contention: the sharing
            // read still held, so the next judgment only reads the views, at once.
            if (!open.isEmpty() && !onlyGuessesStale) {
                try {
                    backoff.pause();
                    sharing = readSharing();
                } catch (RuntimeException e) {
                    open.forEach(indexed -> failures.fail(indexed, e));
                    break;
                }
            }
        }
        for (Indexed indexed : round) {
            Optional<Audience> audience = judged.get(indexed);
            if (audience == null || failures.hasFailed(indexed.change().itemKey())) {
                continue;
            }
            try {
                if (audience.isPresent()) {
                    tellListeners(indexed.change(), audience.get());
                }
            } catch (RuntimeException e) {
                failures.fail(indexed, e);
            }
        }
        return sharing;
    }

    private static FeedView viewOf(String key, Map<String, FeedView> read, Map<String, FeedView> written) {
        FeedView view = read.get(key);
        if (view == null) {
            view = written.get(key);
        }
        return view == null ? FeedView.absent(key) : view;
    }

    private static String objectKey(StreamedChange change) {
        RosterObject object = change.object();
        return FeedView.keyOf(object.collection(), object.id());
    }

    // Plain code rather than lambdas on a batch's path: each lambda's first run in a fresh JVM
    // spins a class, and a cold start's first batch runs all of them once.
    private void tellListeners(StreamedChange change, Audience audience) {
        if (listeners.isEmpty()) {
            return;
        }
        RosterChange rosterChange = new RosterChange(
                change.object().collection(),
                change.object().id(),
                change.before().isPresent() ? change.before().get().data() : null,
                change.after().isPresent() ? change.after().get().data() : null,
                change.sourceWrite(),
                change.recordId(),
                change.time());
        for (RosterChangeListener listener : listeners) {
            listener.onChange(rosterChange, audience);
        }
    }

    /**
     * A change and where its record stands in the batch. Compared by identity: each record has one,
     * and a record's equality would hash the whole change (its images and data) on every lookup,
     * and in a fresh JVM bootstrap the record's generated methods on the first batch.
     */
    private static final class Indexed {
        private final int position;
        private final StreamedChange change;

        Indexed(int position, StreamedChange change) {
            this.position = position;
            this.change = change;
        }

        int position() {
            return position;
        }

        StreamedChange change() {
            return change;
        }
    }

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
