package eduledger.graph;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;

import eduledger.events.MonotonicEventIds;
import eduledger.graph.TransactionPlan.Chunk;
import eduledger.storage.BatchReads;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.StoreBackoff;
import eduledger.storage.StoreFailures;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Appends to integrations' graph feeds in the events table, in transactions that also update each
 * object's {@link FeedView} on the condition that it is still what the events were judged from,
 * and a guard the caller gives (the sharing they were judged under is still current). A
 * transaction whose view or guard moved writes nothing and is reported stale, for the caller to
 * read again and judge again: no event is written twice, and none is written under sharing that
 * has changed since (key design and ordering in {@link GraphKeys}).
 */
public final class GraphEventWriter {
    /** Times a transaction cancelled for a conflict or throttling is sent again before its events fail. */
    static final int CONTENTION_RETRIES = 3;
    /** A deleted object's view is kept this long after the delete, longer than the stream keeps its records. */
    static final Duration GONE_VIEW_KEPT = Duration.ofDays(2);

    static final String SHOWN = "shown";
    static final String PRIOR = "prior";
    static final String REVISION = "revision";
    static final String VERSION = "version";
    static final String GONE = "gone";

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final Set<String> CONTENTION =
            Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    private static final Set<String> THROTTLED = Set.of("ThrottlingError", "ProvisionedThroughputExceeded");
    private final DynamoDbClient dynamo;
    private final AwsRequestOverrideConfiguration bounded;
    private final Tables tables;
    private final GraphEventItems eventItems;
    private final Clock clock;
    private final Executor writers;
    private final MonotonicEventIds ids = new MonotonicEventIds();

