package eduledger.integrations;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.json.Json;
import eduledger.storage.RetryJitter;
import eduledger.storage.StoreBackoff;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Integrations, in the control table (key design in {@link IntegrationKeys}). */
public final class IntegrationStore {
    private static final int BATCH_GET_LIMIT = 100;
    /** Copies of the sharing epoch: every rule change moves all of them, each stream transaction checks one. */
    static final int EPOCH_COPIES = 32;

    private static final String EPOCH = "epoch";
    private static final String PENDING_WALK = "pending_walk";
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;

    public IntegrationStore(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    public Integration create(String name) {
        return createWithId(UUID.randomUUID().toString(), name);
    }

    public Integration create(String name, Sharing sharing) {
        return createWithId(UUID.randomUUID().toString(), name, sharing);
    }

    /** Creates the integration with this id, or returns the existing one. */
    public Integration createWithId(String id, String name) {
        return createWithId(id, name, Sharing.all());
    }

    /**
     * Creates the integration with this id, or returns the existing one. The integration item and its
     * entry in the integrations listing (what the change stream fans out over) are written together.
     */
    public Integration createWithId(String id, String name, Sharing sharing) {
        Integration integration = new Integration(id, name, sharing, clock.instant());
        Map<String, AttributeValue> item =
                new HashMap<>(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK));
        item.putAll(attributes(integration));
        Map<String, AttributeValue> listed = new HashMap<>(key(IntegrationKeys.INTEGRATIONS, id));
        listed.putAll(attributes(integration));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control())
                                    .item(item)
                                    .conditionExpression("attribute_not_exists(pk)"))
                            .build(),
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control()).item(listed))
                            .build()));
            return integration;
        } catch (TransactionCanceledException e) {
            return find(id).orElseThrow(() -> e);
        }
    }

    public Optional<Integration> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(integration(item));
    }

    /** Several integrations by id, read consistently; ids with no integration are left out. */
    public Map<String, Integration> findAll(List<String> ids) {
        Map<String, Integration> found = new HashMap<>();
        List<String> distinct = ids.stream().distinct().toList();
        StoreBackoff backoff = StoreBackoff.start();
        for (int from = 0; from < distinct.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys =
                    distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET_LIMIT)).stream()
                            .map(id -> key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                            .toList();
            Map<String, KeysAndAttributes> request = Map.of(
                    tables.control(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            backoff.nextLoop();
            while (!request.isEmpty()) {
                var batch = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(batch));
                response.responses().getOrDefault(tables.control(), List.of()).forEach(item -> {
                    Integration integration = integration(item);
                    found.put(integration.id(), integration);
                });
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    backoff.pause();
                }
            }
        }
        return found;
    }

    /**
     * Every integration with its sharing, for fanning a roster change out: one Query of the listing
     * partition (strongly consistent, so a rule change is seen by the next stream batch).
     */
    public List<Integration> all() {
        List<Integration> all = new ArrayList<>();
        // Pages followed by hand: the SDK's paginator is a dozen classes more on a cold start's first batch.
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(tables.control())
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(IntegrationKeys.INTEGRATIONS)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                all.add(integration(item));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return all;
    }

    /**
     * Replaces the integration's sharing if it is still at {@code expectedVersion}; the new sharing
     * gets the next version, {@code pending} is kept on the integration until {@link #walked} clears
     * it, and the sharing epoch moves on in the same transaction, so every change-stream
     * transaction judged under the old sharing fails its {@link #sharingEpochIs} check from then on.
     * Returns false when another change came first.
     */
    public boolean updateSharing(String id, long expectedVersion, Sharing sharing) {
        return updateSharing(id, expectedVersion, sharing, WalkScope.NONE);
    }

    public boolean updateSharing(String id, long expectedVersion, Sharing sharing, WalkScope pending) {
        Sharing next = sharing.withVersion(expectedVersion + 1);
        Map<String, AttributeValue> values = Map.of(
                ":sharing",
                s(Json.write(next.toJson())),
                ":expected",
                AttributeValue.fromN(Long.toString(expectedVersion)));
        Map<String, AttributeValue> withPending = new HashMap<>(values);
        withPending.put(":pending", s(pending.toStored()));
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(update(
                key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK),
                ", " + PENDING_WALK + " = :pending",
                withPending));
        actions.add(update(key(IntegrationKeys.INTEGRATIONS, id), "", values));
        for (int copy = 0; copy < EPOCH_COPIES; copy++) {
            Map<String, AttributeValue> epochKey =
                    key(IntegrationKeys.sharingEpoch(copy), IntegrationKeys.SHARING_EPOCH_SK);
            actions.add(TransactWriteItem.builder()
                    .update(u -> u.tableName(tables.control())
                            .key(epochKey)
                            .updateExpression("ADD #e :one")
                            .expressionAttributeNames(Map.of("#e", EPOCH))
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))
                    .build());
        }
        StoreBackoff backoff = StoreBackoff.start();
        while (true) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(actions));
                return true;
            } catch (TransactionCanceledException e) {
                boolean conditionFailed = e.hasCancellationReasons()
                        && e.cancellationReasons().stream()
                                .anyMatch(reason -> "ConditionalCheckFailed".equals(reason.code()));
                if (conditionFailed) {
                    return false;
                }
                // A stream transaction checking an epoch copy right now: wait for it, then go again.
                backoff.pause();
            }
        }
    }

    /** The scope a rule change left to look at, if one did not finish. */
    public Optional<WalkScope> pendingWalk(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                        .consistentRead(true)
                        .projectionExpression("#p")
                        .expressionAttributeNames(Map.of("#p", PENDING_WALK)))
                .item();
        String stored = item == null ? null : string(item, PENDING_WALK);
        return stored == null ? Optional.empty() : Optional.of(WalkScope.fromStored(stored));
    }

    /**
     * Clears the pending scope once every object in it was judged under the sharing at {@code
     * version}; a later change (which took the scope over) keeps its own.
     */
    public void walked(String id, long version) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.control())
                    .key(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                    .updateExpression("REMOVE #p")
                    .conditionExpression("sharing_version = :v")
                    .expressionAttributeNames(Map.of("#p", PENDING_WALK))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)))));
        } catch (ConditionalCheckFailedException later) {
            // a later change owns the scope now
        }
    }

    /** A transaction action that holds only while the integration's sharing is still at {@code version}. */
    public TransactWriteItem sharingVersionIs(String id, long version) {
        return TransactWriteItem.builder()
                .conditionCheck(c -> c.tableName(tables.control())
                        .key(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                        .conditionExpression("sharing_version = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)))))
                .build();
    }

    /**
     * How many sharing changes have been made, over all integrations: read before the sharing
     * itself ({@link #all}), so sharing read after it is at least as new as the epoch says.
     */
    public long sharingEpoch() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(IntegrationKeys.sharingEpoch(0), IntegrationKeys.SHARING_EPOCH_SK))
                        .consistentRead(true))
                .item();
        AttributeValue epoch = item == null ? null : item.get(EPOCH);
        return epoch == null || epoch.n() == null ? 0 : Long.parseLong(epoch.n());
    }

    /**
     * The guards of one write's transactions, asked for one by one as they are sent: each an action
     * that holds only while no sharing changed since {@code epoch} was read. Each checks one of the
     * epoch's copies (every change moves all of them), the first a random one and each next guard
     * the copy after, because DynamoDB cancels a transaction that names an item another transaction
     * is still writing or checking. The transactions a writer has in flight at once therefore never
     * check the same copy; writers in other containers meet one of them about one time in 32.
     */
    public Supplier<TransactWriteItem> sharingEpochChecks(long epoch) {
        AtomicInteger next = new AtomicInteger(RetryJitter.choice(EPOCH_COPIES));
        return () -> sharingEpochIs(epoch, Math.floorMod(next.getAndIncrement(), EPOCH_COPIES));
    }

    private TransactWriteItem sharingEpochIs(long epoch, int copy) {
        return TransactWriteItem.builder()
                .conditionCheck(c -> {
                    c.tableName(tables.control())
                            .key(key(IntegrationKeys.sharingEpoch(copy), IntegrationKeys.SHARING_EPOCH_SK))
                            .expressionAttributeNames(Map.of("#e", EPOCH));
                    if (epoch == 0) {
                        c.conditionExpression("attribute_not_exists(#e)");
                    } else {
                        c.conditionExpression("#e = :e")
                                .expressionAttributeValues(Map.of(":e", AttributeValue.fromN(Long.toString(epoch))));
                    }
                })
                .build();
    }

    private TransactWriteItem update(
            Map<String, AttributeValue> key, String alsoSet, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(tables.control())
                        .key(key)
                        .updateExpression("SET sharing = :sharing, sharing_version = sharing_version + :one" + alsoSet)
                        .conditionExpression("sharing_version = :expected")
                        .expressionAttributeValues(withOne(values)))
                .build();
    }

    private static Map<String, AttributeValue> withOne(Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":one", AttributeValue.fromN("1"));
        return all;
    }

    private static Map<String, AttributeValue> attributes(Integration integration) {
        return Map.of(
                "id",
                s(integration.id()),
                "name",
                s(integration.name()),
                "sharing",
                s(Json.write(integration.sharing().toJson())),
                "sharing_version",
                AttributeValue.fromN(Long.toString(integration.sharing().version())),
                "created_date",
                s(integration.createdDate().toString()));
    }

    private static Integration integration(Map<String, AttributeValue> item) {
        String sharing = string(item, "sharing");
        // Integrations made before sharing rules existed stored the bare word "all".
        Sharing parsed = sharing == null || !sharing.startsWith("{")
                ? Sharing.all()
                : Sharing.fromStored(Json.readStored(sharing));
        return new Integration(
                string(item, "id"),
                string(item, "name"),
                parsed,
                Instant.parse(string(item, "created_date")),
                string(item, "application_id"));
    }
}
