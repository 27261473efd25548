package eduledger.roster;

import eduledger.storage.Keys;

/**
 * Roster objects and their organization tree, in the roster table. The design, and the access
 * patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class RosterKeys {
    private RosterKeys() {}

    public static final String OBJECT_SK = "OBJECT";

    public static final String TREE_PK = "tree_pk";

    public static final String TREE_SK = "tree_sk";

    public static final String ROOT_PK = "root_pk";

    public static final String ROOT = "ROOT";

    /**
     * The {@link #ROOTS_INDEX} partition of objects placed under an organization not (yet) written:
     * the tree they sit in has that missing organization for root, which no item names otherwise.
     */
    public static final String ORPHAN = "ORPHAN";

    public static final String BY_ORGANIZATION_INDEX = "ByOrganization";

    public static final String ROOTS_INDEX = "Roots";

    public static final int ROSTER_TREE_SHARDS = 16;

    public static String rosterObject(String collection, String id) {
        return "OBJECT#" + collection + "#" + id;
    }

    public static boolean isRosterObject(String pk) {
        return pk != null && pk.startsWith("OBJECT#");
    }

    public static String rosterTree(String rootOrganizationId, int shard) {
        return "TREE#" + rootOrganizationId + "#" + Keys.zeroPadded(shard, 2);
    }

    public static int rosterTreeShard(String collection, String id) {
        return Math.floorMod((collection + "#" + id).hashCode(), ROSTER_TREE_SHARDS);
    }

    public static String rosterTreeSort(String organizationPath, String collection, String id) {
        return organizationPath + "|" + collection + "|" + id;
    }
}
