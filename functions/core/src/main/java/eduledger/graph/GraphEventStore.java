package eduledger.graph;

import eduledger.events.EventIds;
import eduledger.events.MonotonicEventIds;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.paging.PageRequest;
import eduledger.storage.RetryJitter;
import eduledger.storage.Keys;
import eduledger.paging.Page;
import eduledger.storage.ShardedPages;
import eduledger.storage.Tables;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

/** Integrations' graph feeds in the events table; key design and ordering in {@link Keys}. */
public final class GraphEventStore {
    /** DynamoDB's limit of actions in one transaction: a source's marker update and its events count one each. */
    public static final int ACTIONS_PER_TRANSACTION = 100;
    /** What one transaction may carry by estimate; DynamoDB allows 4 MB. */
    static final long TRANSACTION_BYTES = 3_000_000;
    /** Times a transaction cancelled for a conflict or throttling, or timed out, is sent again before its events fail. */
    static final int CONTENTION_RETRIES = 3;
    /** The marker's string set of the integrations its source's events were written for. */
    static final String WRITTEN = "written";
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
     * Some of one source's events, written in one transaction together with one update of the
     * source's delivery marker; a transaction holds at most one chunk per source, because it may
     * name an item only once.
     */
    private record Chunk(String markerId, List<PendingGraphEvent> events, long bytes) {
    }

    /**
     * Appends the events whose integration is not yet listed in their source's delivery marker
     * (see {@link Keys}). Each source's events go with one conditional update of its marker that
     * adds their integrations; sources are packed whole into transactions of at most
     * {@link #ACTIONS_PER_TRANSACTION} actions and about {@link #TRANSACTION_BYTES}. A source too
     * large for one transaction is split into chunks, and its later chunks are written after its
     * earlier ones have ended (transactions naming the same marker at once would conflict). The
     * transactions run at once on the writer threads, so the order among these events is not kept:
     * a caller with events that must follow others writes them in a later call. Each transaction
     * takes its ids just before it is sent, and every retry takes new ones.
     */
    public AppendedEvents appendAll(List<PendingGraphEvent> events) {
        List<PendingGraphEvent> duplicates = Collections.synchronizedList(new ArrayList<>());
        List<List<Chunk>> waves = chunks(events, duplicates);
        List<GraphEvent> written = new ArrayList<>();
        Map<String, RuntimeException> failures = new HashMap<>();
        for (List<Chunk> wave : waves) {
            List<Chunk> open = wave.stream().filter(chunk -> !failures.containsKey(chunk.markerId())).toList();
            List<List<Chunk>> transactions = pack(open);
            if (transactions.size() == 1) {
                collect(transactions.get(0), () -> writeTransaction(transactions.get(0), duplicates), written, failures);
                continue;
            }
            List<CompletableFuture<List<GraphEvent>>> running = transactions.stream()
                    .map(transaction -> CompletableFuture.supplyAsync(() -> writeTransaction(transaction, duplicates), writers))
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
        }
        return new AppendedEvents(written, duplicates, failures);
    }

    private static void collect(List<Chunk> transaction, Supplier<List<GraphEvent>> outcome,
                                List<GraphEvent> written, Map<String, RuntimeException> failures) {
        try {
            written.addAll(outcome.get());
        } catch (RuntimeException e) {
            transaction.forEach(chunk -> failures.put(chunk.markerId(), e));
        }
    }

