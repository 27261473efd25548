package eduledger.graph;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.events.EventIds;
import eduledger.events.MonotonicEventIds;
import eduledger.http.ApiException;
import eduledger.http.Json;
import eduledger.http.PageRequest;
import eduledger.roster.RosterCollection;
import eduledger.storage.Keys;
import eduledger.storage.Page;
import eduledger.storage.ShardedPages;
import eduledger.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

/** Integrations' graph feeds in the events table; key design and ordering in {@link Keys}. */
public final class GraphEventStore {
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Duration retention;
    private final Clock clock;
    private final MonotonicEventIds ids = new MonotonicEventIds();

    /** @param dynamo for writers, a client whose calls are bounded by {@link GraphFeed#WRITE_TIMEOUT} */
    public GraphEventStore(DynamoDbClient dynamo, Tables tables, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Appends an event to the integration's feed unless the delivery marker {@code markerId} exists
     * (the same source record was already turned into this event). Empty when it was a duplicate.
     */
    public Optional<GraphEvent> append(String integrationId, RosterCollection collection, String action,
                                       String objectId, JsonNode data, String markerId) {
        Instant now = clock.instant();
        String id = ids.next(now);
        GraphEvent event = new GraphEvent(id, integrationId, GraphFeed.type(collection, action), collection.objectType(),
                objectId, now, data);
        Map<String, AttributeValue> item = item(event);
        AttributeValue expiresAt = item.get(Keys.EXPIRES_AT);
        Map<String, AttributeValue> marker = new HashMap<>(key(Keys.graphDeliveryMarker(markerId), Keys.SEEN_SK));
        marker.put("event_id", s(id));
        marker.put(Keys.EXPIRES_AT, expiresAt);
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(tables.events()).item(marker)
                            .conditionExpression("attribute_not_exists(pk)")).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(tables.events()).item(item)).build()));
            return Optional.of(event);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return Optional.empty();
            }
            throw e;
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
