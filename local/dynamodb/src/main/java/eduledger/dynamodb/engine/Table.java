package eduledger.dynamodb.engine;

import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.StoredItem;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** One table: its definition, its items in key order, its indexes, stream and TTL settings. */
final class Table {
    final String name;
    final String arn;
    final String tableId;
    final String region;
    final long createdMillis;
    final String hashKey;
    final String rangeKey;
    /** Every attribute definition, name to S/N/B; replaced whole (never changed in place) so readers need no lock. */
    volatile Map<String, String> attributeTypes = Map.of();

    final ConcurrentSkipListMap<Key, Map<String, AttributeValue>> items = new ConcurrentSkipListMap<>();
    /**
     * The same entries in descending key order. A skip list steps forward from one entry to the next in
     * constant time but back only by searching again from its head, so a Query read in descending order
     * ({@code ScanIndexForward} false, as a newest-first list reads) cost a search per item; read from
     * this copy, it steps forward too. Kept in step by {@link #put} and {@link #remove}, the only ways
     * entries change.
     */
    final ConcurrentSkipListMap<Key, Map<String, AttributeValue>> itemsDescending =
            new ConcurrentSkipListMap<>(Comparator.reverseOrder());

    final CopyOnWriteArrayList<Index> indexes = new CopyOnWriteArrayList<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    volatile String status = "ACTIVE";
    volatile String billingMode;
    volatile long readCapacity;
    volatile long writeCapacity;
    volatile long billingChangedMillis;
    volatile boolean deletionProtection;
    volatile String ttlAttribute;
    volatile boolean ttlEnabled;
    volatile Stream stream;
    /** Stream settings as last requested, kept when the stream is disabled so DescribeTable can show them. */
    volatile boolean streamEnabled;

    volatile String streamViewType;

    Table(String name, String region, long createdMillis, String hashKey, String rangeKey) {
        this.name = name;
        this.region = region;
        this.createdMillis = createdMillis;
        this.hashKey = hashKey;
        this.rangeKey = rangeKey;
        this.arn = "arn:aws:dynamodb:" + region + ":000000000000:table/" + name;
        this.tableId = java.util
                .UUID
                .nameUUIDFromBytes((name + createdMillis).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** Stores {@code item} under {@code key} and returns it as stored, for the indexes and stream to share. */
    Map<String, AttributeValue> put(Key key, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> stored = StoredItem.of(item);
        items.put(key, stored);
        itemsDescending.put(key, stored);
        return stored;
    }

    void remove(Key key) {
        items.remove(key);
        itemsDescending.remove(key);
    }

    Key keyOf(Map<String, AttributeValue> item) {
        return Key.of(item.get(hashKey), rangeKey == null ? null : item.get(rangeKey));
    }

    Map<String, AttributeValue> keyAttributes(Key key) {
        LinkedHashMap<String, AttributeValue> m = new LinkedHashMap<>(4);
        m.put(hashKey, key.partition);
        if (rangeKey != null) m.put(rangeKey, key.sort);
        return m;
    }

    Map<String, AttributeValue> keyAttributes(Map<String, AttributeValue> item) {
        LinkedHashMap<String, AttributeValue> m = new LinkedHashMap<>(4);
        m.put(hashKey, item.get(hashKey));
        if (rangeKey != null) m.put(rangeKey, item.get(rangeKey));
        return m;
    }

    Index index(String indexName) {
        for (Index i : indexes) if (i.name.equals(indexName)) return i;
        return null;
    }

    List<Index> indexes() {
        return indexes;
    }
}