    /**
     * The events grouped by source, in order of first appearance, each source cut into chunks that
     * fit one transaction: the first wave holds every source's first chunk, the second the second
     * chunks of the sources that have one, and so on. An integration named twice for one source
     * is one event: the second is a duplicate.
     */
    private static List<List<Chunk>> chunks(List<PendingGraphEvent> events, List<PendingGraphEvent> duplicates) {
        Map<String, List<PendingGraphEvent>> bySource = new LinkedHashMap<>();
        Map<String, Set<String>> integrationsOfSource = new HashMap<>();
        for (PendingGraphEvent event : events) {
            if (integrationsOfSource.computeIfAbsent(event.markerId(), id -> new HashSet<>()).add(event.integrationId())) {
                bySource.computeIfAbsent(event.markerId(), id -> new ArrayList<>()).add(event);
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
                if (!current.isEmpty() && (current.size() + 1 == ACTIONS_PER_TRANSACTION || bytes + size > TRANSACTION_BYTES)) {
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
    private static List<List<Chunk>> pack(List<Chunk> chunks) {
        List<List<Chunk>> transactions = new ArrayList<>();
        List<Chunk> current = new ArrayList<>();
        int actions = 0;
        long bytes = 0;
        for (Chunk chunk : chunks) {
            int size = 1 + chunk.events().size();
            if (!current.isEmpty() && (actions + size > ACTIONS_PER_TRANSACTION || bytes + chunk.bytes() > TRANSACTION_BYTES)) {
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
        return Json.write(event.data()).getBytes(StandardCharsets.UTF_8).length + 2L * (event.objectId().length()
                + event.integrationId().length()) + 1_024;
    }

    /** The marker update before its integrations: key, expressions and attribute names. */
    private static long markerBytes(String markerId) {
        return 2L * markerId.length() + 1_024;
    }

    /**
     * Writes one transaction's chunks, retrying with new ids without the events found to be
     * written already, and a bounded number of times when DynamoDB cancelled it for contention.
     * Returns the events written; adds the ones found written before to {@code duplicates}.
     */
    private List<GraphEvent> writeTransaction(List<Chunk> transaction, List<PendingGraphEvent> duplicates) {
        List<Chunk> remaining = transaction;
        int contended = 0;
        while (!remaining.isEmpty()) {
            Instant now = clock.instant();
            List<GraphEvent> events = new ArrayList<>();
            List<TransactWriteItem> actions = new ArrayList<>();
            for (Chunk chunk : remaining) {
                List<Map<String, AttributeValue>> items = new ArrayList<>(chunk.events().size());
                for (PendingGraphEvent pending : chunk.events()) {
                    GraphEvent event = pending.withId(ids.next(now), now);
                    items.add(item(event));
                    events.add(event);
                }
                // Marker first, then its events: a cancellation's reasons are read in this order below.
                actions.add(TransactWriteItem.builder().update(markerUpdate(chunk, items.get(0).get(Keys.EXPIRES_AT))).build());
                for (Map<String, AttributeValue> item : items) {
                    actions.add(TransactWriteItem.builder().put(p -> p.tableName(tables.events()).item(item)).build());
                }
            }
            try {
                dynamo.transactWriteItems(t -> t.transactItems(actions));
                return events;
            } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
                // The call may still have been applied: its markers then list these integrations,
                // and the next attempt (new ids) finds them and drops those events as duplicates.
                if (++contended > CONTENTION_RETRIES) {
                    throw e;
                }
                backOff(contended);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.size() != actions.size()) {
                    throw e;
                }
                List<Chunk> retry = new ArrayList<>();
                boolean contention = false;
                boolean dropped = false;
                int at = 0;
                for (Chunk chunk : remaining) {
                    List<CancellationReason> ofChunk = reasons.subList(at, at + 1 + chunk.events().size());
                    at += ofChunk.size();
                    if (CONDITIONAL_CHECK_FAILED.equals(ofChunk.get(0).code())) {
                        // Some of these integrations were written before: ask which, keep the others.
                        Set<String> before = writtenFor(chunk.markerId());
                        List<PendingGraphEvent> missing = new ArrayList<>();
                        for (PendingGraphEvent event : chunk.events()) {
                            (before.contains(event.integrationId()) ? duplicates : missing).add(event);
                        }
                        if (missing.size() < chunk.events().size()) {
                            dropped = true;
                        } else {
                            contention = true; // the marker changed again since the check: retry within the bound
                        }
                        if (!missing.isEmpty()) {
                            retry.add(new Chunk(chunk.markerId(), missing, chunk.bytes()));
                        }
                        continue;
                    }
                    retry.add(chunk);
                    for (CancellationReason reason : ofChunk) {
                        String code = reason.code();
                        if (CONTENTION.contains(code)) {
                            contention = true;
                        } else if (code != null && !code.equals("None")) {
                            throw e;
                        }
                    }
                }
                if (!dropped && !contention) {
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

    /**
     * Adds the chunk's integrations to its source's marker, on the condition that none of them is
     * listed yet: a source delivered again, or a transaction sent again, writes no event twice,
     * even if the integrations that see it changed in between. The marker expires with the newest
     * events written under it.
     */
    private Update markerUpdate(Chunk chunk, AttributeValue expiresAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> integrations = chunk.events().stream().map(PendingGraphEvent::integrationId).toList();
        StringBuilder condition = new StringBuilder("attribute_not_exists(#w) OR (");
        for (int i = 0; i < integrations.size(); i++) {
            condition.append(i == 0 ? "" : " AND ").append("NOT contains(#w, :i").append(i).append(')');
            values.put(":i" + i, s(integrations.get(i)));
        }
        condition.append(')');
        values.put(":w", AttributeValue.fromSs(integrations));
        values.put(":x", expiresAt);
        return Update.builder().tableName(tables.events()).key(key(Keys.graphDeliveryMarker(chunk.markerId()), Keys.SEEN_SK))
                .updateExpression("ADD #w :w SET #x = :x").conditionExpression(condition.toString())
                .expressionAttributeNames(Map.of("#w", WRITTEN, "#x", Keys.EXPIRES_AT))
                .expressionAttributeValues(values).build();
    }

    /** The integrations a source's marker lists, read consistently: what its earlier writes wrote. */
    private Set<String> writtenFor(String markerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.events()).consistentRead(true)
                .key(key(Keys.graphDeliveryMarker(markerId), Keys.SEEN_SK)).projectionExpression("#w")
                .expressionAttributeNames(Map.of("#w", WRITTEN))).item();
        AttributeValue written = item == null ? null : item.get(WRITTEN);
        return written == null || !written.hasSs() ? Set.of() : Set.copyOf(written.ss());
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
            throw ServiceException.notFound("CURSOR_EXPIRED", "Event " + anchor + " is past the " + retention.toDays()
                    + "-day retention; do a full sync, then read events from the newest.");
        }
        if (find(integrationId, anchor).isEmpty()) {
            throw ServiceException.notFound("UNKNOWN_CURSOR", "This integration has no event " + anchor
                    + "; do a full sync, then read events from the newest.");
        }
    }

    private static GraphEvent event(Map<String, AttributeValue> item) {
        return new GraphEvent(string(item, Keys.SK), string(item, "integration_id"), string(item, "type"),
                string(item, "target"), string(item, "target_id"), Instant.parse(string(item, "created_date")),
                Json.readStored(string(item, "data")));
    }
}
