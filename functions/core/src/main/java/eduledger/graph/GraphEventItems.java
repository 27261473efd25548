package eduledger.graph;

import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A graph event as an item of the events table, and back (keys in {@link GraphKeys}). */
public final class GraphEventItems {
    private final Duration retention;
    private final ShardLayouts layouts;

    /**
     * @param retention how long an event is kept: its item expires that long after it was made
     * @param layouts   the container's cache of feeds' shard layouts
     */
    public GraphEventItems(Duration retention, ShardLayouts layouts) {
        this.retention = retention;
        this.layouts = layouts;
    }

    /**
     * The integration's feed layout, complete up to {@code upTo}. A writer reads it before it takes
     * its events' ids, so that no store call falls between taking an id and sending its write.
     */
    public ShardLayout layout(String integrationId, Instant upTo) {
        String tenant = GraphKeys.feedLayoutTenant(integrationId);
        ShardLayout layout = layouts.layout(GraphKeys.FEED_LAYOUT, tenant, upTo);
        layouts.written(GraphKeys.FEED_LAYOUT, tenant);
        return layout;
    }

    /** The same for several integrations, read together where the cache does not hold them ({@link ShardLayouts#layouts}). */
    public Map<String, ShardLayout> layouts(Collection<String> integrationIds, Instant upTo) {
        Map<String, String> integrationOfTenant = new HashMap<>();
        for (String integrationId : integrationIds) {
            integrationOfTenant.put(GraphKeys.feedLayoutTenant(integrationId), integrationId);
        }
        Map<String, ShardLayout> layouts = new HashMap<>();
        for (Map.Entry<String, ShardLayout> entry : this.layouts
                .layouts(GraphKeys.FEED_LAYOUT, integrationOfTenant.keySet(), upTo)
                .entrySet()) {
            layouts.put(integrationOfTenant.get(entry.getKey()), entry.getValue());
            this.layouts.written(GraphKeys.FEED_LAYOUT, entry.getKey());
        }
        return layouts;
    }

    /** A write of the integration's events was throttled: its feed may need more shards. */
    public void throttled(String integrationId) {
        layouts.throttled(GraphKeys.FEED_LAYOUT, GraphKeys.feedLayoutTenant(integrationId));
    }

    /** The attributes of an event's item that {@link #event} reads back. */
    static final List<String> RENDERED =
            List.of(Keys.SK, "integration_id", "type", "target", "target_id", "created_date", "data");

    /** The event's stored item: the feed key of its id's shard, the type and target index keys, and its expiry. */
    public Map<String, AttributeValue> item(GraphEvent event) {
        return item(event, layout(event.integrationId(), EventIds.timeOf(event.id())));
    }

    /** The same with the integration's layout already at hand. */
    public Map<String, AttributeValue> item(GraphEvent event, ShardLayout layout) {
        return itemsAt(event.createdDate()).item(event, layout);
    }

    /** A builder of the items of events made at {@code createdDate}, as one transaction's are. */
    ItemsAt itemsAt(Instant createdDate) {
        return new ItemsAt(createdDate);
    }

    /**
     * Builds the items of events made at one instant. Much of what such items hold is the same from
     * one to the next: the date and expiry, and for the events of one change (one per integration
     * that sees it) the object's data, written as JSON, and its id; for one integration its id and
     * partition keys. Each such value is made once and shared, as attribute values are immutable.
     */
    final class ItemsAt {
        private final Instant createdDate;
        private final AttributeValue created;
        private final AttributeValue expires;
        private final Map<String, AttributeValue> strings = new HashMap<>();
        private JsonNode data;
        private AttributeValue dataJson;

        private ItemsAt(Instant createdDate) {
            this.createdDate = createdDate;
            this.created = s(createdDate.toString());
            this.expires = n(createdDate.plus(retention).getEpochSecond());
        }

        Map<String, AttributeValue> item(GraphEvent event, ShardLayout layout) {
            if (!event.createdDate().equals(createdDate)) {
                throw new IllegalArgumentException("an event made at " + event.createdDate() + ", not " + createdDate);
            }
            if (event.data() != data) {
                data = event.data();
                dataJson = s(Json.write(data));
            }
            int shard = layout.shard(event.id());
            String integrationId = event.integrationId();
            // Sized for its 11 attributes, so that it never grows.
            Map<String, AttributeValue> item = new HashMap<>(16);
            item.put(Keys.PK, shared(GraphKeys.graphEvents(integrationId, shard)));
            item.put(Keys.SK, s(event.id()));
            item.put(GraphKeys.TYPE_PK, shared(GraphKeys.graphEventsOfType(integrationId, event.type(), shard)));
            item.put(
                    GraphKeys.TARGET_PK,
                    s(GraphKeys.graphEventsOfTarget(integrationId, event.type(), event.targetId())));
            item.put("integration_id", shared(integrationId));
            item.put("type", shared(event.type()));
            item.put("target", shared(event.target()));
            item.put("target_id", shared(event.targetId()));
            item.put("created_date", created);
            item.put("data", dataJson);
            item.put(Keys.EXPIRES_AT, expires);
            return item;
        }

        private AttributeValue shared(String value) {
            AttributeValue made = strings.get(value);
            if (made == null) {
                made = s(value);
                strings.put(value, made);
            }
            return made;
        }
    }

    /**
     * The event a reader renders: its {@code data} is the stored JSON itself (written by the same
     * writer that renders a response), a node that writes those bytes as they are, so a page never
     * parses an event's object only to write it out again. Not for code that looks into it.
     */
    static GraphEvent event(Map<String, AttributeValue> item) {
        return new GraphEvent(
                string(item, Keys.SK),
                string(item, "integration_id"),
                string(item, "type"),
                string(item, "target"),
                string(item, "target_id"),
                createdDate(string(item, "created_date")),
                JsonNodeFactory.instance.rawValueNode(new RawValue(string(item, "data"))));
    }

    /**
     * An event's {@code created_date} as {@link #item} stores it ({@link Instant#toString}: {@code
     * 2026-01-31T12:00:00.123Z}, the fraction left out when zero), read by hand: a page reads a
     * hundred of them, and {@link Instant#parse}'s formatter took longer than the rest of turning
     * the items into events. Anything else is left to {@code Instant.parse}, which accepts what that
     * writes and refuses the rest alike.
     */
    static Instant createdDate(String text) {
        int length = text.length();
        if (length < 20
                || length == 21
                || length > 30
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || (length > 20 && text.charAt(19) != '.')
                || text.charAt(length - 1) != 'Z') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int fraction = length > 20 ? digits(text, 20, length - 21) : 0;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || fraction < 0) {
            return Instant.parse(text);
        }
        for (int i = length - 21; i < 9; i++) {
            fraction *= 10;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, fraction)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Instant.parse(text);
        }
    }

    /** The number {@code count} decimal digits at {@code from} spell, or -1 if they are not all digits. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
