package eduledger.audit;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import eduledger.storage.Keys;
import eduledger.storage.ShardedPages;
import eduledger.storage.StoreBackoff;
import eduledger.storage.Tables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Audit events in the events table (key design, shards and indexes in {@link AuditKeys}). Reads never
 * return an event past the retention period: the cut-off is part of every key condition.
 */
public final class AuditEventStore {
    /** DynamoDB's item size limit; an event whose item would be larger is refused before writing. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int BATCH_GET_LIMIT = 100;

    /** An event stored under an id the client chose, when it was already there. */
    public record Existing(AuditEvent event, String requestHash) {}

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final Duration retention;

    public AuditEventStore(DynamoDbClient dynamo, Tables tables, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
        this.retention = retention;
    }

    /** The event's own item: what the size limit applies to, as the largest item an event makes. */
    public Map<String, AttributeValue> item(String integrationId, AuditEvent event, String requestHash) {
        int shard = AuditKeys.auditShard(event.id());
        Map<String, AttributeValue> item = body(event, requestHash);
        item.putAll(key(AuditKeys.auditEvents(integrationId, shard), event.id()));
        item.put(AuditKeys.AUDIT_ACTION_PK, s(AuditKeys.auditByAction(integrationId, shard, event.actionId())));
        item.put(
                AuditKeys.AUDIT_ACTOR_PK,
                s(AuditKeys.auditByActor(integrationId, shard, event.actor().id())));
        if (event.validation().conforms() != null) {
            item.put(
                    AuditKeys.AUDIT_CONFORMS_PK,
                    s(AuditKeys.auditByConforms(
                            integrationId, shard, event.validation().conforms())));
        }
        return item;
    }

    /** Approximate stored size (names and values as UTF-8, numbers at their maximum), never below the real one. */
    public static int itemBytes(Map<String, AttributeValue> item) {
        int bytes = 0;
        for (var attribute : item.entrySet()) {
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
            AttributeValue value = attribute.getValue();
            bytes += value.s() != null ? value.s().getBytes(StandardCharsets.UTF_8).length : 21;
        }
        return bytes;
    }

    /**
     * Writes the event under a client-chosen id unless that id exists; returns what exists instead.
     * When what exists is this same request, its target copies are written again: an earlier attempt
     * may have stopped between the event's item and its copies, and the copies are equal items.
     */
    public Optional<Existing> putIfAbsent(String integrationId, AuditEvent event, String requestHash) {
        try {
            dynamo.putItem(b -> b.tableName(tables.events())
                    .item(item(integrationId, event, requestHash))
                    .conditionExpression("attribute_not_exists(sk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : read(integrationId, event.id());
            Existing existing = new Existing(
                    AuditEvent.fromJson(Json.readStored(string(old, "event"))), string(old, "request_hash"));
            if (existing.requestHash().equals(requestHash)) {
                writeAll(targetCopies(integrationId, existing.event(), requestHash));
            }
            return Optional.of(existing);
        }
        writeAll(targetCopies(integrationId, event, requestHash));
        return Optional.empty();
    }

    /** Writes events whose items are deterministic (fresh or derived ids): a retry rewrites equal items. */
    public void putAll(String integrationId, List<AuditEvent> events, List<String> requestHashes) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            items.addAll(items(integrationId, events.get(i), requestHashes.get(i)));
        }
        writeAll(items);
    }

