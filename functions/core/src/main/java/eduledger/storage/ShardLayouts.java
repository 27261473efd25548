package eduledger.storage;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.number;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Each tenant's {@link ShardLayout}, stored as one small item per tenant in the control table and
 * cached per container. A tenant that never writes near one partition's limit stays on one shard,
 * so a page of its list is one Query; one whose writes are throttled grows, doubling its shard count
 * up to its family's maximum.
 *
 * <p>Many containers write one tenant's items at once, each with the layout it cached, so a change
 * must never apply to a time some container may still write under the old layout. A growth therefore
 * adds an epoch that starts {@link Family#lead} after the moment it is decided, and is written
 * conditioned on the layout being unchanged since it was read (two containers growing at once: one
 * wins, the other reads the winner's). A cached layout is read again after {@link #REFRESH}, and is
 * trusted only for ids whose time is earlier than {@link #UNCERTAINTY} before the lead runs out
 * counted from its read; an id later than that makes the writer read the layout first. So with lead
 * {@code L}, a layout read at {@code r} is complete for every id before {@code r + L - UNCERTAINTY}:
 * any epoch it lacks was decided after {@code r - UNCERTAINTY} (the margin covers the growth's own
 * store call, up to the call timeout, and the clocks' skew) and starts at least {@code L} later.
 * Epochs already begun are never changed, so a time range is read with the layout its items were
 * written under, and a retried write of an old id lands where the first one did.
 */
public final class ShardLayouts {
    /** A cached layout is read again after this long. */
    public static final Duration REFRESH = Duration.ofSeconds(10);

    /** The store call timeout (5 s by default) plus the skew between containers' clocks, with room. */
    public static final Duration UNCERTAINTY = Duration.ofSeconds(15);

    /**
     * A kind of list: how far ahead a growth starts, and the most shards a tenant may have. The lead
     * must exceed {@link #REFRESH} plus {@link #UNCERTAINTY}, and the time ids may run ahead of the
     * clock of the container that writes them.
     */
    public record Family(String name, Duration lead, int maxShards) {
        public Family {
            if (lead.compareTo(REFRESH.plus(UNCERTAINTY)) <= 0) {
                throw new IllegalArgumentException("a growth's lead must exceed the refresh and its margin");
            }
            if (maxShards < 1 || Integer.bitCount(maxShards) != 1) {
                throw new IllegalArgumentException("the shard counts double, so the maximum is a power of two");
            }
        }
    }

    static final String LAYOUT_SK = "LAYOUT";
    private static final String EPOCHS = "epochs";
    private static final String VERSION = "version";

    private record Cached(ShardLayout layout, long version, Instant readAt) {}

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** When this container last tried to grow each tenant: one attempt per lead is enough. */
    private final Map<String, Instant> grew = new ConcurrentHashMap<>();

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
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = clock.instant();
            Cached current = read(tenant, now);
            ShardLayout.Epoch last = current.layout().last();
            if (last.from().isAfter(now) || last.shards() >= family.maxShards()) {
                return current.layout();
            }
            ShardLayout grown =
                    current.layout().grow(now.plus(family.lead()), Math.min(family.maxShards(), last.shards() * 2));
            try {
                write(tenant, grown, current.version());
                cache.put(tenant, new Cached(grown, current.version() + 1, now));
                return grown;
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
     * Never for one with items, whose past epochs must stay as they were written.
     */
    public void replace(String tenant, ShardLayout layout) {
        dynamo.putItem(b -> b.tableName(tables.control()).item(item(tenant, layout, 1)));
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
        return item == null || item.isEmpty()
                ? new Cached(ShardLayout.SINGLE, 0, now)
                : new Cached(ShardLayout.decode(string(item, EPOCHS)), number(item, VERSION), now);
    }

    private void write(String tenant, ShardLayout layout, long version) {
        if (version == 0) {
            dynamo.putItem(b -> b.tableName(tables.control())
                    .item(item(tenant, layout, 1))
                    .conditionExpression("attribute_not_exists(pk)"));
            return;
        }
        dynamo.putItem(b -> b.tableName(tables.control())
                .item(item(tenant, layout, version + 1))
                .conditionExpression("#version = :version")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":version", n(version))));
    }

    private static Map<String, AttributeValue> item(String tenant, ShardLayout layout, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(layoutKey(tenant), LAYOUT_SK));
        item.put(EPOCHS, s(layout.encode()));
        item.put(VERSION, n(version));
        return item;
    }
}
