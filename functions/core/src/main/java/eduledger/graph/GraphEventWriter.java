package eduledger.graph;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;

import eduledger.events.MonotonicEventIds;
import eduledger.graph.TransactionPlan.Chunk;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.StoreBackoff;
import eduledger.storage.StoreFailures;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Appends to integrations' graph feeds in the events table, in transactions that also update each
 * source's delivery marker, so no event is written twice (key design and ordering in {@link GraphKeys}).
 */
public final class GraphEventWriter {
    /** Times a transaction cancelled for a conflict or throttling, or timed out, is sent again before its events fail. */
    static final int CONTENTION_RETRIES = 3;
    /** The marker's string set of the integrations its source's events were written for. */
    static final String WRITTEN = "written";

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
     * @param writers runs the transactions of one {@link #appendAll} at once; its tasks never wait on
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
     * Appends the events whose integration is not yet listed in their source's delivery marker
     * (see {@link GraphKeys}). Each source's events go with one conditional update of its marker that
     * adds their integrations; sources are packed whole into transactions of at most
     * {@link TransactionPlan#ACTIONS_PER_TRANSACTION} actions and about {@link TransactionPlan#TRANSACTION_BYTES}. A source too
     * large for one transaction is split into chunks, and its later chunks are written after its
     * earlier ones have ended (transactions naming the same marker at once would conflict). The
     * transactions run at once on the writer threads, so the order among these events is not kept:
     * a caller with events that must follow others writes them in a later call. Each transaction
     * takes its ids just before it is sent, and every retry takes new ones.
     */
    public AppendedEvents appendAll(List<PendingGraphEvent> events) {
        List<PendingGraphEvent> duplicates = Collections.synchronizedList(new ArrayList<>());
        List<List<Chunk>> waves = TransactionPlan.waves(events, duplicates);
        List<GraphEvent> written = new ArrayList<>();
        Map<String, RuntimeException> failures = new HashMap<>();
        for (List<Chunk> wave : waves) {
            List<Chunk> open = wave.stream()
                    .filter(chunk -> !failures.containsKey(chunk.markerId()))
                    .toList();
            List<List<Chunk>> transactions = TransactionPlan.pack(open);
            if (transactions.size() == 1) {
                collect(
                        transactions.get(0),
                        () -> writeTransaction(transactions.get(0), duplicates),
                        written,
                        failures);
                continue;
            }
            List<CompletableFuture<List<GraphEvent>>> running = transactions.stream()
                    .map(transaction ->
                            CompletableFuture.supplyAsync(() -> writeTransaction(transaction, duplicates), writers))
                    .toList();
            for (int i = 0; i < running.size(); i++) {
                CompletableFuture<List<GraphEvent>> transaction = running.get(i);
                collect(
                        transactions.get(i),
                        () -> {
                            try {
                                return transaction.join();
                            } catch (CompletionException e) {
                                throw e.getCause() instanceof RuntimeException cause ? cause : e;
                            }
                        },
                        written,
                        failures);
            }
        }
        return new AppendedEvents(written, duplicates, failures);
    }

    private static void collect(
            List<Chunk> transaction,
            Supplier<List<GraphEvent>> outcome,
            List<GraphEvent> written,
            Map<String, RuntimeException> failures) {
        try {
            written.addAll(outcome.get());
        } catch (RuntimeException e) {
            transaction.forEach(chunk -> failures.put(chunk.markerId(), e));
        }
    }

    /**
     * Writes one transaction's chunks, retrying with new ids without the events found to be
     * written already, and a bounded number of times when DynamoDB cancelled it for contention.
     * Returns the events written; adds the ones found written before to {@code duplicates}.
     */
    private List<GraphEvent> writeTransaction(List<Chunk> transaction, List<PendingGraphEvent> duplicates) {
        List<Chunk> remaining = transaction;
        int contended = 0;
        StoreBackoff backoff = StoreBackoff.unhurried(CONTENTION_RETRIES + 1, StoreFailures::unavailable);
        while (!remaining.isEmpty()) {
            // The feeds' layouts first: a layout read must not fall between taking ids and writing.
            Instant planned = clock.instant();
            Map<String, ShardLayout> layouts = new HashMap<>();
            for (Chunk chunk : remaining) {
                for (PendingGraphEvent pending : chunk.events()) {
                    layouts.computeIfAbsent(
                            pending.integrationId(),
                            integration -> eventItems.layout(integration, planned.plus(GraphFeed.SETTLE)));
                }
            }
            Instant now = clock.instant();
            List<GraphEvent> events = new ArrayList<>();
            List<TransactWriteItem> actions = new ArrayList<>();
            for (Chunk chunk : remaining) {
                List<Map<String, AttributeValue>> items =
                        new ArrayList<>(chunk.events().size());
                for (PendingGraphEvent pending : chunk.events()) {
                    GraphEvent event = pending.withId(ids.next(now), now);
                    items.add(eventItems.item(event, layouts.get(event.integrationId())));
                    events.add(event);
                }
                // Marker first, then its events: a cancellation's reasons are read in this order below.
                actions.add(TransactWriteItem.builder()
                        .update(markerUpdate(chunk, items.get(0).get(Keys.EXPIRES_AT)))
                        .build());
                for (Map<String, AttributeValue> item : items) {
                    actions.add(TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.events()).item(item))
                            .build());
                }
            }
            try {
                dynamo.transactWriteItems(t -> t.transactItems(actions).overrideConfiguration(bounded));
                return events;
            } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
                // The call may still have been applied: its markers then list these integrations,
                // and the next attempt (new ids) finds them and drops those events as duplicates.
                if (++contended > CONTENTION_RETRIES) {
                    throw e;
                }
                backoff.pause();
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
                    List<CancellationReason> ofChunk =
                            reasons.subList(at, at + 1 + chunk.events().size());
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
                    for (int i = 0; i < ofChunk.size(); i++) {
                        String code = ofChunk.get(i).code();
                        if (CONTENTION.contains(code)) {
                            contention = true;
                            if (i > 0 && THROTTLED.contains(code)) {
                                eventItems.throttled(chunk.events().get(i - 1).integrationId());
                            }
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
                    backoff.pause();
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
        List<String> integrations =
                chunk.events().stream().map(PendingGraphEvent::integrationId).toList();
        StringBuilder condition = new StringBuilder("attribute_not_exists(#w) OR (");
        for (int i = 0; i < integrations.size(); i++) {
            condition
                    .append(i == 0 ? "" : " AND ")
                    .append("NOT contains(#w, :i")
                    .append(i)
                    .append(')');
            values.put(":i" + i, s(integrations.get(i)));
        }
        condition.append(')');
        values.put(":w", AttributeValue.fromSs(integrations));
        values.put(":x", expiresAt);
        return Update.builder()
                .tableName(tables.events())
                .key(key(GraphKeys.graphDeliveryMarker(chunk.markerId()), GraphKeys.SEEN_SK))
                .updateExpression("ADD #w :w SET #x = :x")
                .conditionExpression(condition.toString())
                .expressionAttributeNames(Map.of("#w", WRITTEN, "#x", Keys.EXPIRES_AT))
                .expressionAttributeValues(values)
                .build();
    }

    /** The integrations a source's marker lists, read consistently: what its earlier writes wrote. */
    private Set<String> writtenFor(String markerId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.events())
                        .overrideConfiguration(bounded)
                        .consistentRead(true)
                        .key(key(GraphKeys.graphDeliveryMarker(markerId), GraphKeys.SEEN_SK))
                        .projectionExpression("#w")
                        .expressionAttributeNames(Map.of("#w", WRITTEN)))
                .item();
        AttributeValue written = item == null ? null : item.get(WRITTEN);
        return written == null || !written.hasSs() ? Set.of() : Set.copyOf(written.ss());
    }
}
