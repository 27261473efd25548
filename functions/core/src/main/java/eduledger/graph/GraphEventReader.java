package eduledger.graph;

import static eduledger.storage.Attributes.key;

import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import eduledger.storage.ShardedPages;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reads integrations' graph feeds from the events table; key design and ordering in {@link GraphKeys}. */
public final class GraphEventReader {
    /** Queries one page of a target_id filter may take: every object type's three types for six ids. */
    public static final int MAX_TARGET_PARTITIONS = 108;

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Duration retention;
    private final Clock clock;
    private final ShardLayouts layouts;

    /** @param layouts the container's cache of feeds' shard layouts */
    public GraphEventReader(
            DynamoDbClient dynamo, Tables tables, Duration retention, Clock clock, ShardLayouts layouts) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.retention = retention;
        this.clock = clock;
        this.layouts = layouts;
    }

    /** One event of the integration's feed; empty when unknown, another integration's or past retention. */
    public Optional<GraphEvent> find(String integrationId, String eventId) {
        Instant time = EventIds.timeOf(eventId);
        if (time == null
                || !eventId.equals(eventId.toLowerCase())
                || time.isBefore(clock.instant().minus(retention))) {
            return Optional.empty();
        }
        int shard = layout(integrationId).shard(eventId);
        Map<String, AttributeValue> item = dynamo.getItem(b ->
                        b.tableName(tables.events()).key(key(GraphKeys.graphEvents(integrationId, shard), eventId)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(GraphEventItems.event(item));
    }

    /**
     * A page of the integration's feed, oldest first, optionally of one type: the shards of each
     * epoch of its layout the page reaches into, read at once and merged by id ({@link ShardedPages}). Only settled events (older than
     * {@link GraphFeed#SETTLE}) and none past retention; all of it in key conditions.
     */
    public Page<GraphEvent> list(String integrationId, PageRequest page, String type) {
        return list(integrationId, page, type == null ? null : List.of(type));
    }

    /**
     * The feed, or with {@code types} only the events of those types: one Query per type and shard on
     * the type index, merged, so a page is full whenever enough such events remain. An empty list of
     * types matches nothing.
     */
    public Page<GraphEvent> list(String integrationId, PageRequest page, List<String> types) {
        return list(integrationId, page, types, null);
    }

    /**
     * As {@link #list(String, PageRequest, List)}, and with {@code targetIds} only the events of those
     * objects: one Query per object and type on the target index, merged. At most {@value
     * #MAX_TARGET_PARTITIONS} such Queries make a page; a filter that needs more is refused, never
     * narrowed in silence.
     */
    public Page<GraphEvent> list(String integrationId, PageRequest page, List<String> types, List<String> targetIds) {
        return list(integrationId, page, types, targetIds, null, null);
    }

    /**
     * As {@link #list(String, PageRequest, List, List)}, and only events made from {@code from}
     * (inclusive, null for no bound) until {@code until} (exclusive, null for no bound): ids are
     * time ordered, so the range is part of the key condition.
     */
    public Page<GraphEvent> list(
            String integrationId,
            PageRequest page,
            List<String> types,
            List<String> targetIds,
            Instant from,
            Instant until) {
        if (targetIds != null) {
            return listOfTargets(
                    integrationId, page, types == null ? GraphFeed.allTypes() : types, targetIds, from, until);
        }
        if (types != null && types.isEmpty()) {
            return new Page<>(List.of(), false);
        }
        Instant now = clock.instant();
        if (page.anchor() != null) {
            checkAnchorRetained(page.anchor(), now);
        }
        String oldest = lowest(EventIds.lowerBound(now.minus(retention)), from);
        String newest = highest(EventIds.lowerBound(now.minus(GraphFeed.SETTLE)), until);
        IntFunction<List<String>> shards = types == null
                ? count -> IntStream.range(0, count)
                        .mapToObj(shard -> GraphKeys.graphEvents(integrationId, shard))
                        .toList()
                : count -> types.stream()
                        .flatMap(type -> IntStream.range(0, count)
                                .mapToObj(shard -> GraphKeys.graphEventsOfType(integrationId, type, shard)))
                        .toList();
        ShardLayout layout = layout(integrationId);
        ShardedPages.Partitions partitions = (types == null
                        ? new ShardedPages.Partitions(tables.events(), null, Keys.PK, layout, shards)
                        : new ShardedPages.Partitions(
                                tables.events(), GraphKeys.BY_TYPE_INDEX, GraphKeys.TYPE_PK, layout, shards))
                .reading(GraphEventItems.RENDERED);
        return read(integrationId, partitions, oldest, newest, page);
    }

    /**
     * A page of {@code partitions}; a page after an anchor reads the anchor with it, and looks it up
     * by key only when it was not among the items read.
     */
    private Page<GraphEvent> read(
            String integrationId, ShardedPages.Partitions partitions, String oldest, String newest, PageRequest page) {
        if (page.anchor() == null) {
            return ShardedPages.read(dynamo, partitions, oldest, newest, page).map(GraphEventItems::event);
        }
        ShardedPages.Anchored anchored = ShardedPages.readFromAnchor(dynamo, partitions, oldest, newest, page);
        if (!anchored.anchorFound()) {
            checkAnchorExists(integrationId, page.anchor());
        }
        return anchored.page().map(GraphEventItems::event);
    }

    private Page<GraphEvent> listOfTargets(
            String integrationId,
            PageRequest page,
            List<String> types,
            List<String> targetIds,
            Instant from,
            Instant until) {
        if (types.isEmpty() || targetIds.isEmpty()) {
            return new Page<>(List.of(), false);
        }
        if ((long) types.size() * targetIds.size() > MAX_TARGET_PARTITIONS) {
            throw ServiceException.badRequest(
                    "FILTER_TOO_BROAD",
                    targetIds.size() + " target ids over " + types.size() + " event types take more than "
                            + MAX_TARGET_PARTITIONS + " reads a page; name fewer target ids, or narrow with target"
                            + " or type.");
        }
        Instant now = clock.instant();
        if (page.anchor() != null) {
            checkAnchorRetained(page.anchor(), now);
        }
        List<String> partitions = targetIds.stream()
                .flatMap(targetId ->
                        types.stream().map(type -> GraphKeys.graphEventsOfTarget(integrationId, type, targetId)))
                .toList();
        return read(
                integrationId,
                new ShardedPages.Partitions(tables.events(), GraphKeys.BY_TARGET_INDEX, GraphKeys.TARGET_PK, partitions)
                        .reading(GraphEventItems.RENDERED),
                lowest(EventIds.lowerBound(now.minus(retention)), from),
                highest(EventIds.lowerBound(now.minus(GraphFeed.SETTLE)), until),
                page);
    }

    /** The lowest id a read takes: {@code oldest}, or the first id at {@code from} if that is later. */
    private static String lowest(String oldest, Instant from) {
        if (from == null) {
            return oldest;
        }
        String bound = EventIds.lowerBound(from);
        return bound.compareTo(oldest) > 0 ? bound : oldest;
    }

    /** The highest id a read takes: {@code newest}, or the last id before {@code until} if that is earlier. */
    private static String highest(String newest, Instant until) {
        if (until == null) {
            return newest;
        }
        String bound = ShardedPages.adjacent(EventIds.lowerBound(until), -1);
        return bound.compareTo(newest) < 0 ? bound : newest;
    }

    /** The feed's layout, complete for every id a read can meet (none is newer than the clock). */
    private ShardLayout layout(String integrationId) {
        return layouts.layout(GraphKeys.FEED_LAYOUT, GraphKeys.feedLayoutTenant(integrationId), clock.instant());
    }

    private void checkAnchorRetained(String anchor, Instant now) {
        Instant time = EventIds.timeOf(anchor);
        if (time != null && time.isBefore(now.minus(retention))) {
            throw ServiceException.notFound(
                    "CURSOR_EXPIRED",
                    "Event " + anchor + " is past the " + retention.toDays()
                            + "-day retention; do a full sync, then read events from the newest.");
        }
    }

    private void checkAnchorExists(String integrationId, String anchor) {
        if (find(integrationId, anchor).isEmpty()) {
            throw ServiceException.notFound(
                    "UNKNOWN_CURSOR",
                    "This integration has no event " + anchor + "; do a full sync, then read events from the newest.");
        }
    }
}