    /**
     * Every item one event is stored as: its own item, then a copy per target. Public so that what
     * measures the store against raw DynamoDB writes exactly these items.
     */
    public List<Map<String, AttributeValue>> items(String integrationId, AuditEvent event, String requestHash) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(item(integrationId, event, requestHash));
        items.addAll(targetCopies(integrationId, event, requestHash));
        return items;
    }

    /** The event with this id, unless it belongs to another integration or is past retention. */
    public Optional<AuditEvent> find(String integrationId, String id) {
        String normalized = id.toLowerCase();
        Instant time = EventIds.timeOf(normalized);
        if (time == null || normalized.compareTo(retentionBound()) < 0) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = read(integrationId, normalized);
        return item.isEmpty()
                ? Optional.empty()
                : Optional.of(AuditEvent.fromJson(Json.readStored(string(item, "event"))));
    }

    /** Several events by id, read consistently (they were just written); missing ones are left out. */
    public Map<String, AuditEvent> findAll(String integrationId, List<String> ids) {
        Map<String, AuditEvent> found = new HashMap<>();
        List<String> distinct = ids.stream().distinct().toList();
        StoreBackoff backoff = StoreBackoff.start();
        for (int from = 0; from < distinct.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys =
                    distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET_LIMIT)).stream()
                            .map(id -> key(AuditKeys.auditEvents(integrationId, AuditKeys.auditShard(id)), id))
                            .toList();
            Map<String, KeysAndAttributes> request = Map.of(
                    tables.events(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            backoff.nextLoop();
            while (!request.isEmpty()) {
                var batch = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(batch));
                response.responses().getOrDefault(tables.events(), List.of()).forEach(item -> {
                    AuditEvent event = AuditEvent.fromJson(Json.readStored(string(item, "event")));
                    found.put(event.id(), event);
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
     * One page, oldest first: a Query per shard on the table or the filter's index, merged by id
     * ({@link ShardedPages}). The anchor must be an event of this integration within retention.
     */
    public Page<AuditEvent> list(String integrationId, AuditQuery query, PageRequest page) {
        String low = retentionBound();
        String high = ShardedPages.HIGHEST_ID;
        if (query.start() != null) {
            low = max(low, EventIds.lowerBound(query.start()));
        }
        if (query.end() != null) {
            high = ShardedPages.adjacent(EventIds.lowerBound(query.end()), -1);
        }
        PageRequest normalized = page;
        if (page.anchor() != null) {
            if (find(integrationId, page.anchor()).isEmpty()) {
                throw ServiceException.notFound(
                        "UNKNOWN_CURSOR",
                        "The paging anchor " + page.anchor()
                                + " names no event of this integration within the retention period.");
            }
            normalized =
                    new PageRequest(page.size(), page.forward(), page.anchor().toLowerCase());
        }
        return ShardedPages.read(dynamo, partitions(integrationId, query), low, high, normalized)
                .map(item -> AuditEvent.fromJson(Json.readStored(string(item, "event"))));
    }

    /** The shards' partitions of the table, or of the index that serves the query's filter. */
    private ShardedPages.Partitions partitions(String integrationId, AuditQuery query) {
        String partitionKey = Keys.PK;
        String index = null;
        IntFunction<String> partition = shard -> AuditKeys.auditEvents(integrationId, shard);
        if (query.filter() != null) {
            String value = query.filter().value();
            switch (query.filter().kind()) {
                case ACTION -> {
                    index = AuditKeys.AUDIT_BY_ACTION;
                    partitionKey = AuditKeys.AUDIT_ACTION_PK;
                    partition = shard -> AuditKeys.auditByAction(integrationId, shard, value);
                }
                case ACTOR -> {
                    index = AuditKeys.AUDIT_BY_ACTOR;
                    partitionKey = AuditKeys.AUDIT_ACTOR_PK;
                    partition = shard -> AuditKeys.auditByActor(integrationId, shard, value);
                }
                case CONFORMS -> {
                    index = AuditKeys.AUDIT_BY_CONFORMS;
                    partitionKey = AuditKeys.AUDIT_CONFORMS_PK;
                    partition = shard -> AuditKeys.auditByConforms(integrationId, shard, Boolean.parseBoolean(value));
                }
                case TARGET -> partition = shard -> AuditKeys.auditByTarget(integrationId, shard, value);
            }
        }
        return new ShardedPages.Partitions(
                tables.events(),
                index,
                partitionKey,
                IntStream.range(0, AuditKeys.AUDIT_SHARDS).mapToObj(partition).toList());
    }

    /** The smallest id still within retention: every read starts here, so expired items are never seen. */
    private String retentionBound() {
        return EventIds.lowerBound(clock.instant().minus(retention));
    }

    private List<Map<String, AttributeValue>> targetCopies(String integrationId, AuditEvent event, String requestHash) {
        int shard = AuditKeys.auditShard(event.id());
        List<Map<String, AttributeValue>> copies = new ArrayList<>();
        for (Party target : event.targets()) {
            Map<String, AttributeValue> copy = body(event, requestHash);
            copy.putAll(key(AuditKeys.auditByTarget(integrationId, shard, target.id()), event.id()));
            copies.add(copy);
        }
        return copies;
    }

    private Map<String, AttributeValue> body(AuditEvent event, String requestHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("event", s(Json.write(event.toJson())));
        item.put("request_hash", s(requestHash));
        item.put(Keys.EXPIRES_AT, n(event.createdDate().plus(retention).getEpochSecond()));
        return item;
    }

    private Map<String, AttributeValue> read(String integrationId, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.events())
                        .key(key(AuditKeys.auditEvents(integrationId, AuditKeys.auditShard(id)), id)))
                .item();
        return item == null ? Map.of() : item;
    }

    /** BatchWriteItem in chunks of 25, retrying what DynamoDB leaves unprocessed with jittered backoff. */
    private void writeAll(List<Map<String, AttributeValue>> items) {
        StoreBackoff backoff = StoreBackoff.start();
        for (int from = 0; from < items.size(); from += BATCH_WRITE_LIMIT) {
            backoff.nextLoop();
            List<WriteRequest> pending = items.subList(from, Math.min(items.size(), from + BATCH_WRITE_LIMIT)).stream()
                    .map(item -> WriteRequest.builder()
                            .putRequest(PutRequest.builder().item(item).build())
                            .build())
                    .toList();
            while (!pending.isEmpty()) {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response =
                        dynamo.batchWriteItem(b -> b.requestItems(Map.of(tables.events(), batch)));
                pending = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(tables.events(), List.of())
                        : List.of();
                if (!pending.isEmpty()) {
                    backoff.pause();
                }
            }
        }
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
