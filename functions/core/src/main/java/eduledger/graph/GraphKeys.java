package eduledger.graph;

/**
 * Graph events, their type index and delivery markers, in the events table. The design, and the
 * access patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class GraphKeys {
    private GraphKeys() {}

    public static final String TYPE_PK = "type_pk";

    public static final String BY_TYPE_INDEX = "ByType";

    public static final String TARGET_PK = "target_pk";

    public static final String BY_TARGET_INDEX = "ByTarget";

    public static final int GRAPH_SHARDS = 4;

    public static final String SEEN_SK = "SEEN";

    public static int graphShard(String eventId) {
        return Math.floorMod(eventId.hashCode(), GRAPH_SHARDS);
    }

    public static String graphEvents(String integrationId, int shard) {
        return "GRAPH#" + integrationId + "#" + shard;
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

    public static String graphDeliveryMarker(String markerId) {
        return "GRAPHSEEN#" + markerId;
    }
}
