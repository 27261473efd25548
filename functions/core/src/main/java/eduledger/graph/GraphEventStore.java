package eduledger.graph;

import eduledger.events.EventIds;
import eduledger.events.MonotonicEventIds;
import eduledger.http.ApiException;
import eduledger.http.Json;
import eduledger.http.PageRequest;
import eduledger.runtime.RetryJitter;
import eduledger.storage.Keys;
import eduledger.storage.Page;
import eduledger.storage.ShardedPages;
import eduledger.storage.Tables;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

/** Integrations' graph feeds in the events table; key design and ordering in {@link Keys}. */
public final class GraphEventStore {
    /** Events (each with its marker: two actions) per transaction; DynamoDB allows 100 actions. */
    public static final int EVENTS_PER_TRANSACTION = 25;
    /** What one transaction may carry by estimate; DynamoDB allows 4 MB. */
    static final long TRANSACTION_BYTES = 3_000_000;
    /** Times a transaction cancelled for a conflict or throttling, or timed out, is sent again before its events fail. */
    static final int CONTENTION_RETRIES = 3;
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final Set<String> CONTENTION = Set.of("TransactionConflict", "ThrottlingError",
            "ProvisionedThroughputExceeded", "RequestLimitExceeded");
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Duration retention;
    private final Clock clock;
    private final Executor writers;
    private final MonotonicEventIds ids = new MonotonicEventIds();