    /**
     * @param bound   how long each call may take, SDK retries included: at most
     *                {@link GraphFeed#WRITE_TIMEOUT}, which the feed's ordering rests on. Set on
     *                every request, so the container's one client serves, whatever its own bound
     * @param writers runs the transactions of one {@link #write} at once; its tasks never wait on
     *                one another, so a small pool shared by the whole container does
     */
    public GraphEventWriter(
            DynamoDbClient dynamo,
            Duration bound,
            Tables tables,
            GraphEventItems eventItems,
            Clock clock,
            Executor writers) {
        if (bound.compareTo(GraphFeed.WRITE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("graph event writes must end within " + GraphFeed.WRITE_TIMEOUT);
        }
        this.dynamo = dynamo;
        this.bounded = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(bound)
                .apiCallAttemptTimeout(bound.dividedBy(2))
                .build();
        this.tables = tables;
        this.eventItems = eventItems;
        this.clock = clock;
        this.writers = writers;
    }

    /**
     * What one {@link #write} did, by object key.
     *
     * @param views each change written whole, its view as its last part stored it: what a read
     *              of it would find until something else writes it
     */
    public record ViewWrites(
            List<GraphEvent> written,
            Set<String> stale,
            Map<String, RuntimeException> failures,
            boolean guardFailed,
            Map<String, FeedView> views) {
        public ViewWrites {
            written = List.copyOf(written);
            stale = Set.copyOf(stale);
            failures = Map.copyOf(failures);
            views = Map.copyOf(views);
        }
    }

    /** The views of these objects, read consistently (one BatchGetItem per 100); absent ones are {@code !stored}. */
    public Map<String, FeedView> views(List<String> objectKeys) {
        List<String> distinct = objectKeys.stream().distinct().toList();
        List<Map<String, AttributeValue>> keys = distinct.stream()
                .map(objectKey -> key(GraphKeys.feedView(objectKey), GraphKeys.FEED_VIEW_SK))
                .toList();
        Map<String, FeedView> views = new LinkedHashMap<>();
        distinct.forEach(objectKey -> views.put(objectKey, FeedView.absent(objectKey)));
        String prefix = GraphKeys.feedView("");
        for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, tables.events(), keys, true)) {
            String objectKey = item.get(Keys.PK).s().substring(prefix.length());
            views.put(
                    objectKey,
                    new FeedView(
                            objectKey,
                            true,
                            strings(item.get(SHOWN)),
                            strings(item.get(PRIOR)),
                            number(item.get(REVISION)),
                            number(item.get(VERSION)),
                            item.get(GONE) != null
                                    && Boolean.TRUE.equals(item.get(GONE).bool())));
        }
        return views;
    }

    /**
     * Writes each change's events with the update of its view, in transactions of at most
     * {@link TransactionPlan#ACTIONS_PER_TRANSACTION} actions (the guard first) and about
     * {@link TransactionPlan#TRANSACTION_BYTES}, sent at once on the writer threads. A change too
     * large for one transaction is written in parts, its later parts after its earlier ones have
     * ended; a part that does not go through stops the change's later parts. Each transaction
     * takes its ids just before it is sent, and every retry takes new ones.
     *
     * @param guard a condition every transaction carries, asked for each transaction sent (so it
     *              may name a different item each time): when it fails, nothing more is written and
     *              {@link ViewWrites#guardFailed} says so
     */
    public ViewWrites write(List<ViewChange> changes, Supplier<TransactWriteItem> guard) {
        return write(changes, guard, false);
    }

    /**
     * The same, with {@code oneAtATime} sending one transaction after another: for a guard on an
     * item that many of the transactions would name at once (one integration's sharing version),
     * which DynamoDB lets only one transaction at a time take part in.
     */
    public ViewWrites write(List<ViewChange> changes, Supplier<TransactWriteItem> guard, boolean oneAtATime) {
        List<GraphEvent> written = new ArrayList<>();
        Map<String, FeedView> done = new HashMap<>();
        Set<String> stopped = new HashSet<>();
        Map<String, RuntimeException> failures = new HashMap<>();
        boolean guardFailed = false;
        for (List<Chunk> wave : TransactionPlan.waves(changes)) {
            if (guardFailed) {
                break;
            }
            List<Chunk> open = new ArrayList<>();
            for (Chunk chunk : wave) {
                if (!stopped.contains(chunk.change().objectKey())) {
                    open.add(chunk);
                }
            }
            List<List<Chunk>> transactions = TransactionPlan.pack(open);
            List<CompletableFuture<List<GraphEvent>>> running = new ArrayList<>();
            for (int i = 0; i < transactions.size(); i++) {
                List<Chunk> transaction = transactions.get(i);
                // One transaction is sent from here; more go to the writer pool, two at a time.
                running.add(
                        oneAtATime || transactions.size() == 1
                                ? completed(transaction, guard)
                                : CompletableFuture.supplyAsync(() -> writeTransaction(transaction, guard), writers));
            }
            for (int i = 0; i < running.size(); i++) {
                List<Chunk> transaction = transactions.get(i);
                try {
                    written.addAll(join(running.get(i)));
                    for (Chunk chunk : transaction) {
                        if (chunk.last()) {
                            done.put(chunk.change().objectKey(), stored(chunk));
                        }
                    }
                } catch (StaleTransaction e) {
                    guardFailed |= e.guardFailed;
                    transaction.forEach(chunk -> stopped.add(chunk.change().objectKey()));
                } catch (RuntimeException e) {
                    transaction.forEach(chunk -> {
                        stopped.add(chunk.change().objectKey());
                        failures.put(chunk.change().objectKey(), e);
                    });
                }
            }
        }
        Set<String> stale = new HashSet<>();
        for (ViewChange change : changes) {
            if (!done.containsKey(change.objectKey()) && !failures.containsKey(change.objectKey())) {
                stale.add(change.objectKey());
            }
        }
        return new ViewWrites(written, stale, failures, guardFailed, done);
    }

    /** The view as {@link #viewUpdate} leaves it after the change's last part. */
    private static FeedView stored(Chunk last) {
        ViewChange change = last.change();
        FeedView read = change.read();
        long version = read.version() + last.part() + 1;
        if (change.revision().isEmpty()) {
            return new FeedView(
                    read.objectKey(), true, last.shown(), read.prior(), read.revision(), version, read.gone());
        }
        return new FeedView(
                read.objectKey(),
                true,
                last.shown(),
                read.shown(),
                change.revision().getAsLong(),
                version,
                change.gone());
    }

    private CompletableFuture<List<GraphEvent>> completed(List<Chunk> transaction, Supplier<TransactWriteItem> guard) {
        try {
            return CompletableFuture.completedFuture(writeTransaction(transaction, guard));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static List<GraphEvent> join(CompletableFuture<List<GraphEvent>> transaction) {
        try {
            return transaction.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** A transaction that wrote nothing because a view or the guard was not what it was judged from. */
    private static final class StaleTransaction extends RuntimeException {
        final boolean guardFailed;

        StaleTransaction(boolean guardFailed) {
            super(null, null, false, false);
            this.guardFailed = guardFailed;
        }
    }

    /**
     * Writes one transaction's chunks, sending it again with new ids a bounded number of times
     * when DynamoDB cancelled it for contention. A condition that failed, or a call that timed out
     * (it may have been applied), makes it stale: the caller reads the views again.
     */
    private List<GraphEvent> writeTransaction(List<Chunk> transaction, Supplier<TransactWriteItem> guard) {
        int contended = 0;
        StoreBackoff backoff = StoreBackoff.unhurried(CONTENTION_RETRIES + 1, StoreFailures::unavailable);
        while (true) {
            // The feeds' layouts first: a layout read must not fall between taking ids and writing.
            Instant planned = clock.instant();
            Set<String> feeds = new HashSet<>();
            for (Chunk chunk : transaction) {
                for (PendingGraphEvent pending : chunk.events()) {
                    feeds.add(pending.integrationId());
                }
            }
            Map<String, ShardLayout> layouts = eventItems.layouts(feeds, planned.plus(GraphFeed.SETTLE));
            Instant now = clock.instant();
            List<GraphEvent> events = new ArrayList<>();
            List<TransactWriteItem> actions = new ArrayList<>();
            List<String> integrationOfAction = new ArrayList<>();
            actions.add(guard.get());
            integrationOfAction.add(null);
            GraphEventItems.ItemsAt items = eventItems.itemsAt(now);
            for (Chunk chunk : transaction) {
                actions.add(TransactWriteItem.builder()
                        .update(viewUpdate(chunk, now))
                        .build());
                integrationOfAction.add(null);
                for (PendingGraphEvent pending : chunk.events()) {
                    GraphEvent event = pending.withId(ids.next(now), now);
                    Map<String, AttributeValue> item = items.item(event, layouts.get(event.integrationId()));
                    actions.add(TransactWriteItem.builder()
                            .put(Put.builder()
                                    .tableName(tables.events())
                                    .item(item)
                                    .build())
                            .build());
                    integrationOfAction.add(event.integrationId());
                    events.add(event);
                }
            }
            try {
                dynamo.transactWriteItems(t -> t.transactItems(actions).overrideConfiguration(bounded));
                return events;
            } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
                throw new StaleTransaction(false);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.size() != actions.size()) {
                    throw e;
                }
                if (CONDITIONAL_CHECK_FAILED.equals(reasons.get(0).code())) {
                    throw new StaleTransaction(true);
                }
                boolean contention = false;
                for (int i = 0; i < reasons.size(); i++) {
                    String code = reasons.get(i).code();
                    if (CONDITIONAL_CHECK_FAILED.equals(code)) {
                        throw new StaleTransaction(false);
                    }
                    if (CONTENTION.contains(code)) {
                        contention = true;
                        if (integrationOfAction.get(i) != null && THROTTLED.contains(code)) {
                            eventItems.throttled(integrationOfAction.get(i));
                        }
                    } else if (code != null && !code.equals("None")) {
                        throw e;
                    }
                }
                if (!contention || ++contended > CONTENTION_RETRIES) {
                    throw e;
                }
                backoff.pause();
            }
        }
    }

    /**
     * Stores the view as this chunk leaves it, on the condition that it is where the chunk expects
     * it (absent for a first judgment, else the version read, moved on by the change's earlier
     * parts). The last part of a stream change records the revision judged, who showed the object
     * before it, and whether it deleted the object; a deleted object's view expires after
     * {@link #GONE_VIEW_KEPT}.
     */
    private Update viewUpdate(Chunk chunk, Instant now) {
        FeedView read = chunk.change().read();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        names.put("#v", VERSION);
        values.put(":next", n(read.version() + chunk.part() + 1));
        set.add("#v = :next");
        names.put("#s", SHOWN);
        if (chunk.shown().isEmpty()) {
            remove.add("#s");
        } else {
            values.put(":shown", AttributeValue.fromSs(new ArrayList<>(new TreeSet<>(chunk.shown()))));
            set.add("#s = :shown");
        }
        if (chunk.last() && chunk.change().revision().isPresent()) {
            names.put("#r", REVISION);
            values.put(":rev", n(chunk.change().revision().getAsLong()));
            set.add("#r = :rev");
            names.put("#p", PRIOR);
            if (read.shown().isEmpty()) {
                remove.add("#p");
            } else {
                values.put(":prior", AttributeValue.fromSs(new ArrayList<>(new TreeSet<>(read.shown()))));
                set.add("#p = :prior");
            }
            names.put("#g", GONE);
            values.put(":gone", AttributeValue.fromBool(chunk.change().gone()));
            set.add("#g = :gone");
            names.put("#x", Keys.EXPIRES_AT);
            if (chunk.change().gone()) {
                values.put(":x", n(now.plus(GONE_VIEW_KEPT).getEpochSecond()));
                set.add("#x = :x");
            } else {
                remove.add("#x");
            }
        }
        String condition;
        if (!read.stored() && chunk.part() == 0) {
            condition = "attribute_not_exists(#v)";
        } else {
            values.put(":expected", n(read.version() + chunk.part()));
            condition = "#v = :expected";
        }
        String expression =
                "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        return Update.builder()
                .tableName(tables.events())
                .key(key(GraphKeys.feedView(read.objectKey()), GraphKeys.FEED_VIEW_SK))
                .updateExpression(expression)
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private static Set<String> strings(AttributeValue value) {
        return value == null || !value.hasSs() ? Set.of() : Set.copyOf(value.ss());
    }

    private static long number(AttributeValue value) {
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
