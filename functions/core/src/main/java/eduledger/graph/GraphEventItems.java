package eduledger.graph;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.json.Json;
import eduledger.storage.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A graph event as an item of the events table, and back (keys in {@link GraphKeys}). */
public final class GraphEventItems {
    private final Duration retention;

    /** @param retention how long an event is kept: its item expires that long after it was made */
    public GraphEventItems(Duration retention) {
        this.retention = retention;
    }

    /** The event's stored item: the feed key of its id's shard, the type and target index keys, and its expiry. */
    public Map<String, AttributeValue> item(GraphEvent event) {
        int shard = GraphKeys.graphShard(event.id());
        Map<String, AttributeValue> item =
                new HashMap<>(key(GraphKeys.graphEvents(event.integrationId(), shard), event.id()));
        item.put(GraphKeys.TYPE_PK, s(GraphKeys.graphEventsOfType(event.integrationId(), event.type(), shard)));
        item.put(
                GraphKeys.TARGET_PK,
                s(GraphKeys.graphEventsOfTarget(event.integrationId(), event.type(), event.targetId())));
        item.put("integration_id", s(event.integrationId()));
        item.put("type", s(event.type()));
        item.put("target", s(event.target()));
        item.put("target_id", s(event.targetId()));
        item.put("created_date", s(event.createdDate().toString()));
        item.put("data", s(Json.write(event.data())));
        item.put(Keys.EXPIRES_AT, n(event.createdDate().plus(retention).getEpochSecond()));
        return item;
    }

    static GraphEvent event(Map<String, AttributeValue> item) {
        return new GraphEvent(
                string(item, Keys.SK),
                string(item, "integration_id"),
                string(item, "type"),
                string(item, "target"),
                string(item, "target_id"),
                Instant.parse(string(item, "created_date")),
                Json.readStored(string(item, "data")));
    }
}
