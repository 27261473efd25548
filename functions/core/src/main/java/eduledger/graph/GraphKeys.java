package eduledger.graph;

import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import java.time.Duration;

/**
 * Graph events, their type index and each roster object's feed view, in the events table. The design, and the
 * access patterns these keys serve, are in {@code docs/data-model.md}.
 *
 * <p>Shards. An integration's feed (and with it its type index entries) follows the integration's
 * {@link ShardLayout} ({@link #FEED_LAYOUT}): one shard until writes of its events are throttled,
 * then 2, 4 and at most 8, and halved again once it has been quiet for an hour ({@code
 * ShardLayouts} stores, caches and changes it); an event's shard is a
 * hash of its id modulo the shard count of the epoch its id's time falls in, so a fetch by id reads
 * the layout (cached) and then one item. A feed page queries only the shards of the epochs its range
 * overlaps: one Query for an integration that never came near one partition's 1,000 writes/s.
 * Limits: at most 8 x 1,000 events/s per integration; a growth starts {@link #FEED_LAYOUT}'s lead
 * (two minutes, so ids a writer's clock runs a little ahead stay in the epoch they were written
 * under) after the throttled transaction that asks for it, and until then throttled
 * transactions are retried and their stream records delivered again; from one shard to eight is three
 * growths, each asked for once the one before has begun.
 */
public final class GraphKeys {
    private GraphKeys() {}

    public static final String TYPE_PK = "type_pk";

    public static final String BY_TYPE_INDEX = "ByType";

    public static final String TARGET_PK = "target_pk";

    public static final String BY_TARGET_INDEX = "ByTarget";

    /** The shard layouts of integrations' feeds: see the class comment. */
    public static final ShardLayouts.Family FEED_LAYOUT =
            new ShardLayouts.Family("graph", Duration.ofMinutes(2), 8, GraphKeys::feedShard);

    public static final String FEED_VIEW_SK = "VIEW";

    /** The tenant a feed belongs to, whose {@link ShardLayout} places its events. */
    public static String feedLayoutTenant(String integrationId) {
        return "GRAPH#" + integrationId;
    }

    public static String graphEvents(String integrationId, int shard) {
        return feedShard(feedLayoutTenant(integrationId), shard);
    }

    /** {@link #graphEvents} from the feed's {@link #feedLayoutTenant}. */
    static String feedShard(String feedLayoutTenant, int shard) {
        return feedLayoutTenant + "#" + shard;
    }

    public static String graphEventsOfType(String integrationId, String type, int shard) {
        return "GRAPHTYPE#" + integrationId + "#" + type + "#" + shard;
    }

    /**
     * One object's events of one type, unsharded: one object changes far more rarely than a
     * partition's write limit. The id comes last, so whatever characters it holds cannot make two
     * keys equal.
     */
    public static String graphEventsOfTarget(String integrationId, String type, String targetId) {
        return "GRAPHTARGET#" + integrationId + "#" + type + "#" + targetId;
    }

    /** What the feeds show of one roster object ({@link FeedView}); the object key comes last. */
    public static String feedView(String objectKey) {
        return "FEEDVIEW#" + objectKey;
    }
}