    /**
     * @param dynamo  for writers, a client whose calls are bounded by {@link GraphFeed#WRITE_TIMEOUT}
     * @param writers runs the transactions of one {@link #appendAll} at once; its tasks never wait on
     *                one another, so a small pool shared by the whole container does
     */
    public GraphEventStore(DynamoDbClient dynamo, Tables tables, Duration retention, Clock clock, Executor writers) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.retention = retention;
        this.clock = clock;
        this.writers = writers;
    }

    /**
     * Appends the events whose delivery markers do not exist yet, each with its marker in the same
     * transaction, conditioned on the marker not existing. Events are packed into transactions of at
     * most {@link #EVENTS_PER_TRANSACTION} and about {@link #TRANSACTION_BYTES}; the transactions run
     * at once on the writer threads, so the order among these events is not kept: a caller with
     * events that must follow others writes them in a later call. Each transaction takes its ids just
     * before it is sent, and every retry takes new ones (see {@link Keys}, ordering).
     */
    public AppendedEvents appendAll(List<PendingGraphEvent> events) {
        List<List<PendingGraphEvent>> transactions = pack(events);
        List<GraphEvent> written = new ArrayList<>();
        Set<String> duplicates = new HashSet<>();
        Map<String, RuntimeException> failures = new HashMap<>();
        if (transactions.size() == 1) {
            collect(transactions.get(0), () -> writeTransaction(transactions.get(0), duplicates), written, failures);
            return new AppendedEvents(written, duplicates, failures);
        }
        Set<String> sharedDuplicates = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<List<GraphEvent>>> running = transactions.stream()
                .map(transaction -> CompletableFuture.supplyAsync(() -> writeTransaction(transaction, sharedDuplicates), writers))
                .toList();
        for (int i = 0; i < running.size(); i++) {
            CompletableFuture<List<GraphEvent>> transaction = running.get(i);
            collect(transactions.get(i), () -> {
                try {
                    return transaction.join();
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }, written, failures);
        }
        duplicates.addAll(sharedDuplicates);
        return new AppendedEvents(written, duplicates, failures);
    }

    private static void collect(List<PendingGraphEvent> transaction, Supplier<List<GraphEvent>> outcome,
                                List<GraphEvent> written, Map<String, RuntimeException> failures) {
        try {
            written.addAll(outcome.get());
        } catch (RuntimeException e) {
            transaction.forEach(event -> failures.put(event.markerId(), e));
        }
    }

    /** Consecutive runs of events that fit one transaction. */
    private static List<List<PendingGraphEvent>> pack(List<PendingGraphEvent> events) {
        List<List<PendingGraphEvent>> transactions = new ArrayList<>();
        List<PendingGraphEvent> current = new ArrayList<>();
        long bytes = 0;
        for (PendingGraphEvent event : events) {
            long size = approximateBytes(event);
            if (!current.isEmpty() && (current.size() == EVENTS_PER_TRANSACTION || bytes + size > TRANSACTION_BYTES)) {
                transactions.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(event);
            bytes += size;
        }
        if (!current.isEmpty()) {
            transactions.add(current);
        }
        return transactions;
    }

    /** The event item and its marker: the data as stored, plus generously counted keys and attribute names. */
    private static long approximateBytes(PendingGraphEvent event) {
        return Json.write(event.data()).getBytes(StandardCharsets.UTF_8).length + 2L * (event.objectId().length()
                + event.integrationId().length() + event.markerId().length()) + 1_024;
    }

    /**
     * Writes one transaction's events, retrying with new ids without the ones found to be
     * duplicates, and a bounded number of times when DynamoDB cancelled it for contention.
     * Returns the events written; adds the markers found to {@code duplicates}.
     */
    private List<GraphEvent> writeTransaction(List<PendingGraphEvent> transaction, Set<String> duplicates) {
        List<PendingGraphEvent> remaining = transaction;
        int contended = 0;
        while (!remaining.isEmpty()) {
            Instant now = clock.instant();
            List<GraphEvent> events = new ArrayList<>(remaining.size());
            List<TransactWriteItem> actions = new ArrayList<>(2 * remaining.size());
            for (PendingGraphEvent pending : remaining) {
                GraphEvent event = pending.withId(ids.next(now), now);
                Map<String, AttributeValue> item = item(event);
                Map<String, AttributeValue> marker = new HashMap<>(key(Keys.graphDeliveryMarker(pending.markerId()), Keys.SEEN_SK));
                marker.put("event_id", s(event.id()));
                marker.put(Keys.EXPIRES_AT, item.get(Keys.EXPIRES_AT));
                // Marker first, event second: a cancellation's reasons are read in this order below.
                actions.add(TransactWriteItem.builder().put(p -> p.tableName(tables.events()).item(marker)
                        .conditionExpression("attribute_not_exists(pk)")).build());
                actions.add(TransactWriteItem.builder().put(p -> p.tableName(tables.events()).item(item)).build());
                events.add(event);
            }
            try {
                dynamo.transactWriteItems(t -> t.transactItems(actions));
                return events;
            } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
                // The call may still have been applied: its markers then exist, and the next attempt
                // (new ids) finds them and drops those events as duplicates.
                if (++contended > CONTENTION_RETRIES) {
                    throw e;
                }
                backOff(contended);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.size() != actions.size()) {
                    throw e;
                }
                List<PendingGraphEvent> retry = new ArrayList<>();
                boolean contention = false;
                for (int i = 0; i < remaining.size(); i++) {
                    String markerReason = reasons.get(2 * i).code();
                    String eventReason = reasons.get(2 * i + 1).code();
                    if (CONDITIONAL_CHECK_FAILED.equals(markerReason)) {
                        duplicates.add(remaining.get(i).markerId());
                        continue;
                    }
                    retry.add(remaining.get(i));
                    for (String reason : new String[] {markerReason, eventReason}) {
                        if (CONTENTION.contains(reason)) {
                            contention = true;
                        } else if (reason != null && !reason.equals("None")) {
                            throw e;
                        }
                    }
                }
                if (retry.size() == remaining.size() && !contention) {
                    throw e; // cancelled for no reason that a retry could change
                }
                if (contention && ++contended > CONTENTION_RETRIES) {
                    throw e;
                }
                if (contention) {
                    backOff(contended);
                }
                remaining = retry;
            }
        }
        return List.of();
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(RetryJitter.millis(10, 50) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a graph event transaction", e);
        }
    }

    /** The event's stored item: the feed key of its id's shard, the type index key, and its expiry. */
    public Map<String, AttributeValue> item(GraphEvent event) {
        int shard = Keys.graphShard(event.id());
        Map<String, AttributeValue> item = new HashMap<>(key(Keys.graphEvents(event.integrationId(), shard), event.id()));
        item.put(Keys.TYPE_PK, s(Keys.graphEventsOfType(event.integrationId(), event.type(), shard)));
        item.put("integration_id", s(event.integrationId()));
        item.put("type", s(event.type()));
        item.put("target", s(event.target()));
        item.put("target_id", s(event.targetId()));
        item.put("created_date", s(event.createdDate().toString()));
        item.put("data", s(Json.write(event.data())));
        item.put(Keys.EXPIRES_AT, n(event.createdDate().plus(retention).getEpochSecond()));
        return item;
    }

    /** One event of the integration's feed; empty when unknown, another integration's or past retention. */
    public Optional<GraphEvent> find(String integrationId, String eventId) {
        Instant time = EventIds.timeOf(eventId);
        if (time == null || !eventId.equals(eventId.toLowerCase()) || time.isBefore(clock.instant().minus(retention))) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.events())
                .key(key(Keys.graphEvents(integrationId, Keys.graphShard(eventId)), eventId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(event(item));
    }

    /**
     * A page of the integration's feed, oldest first, optionally of one type: the shards read at
     * once and merged by id ({@link ShardedPages}). Only settled events (older than
     * {@link GraphFeed#SETTLE}) and none past retention; all of it in key conditions.
     */
    public Page<GraphEvent> list(String integrationId, PageRequest page, String type) {
        Instant now = clock.instant();
        if (page.anchor() != null) {
            checkAnchor(integrationId, page.anchor(), now);
        }
        String oldest = EventIds.lowerBound(now.minus(retention));
        String newest = EventIds.lowerBound(now.minus(GraphFeed.SETTLE));
        List<String> shards = IntStream.range(0, Keys.GRAPH_SHARDS).mapToObj(shard -> type == null
                ? Keys.graphEvents(integrationId, shard) : Keys.graphEventsOfType(integrationId, type, shard)).toList();
        ShardedPages.Partitions partitions = type == null
                ? new ShardedPages.Partitions(tables.events(), null, Keys.PK, shards)
                : new ShardedPages.Partitions(tables.events(), Keys.BY_TYPE_INDEX, Keys.TYPE_PK, shards);
        return ShardedPages.read(dynamo, partitions, oldest, newest, page).map(GraphEventStore::event);
    }

    private void checkAnchor(String integrationId, String anchor, Instant now) {
        Instant time = EventIds.timeOf(anchor);
        if (time != null && time.isBefore(now.minus(retention))) {
            throw ApiException.notFound("CURSOR_EXPIRED", "Event " + anchor + " is past the " + retention.toDays()
                    + "-day retention; do a full sync, then read events from the newest.");
        }
        if (find(integrationId, anchor).isEmpty()) {
            throw ApiException.notFound("UNKNOWN_CURSOR", "This integration has no event " + anchor
                    + "; do a full sync, then read events from the newest.");
        }
    }

    private static GraphEvent event(Map<String, AttributeValue> item) {
        return new GraphEvent(string(item, Keys.SK), string(item, "integration_id"), string(item, "type"),
                string(item, "target"), string(item, "target_id"), Instant.parse(string(item, "created_date")),
                Json.readStored(string(item, "data")));
    }
}
