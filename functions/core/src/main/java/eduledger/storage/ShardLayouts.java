package eduledger.storage;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.number;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.events.EventIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Each tenant's {@link ShardLayout}, stored as one small item per tenant in the control table and
 * cached per container. A tenant that never writes near one partition's limit stays on one shard,
 * so a page of its list is one Query; one whose writes are throttled grows, doubling its shard count
 * up to its family's maximum, and one that has since slowed down is halved again ({@link #written}).
 *
 * <p>Many containers write one tenant's items at once, each with the layout it cached, so a change
 * must never apply to a time some container may still write under the old layout. A change (a growth
 * or a halving) therefore adds an epoch that starts {@link Family#lead} after the moment it is
 * decided, and is written conditioned on the layout being unchanged since it was read (two
 * containers changing it at once: one wins, the other reads the winner's). A cached layout is read
 * again after {@link #REFRESH}, and is trusted only for ids whose time is earlier than {@link
 * #UNCERTAINTY} before the lead runs out counted from its read; an id later than that makes the
 * writer read the layout first. So with lead {@code L}, a layout read at {@code r} is complete for
 * every id before {@code r + L - UNCERTAINTY}: any epoch it lacks was decided after {@code r -
 * UNCERTAINTY} (the margin covers the change's own store call, up to the call timeout, and the
 * clocks' skew) and starts at least {@code L} later.
 * Epochs already begun are never changed, so a time range is read with the layout its items were
 * written under, and a retried write of an old id lands where the first one did.
 */
public final class ShardLayouts {
    /** A cached layout is read again after this long. */
    public static final Duration REFRESH = Duration.ofSeconds(10);

    /** The store call timeout (5 s by default) plus the skew between containers' clocks, with room. */
    public static final Duration UNCERTAINTY = Duration.ofSeconds(15);

    /**
     * The partition key of one shard of a tenant's busiest list, the one every item the tenant
     * writes has an entry in (an audit scope's whole list, an integration's feed), in the events table.
     */
    @FunctionalInterface
    public interface ShardPartition {
        String of(String tenant, int shard);
    }

    /**
     * A kind of list: how far ahead a change of layout starts, the most shards a tenant may have, and
     * where its pace is counted ({@link #written}). The lead must exceed {@link #REFRESH} plus
     * {@link #UNCERTAINTY}, and the time ids may run ahead of the clock of the container that writes
     * them.
     */
    public record Family(String name, Duration lead, int maxShards, ShardPartition busiest) {
        public Family {
            if (lead.compareTo(REFRESH.plus(UNCERTAINTY)) <= 0) {
                throw new IllegalArgumentException("a change's lead must exceed the refresh and its margin");
            }
            if (maxShards < 1 || Integer.bitCount(maxShards) != 1) {
                throw new IllegalArgumentException("the shard counts double, so the maximum is a power of two");
            }
        }
    }

    /** A layout of several shards is halved only once its last epoch, and it as stored, have lasted this long. */
    public static final Duration SETTLED = Duration.ofHours(1);

    /** How often one container counts a tenant's newest items, per tenant on several shards. */
    public static final Duration QUIET_CHECK = Duration.ofMinutes(10);

    /** The stretch of newest ids counted in one shard. */
    static final Duration QUIET_WINDOW = Duration.ofSeconds(5);

    /** DynamoDB's writes per second to one partition key. */
    static final int PARTITION_WRITES_PER_SECOND = 1_000;

    /**
     * The most items one shard may hold in {@link #QUIET_WINDOW} for its tenant to be halved. With
     * {@code s} shards written alike, that is a pace of at most {@code s x 125} writes/s, a quarter
     * of what half the shards take: the tenant stays well inside them, and a halving does not follow
     * a growth back and forth. One count reads at most this many items (about 0.8 MB of the largest
     * lookups), within one Query page.
     */
    static final int QUIET_ITEMS = (int) (QUIET_WINDOW.toSeconds() * PARTITION_WRITES_PER_SECOND / 8);

    static final String LAYOUT_SK = "LAYOUT";
    private static final String EPOCHS = "epochs";
    private static final String VERSION = "version";
    private static final String CHANGED = "changed";

    /** @param changed when the stored layout was last written (the beginning of time for one never written) */
    private record Cached(ShardLayout layout, long version, Instant changed, Instant readAt) {
        /**
         * Whether it may be halved: several shards, and both its last epoch and the layout as stored
         * have lasted {@link #SETTLED} (for a growth the epoch began after it was decided; a layout
         * set outright may have epochs that began long before).
         */
        boolean halvable(Instant now) {
            ShardLayout.Epoch last = layout.last();
            Instant since = last.from().isAfter(changed) ? last.from() : changed;
            return last.shards() > 1 && !now.isBefore(since.plus(SETTLED));
        }
    }

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** When this container last tried to grow each tenant: one attempt per lead is enough. */
    private final Map<String, Instant> grew = new ConcurrentHashMap<>();
    /** When this container last counted each tenant's newest items ({@link #written}). */
    private final Map<String, Instant> counted = new ConcurrentHashMap<>();

    public ShardLayouts(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    /** The control table key of a tenant's layout; {@code tenant} names the family and the tenant. */
    public static String layoutKey(String tenant) {
        return "SHARDLAYOUT#" + tenant;
    }

    /**
     * The tenant's layout, complete for every id up to {@code upTo} (a writer passes its id's time,
     * a reader the newest time it reads): from the cache while it is fresh and certain that far, else
     * read again.
     */
    public ShardLayout layout(Family family, String tenant, Instant upTo) {
        Instant now = clock.instant();
        Cached cached = cache.get(tenant);
        if (!answers(family, cached, now, upTo)) {
            cached = read(tenant, now);
            requireKnown(family, cached, upTo);
        }
        return cached.layout();
    }

    /**
     * The layouts of several tenants of one family, each as {@link #layout} gives it; those the cache
     * cannot answer are read together, one BatchGetItem per {@link BatchReads#LIMIT}, where reading
     * them one GetItem after another would make a writer naming many tenants (a change seen by
     * many integrations) wait a round trip each. A single one is read with its GetItem.
     */
    public Map<String, ShardLayout> layouts(Family family, Collection<String> tenants, Instant upTo) {
        Instant now = clock.instant();
        Map<String, ShardLayout> layouts = new HashMap<>();
        List<String> stale = new ArrayList<>();
        for (String tenant : new LinkedHashSet<>(tenants)) {
            Cached cached = cache.get(tenant);
            if (!answers(family, cached, now, upTo)) {
                stale.add(tenant);
            } else {
                layouts.put(tenant, cached.layout());
            }
        }
        if (stale.size() == 1) {
            layouts.put(stale.get(0), layout(family, stale.get(0), upTo));
            return layouts;
        }
        if (stale.isEmpty()) {
            return layouts;
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String tenant : stale) {
            keys.add(key(layoutKey(tenant), LAYOUT_SK));
        }
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, tables.control(), keys, true)) {
            items.put(string(item, Keys.PK), item);
        }
        for (String tenant : stale) {
            Cached read = cached(items.get(layoutKey(tenant)), now);
            cache.put(tenant, read);
            requireKnown(family, read, upTo);
            layouts.put(tenant, read.layout());
        }
        return layouts;
    }

    /**
     * Reports that a write of the tenant's items was throttled: grows its layout unless a growth is
     * already pending, it is at its family's maximum, or this container tried within the lead.
     */
    public void throttled(Family family, String tenant) {
        Instant now = clock.instant();
        Instant last = grew.get(tenant);
        if (last != null && now.isBefore(last.plus(family.lead()))) {
            return;
        }
        grew.put(tenant, now);
        try {
            grow(family, tenant);
        } catch (SdkException e) {
            // The write that was throttled goes on with its own retries; a later throttle asks again.
        }
    }

    /**
     * Adds an epoch of twice the shards, starting {@link Family#lead} from now, unless the layout
     * already has an epoch that has not begun or is at the maximum. Returns the layout then in force.
     */
    public ShardLayout grow(Family family, String tenant) {
        return change(tenant, (current, now) -> {
            ShardLayout layout = current.layout();
            ShardLayout.Epoch last = layout.last();
            if (last.from().isAfter(now) || last.shards() >= family.maxShards()) {
                return null;
            }
            return layout.then(now.plus(family.lead()), Math.min(family.maxShards(), last.shards() * 2));
        });
    }

    /**
     * Tells that the tenant's items are being written, after its layout was read. A tenant on one
     * shard costs nothing more. For one on several, whose last epoch and stored layout have lasted
     * {@link #SETTLED}, this container counts, at most once per {@link #QUIET_CHECK}, the items of its busiest list's
     * first shard whose ids are from the last {@link #QUIET_WINDOW} on (one Query, at most {@link
     * #QUIET_ITEMS} + 1 items read), and halves the tenant when there are no more than {@link
     * #QUIET_ITEMS}: so a tenant that was written fast once comes back, an hour or more after it
     * slowed down, to pages of fewer Queries. A count that fails only leaves the layout as it was.
     */
    public void written(Family family, String tenant) {
        Instant now = clock.instant();
        Cached cached = cache.get(tenant);
        if (cached == null || !cached.halvable(now)) {
            return;
        }
        Instant last = counted.get(tenant);
        if (last != null && now.isBefore(last.plus(QUIET_CHECK))) {
            return;
        }
        counted.put(tenant, now);
        try {
            if (quiet(family, tenant, now)) {
                halve(family, tenant);
            }
        } catch (SdkException e) {
            // The next count, a check later, asks again.
        }
    }

    /**
     * Adds an epoch of half the shards, starting {@link Family#lead} from now, unless the last epoch
     * has one shard, or it or the stored layout has not lasted {@link #SETTLED} (which an epoch not
     * yet begun has not). Returns the layout then in force.
     */
    private ShardLayout halve(Family family, String tenant) {
        return change(
                tenant,
                (current, now) -> current.halvable(now)
                        ? current.layout()
                                .then(
                                        now.plus(family.lead()),
                                        current.layout().last().shards() / 2)
                        : null);
    }

    /** Whether the first shard of the tenant's busiest list holds at most {@link #QUIET_ITEMS} of the newest ids. */
    private boolean quiet(Family family, String tenant, Instant now) {
        QueryResponse newest = dynamo.query(b -> b.tableName(tables.events())
                .keyConditionExpression("#pk = :pk AND #sk >= :from")
                .expressionAttributeNames(Map.of("#pk", Keys.PK, "#sk", Keys.SK))
                .expressionAttributeValues(Map.of(
                        ":pk", s(family.busiest().of(tenant, 0)),
                        ":from", s(EventIds.lowerBound(now.minus(QUIET_WINDOW)))))
                .select(Select.COUNT)
                .limit(QUIET_ITEMS + 1));
        // A Query that stopped early (at its limit, or at a page's megabyte) found the shard busy.
        return newest.count() <= QUIET_ITEMS && newest.lastEvaluatedKey().isEmpty();
    }

    /**
     * Writes the layout {@code next} makes of the stored one (null: no change), conditioned on it
     * being unchanged since it was read; another container's change first is read and judged again.
     */
    private ShardLayout change(String tenant, BiFunction<Cached, Instant, ShardLayout> next) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = clock.instant();
            Cached current = read(tenant, now);
            ShardLayout changed = next.apply(current, now);
            if (changed == null) {
                return current.layout();
            }
            try {
                write(tenant, changed, current.version(), now);
                cache.put(tenant, new Cached(changed, current.version() + 1, now, now));
                return changed;
            } catch (ConditionalCheckFailedException e) {
                // Another container changed it first: read theirs and decide again.
            }
        }
        return read(tenant, clock.instant()).layout();
    }

    /** The tenant's layout as stored now, future epochs included (read consistently, and cached). */
    public ShardLayout current(String tenant) {
        return read(tenant, clock.instant()).layout();
    }

    /**
     * Sets a tenant's layout outright: for setting up a tenant before it has items (the bench, tests).
     * Never for one with items, whose past epochs must stay as they were written. It is not halved
     * until {@link #SETTLED} from now, however long ago its last epoch began.
     */
    public void replace(String tenant, ShardLayout layout) {
        dynamo.putItem(b -> b.tableName(tables.control()).item(item(tenant, layout, 1, clock.instant())));
        cache.remove(tenant);
    }

    /** Whether a cached layout (if any) is fresh and certain up to {@code upTo}. */
    private boolean answers(Family family, Cached cached, Instant now, Instant upTo) {
        return cached != null && now.isBefore(cached.readAt().plus(REFRESH)) && upTo.isBefore(horizon(family, cached));
    }

    /** An id further ahead than a layout just read is certain: no growth may be allowed to start before it. */
    private void requireKnown(Family family, Cached read, Instant upTo) {
        if (!upTo.isBefore(horizon(family, read))) {
            throw new IllegalStateException("an id at " + upTo + " is further ahead than a layout can be known");
        }
    }

    private Instant horizon(Family family, Cached cached) {
        return cached.readAt().plus(family.lead()).minus(UNCERTAINTY);
    }

    private Cached read(String tenant, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(layoutKey(tenant), LAYOUT_SK))
                        .consistentRead(true))
                .item();
        Cached read = cached(item, now);
        cache.put(tenant, read);
        return read;
    }

    private static Cached cached(Map<String, AttributeValue> item, Instant now) {
        if (item == null || item.isEmpty()) {
            return new Cached(ShardLayout.SINGLE, 0, Instant.EPOCH, now);
        }
        Instant changed = item.containsKey(CHANGED) ? Instant.ofEpochMilli(number(item, CHANGED)) : Instant.EPOCH;
        return new Cached(ShardLayout.decode(string(item, EPOCHS)), number(item, VERSION), changed, now);
    }

    private void write(String tenant, ShardLayout layout, long version, Instant now) {
        if (version == 0) {
            dynamo.putItem(b -> b.tableName(tables.control())
                    .item(item(tenant, layout, 1, now))
                    .conditionExpression("attribute_not_exists(pk)"));
            return;
        }
        dynamo.putItem(b -> b.tableName(tables.control())
                .item(item(tenant, layout, version + 1, now))
                .conditionExpression("#version = :version")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":version", n(version))));
    }

    private static Map<String, AttributeValue> item(String tenant, ShardLayout layout, long version, Instant changed) {
        Map<String, AttributeValue> item = new HashMap<>(key(layoutKey(tenant), LAYOUT_SK));
        item.put(EPOCHS, s(layout.encode()));
        item.put(VERSION, n(version));
        item.put(CHANGED, n(changed.toEpochMilli()));
        return item;
    }
}
