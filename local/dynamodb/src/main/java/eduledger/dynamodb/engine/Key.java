package eduledger.dynamodb.engine;

import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Values;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A position in a table's or index's sorted map: partitions ordered by a hash of their key (so a
 * scan visits them in no meaningful order, as on DynamoDB, and parallel scan segments are hash
 * ranges), items of one partition by sort key, and for an index the table key as a tie-breaker.
 * Bounds ({@code -1}/{@code +1}) stand for "before/after everything" at their level, making
 * partition and sort-key ranges plain sub-maps.
 */
public final class Key implements Comparable<Key> {
    final int hash;
    final AttributeValue partition;
    final AttributeValue sort;
    /** -1 below, +1 above every sort key of the partition; 0 when {@link #sort} holds (or the table has no sort key). */
    final int sortBound;
    /** The table key, for an index entry; null for a table's own key. */
    final Key primary;

    final int primaryBound;

    private Key(int hash, AttributeValue partition, AttributeValue sort, int sortBound, Key primary, int primaryBound) {
        this.hash = hash;
        this.partition = partition;
        this.sort = sort;
        this.sortBound = sortBound;
        this.primary = primary;
        this.primaryBound = primaryBound;
    }

    public static Key of(AttributeValue partition, AttributeValue sort) {
        return new Key(hash(partition), partition, sort, 0, null, 0);
    }

    public static Key index(AttributeValue partition, AttributeValue sort, Key primary) {
        return new Key(hash(partition), partition, sort, 0, primary, 0);
    }

    /** A bound at the sort level: {@code sort} null and bound -1/+1 for the whole partition. */
    public static Key sortBound(AttributeValue partition, AttributeValue sort, int sortBound, int primaryBound) {
        return new Key(hash(partition), partition, sort, sortBound, null, primaryBound);
    }

    /** A bound on the hash alone, for parallel scan segments. */
    public static Key hashBound(int hash) {
        return new Key(hash, null, null, 0, null, 0);
    }

    public AttributeValue partition() {
        return partition;
    }

    public AttributeValue sort() {
        return sort;
    }

    public Key primary() {
        return primary;
    }

    public int hash() {
        return hash;
    }

    static int hash(AttributeValue v) {
        int h;
        if (v instanceof AttributeValue.Str s) {
            byte[] b = s.value().getBytes(StandardCharsets.UTF_8);
            h = 0x811c9dc5;
            for (byte x : b) {
                h ^= x & 0xff;
                h *= 0x01000193;
            }
        } else {
            h = v.hashCode();
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & 0x7fffffff;
    }

    @Override
    public int compareTo(Key o) {
        int c = Integer.compare(hash, o.hash);
        if (c != 0) return c;
        if (partition == null || o.partition == null) {
            // a hash-only bound sorts before every key of its hash
            if (partition == null && o.partition == null) return 0;
            return partition == null ? -1 : 1;
        }
        c = Values.compare(partition, o.partition);
        if (c != 0) return c;
        boolean bound = sort == null && sortBound != 0;
        boolean otherBound = o.sort == null && o.sortBound != 0;
        if (bound || otherBound) {
            if (bound && otherBound) return Integer.compare(sortBound, o.sortBound);
            return bound ? sortBound : -o.sortBound;
        }
        if (sort != null && o.sort != null) {
            c = Values.compare(sort, o.sort);
            if (c != 0) return c;
        } else if (sort != null || o.sort != null) {
            return sort == null ? -1 : 1;
        }
        if (primaryBound != 0 || o.primaryBound != 0) {
            if (primaryBound != 0 && o.primaryBound != 0) return Integer.compare(primaryBound, o.primaryBound);
            return primaryBound != 0 ? primaryBound : -o.primaryBound;
        }
        if (primary == null || o.primary == null) {
            if (primary == null && o.primary == null) return 0;
            return primary == null ? -1 : 1;
        }
        return primary.compareTo(o.primary);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k
                && hash == k.hash
                && Objects.equals(partition, k.partition)
                && Objects.equals(sort, k.sort)
                && sortBound == k.sortBound
                && Objects.equals(primary, k.primary)
                && primaryBound == k.primaryBound;
    }

    @Override
    public int hashCode() {
        return hash * 31 + (sort == null ? 0 : sort.hashCode()) + (primary == null ? 0 : primary.hashCode() * 7);
    }
}
