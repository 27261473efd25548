package eduledger.dynamodb.engine;

import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.StoredItem;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A global or local secondary index: its definition and its entries, kept in step with the table. */
final class Index {
    final String name;
    final boolean global;
    final String hashKey;
    final String rangeKey;
    final String projectionType;
    final List<String> nonKeyAttributes;
    final Table table;
    final ConcurrentSkipListMap<Key, Map<String, AttributeValue>> entries = new ConcurrentSkipListMap<>();
    /** The same entries in descending key order, as {@link Table#itemsDescending} and for the same reason. */
    final ConcurrentSkipListMap<Key, Map<String, AttributeValue>> entriesDescending =
            new ConcurrentSkipListMap<>(Comparator.reverseOrder());

    volatile String status = "ACTIVE";
    volatile boolean backfilling;
    long readCapacity;
    long writeCapacity;

    Index(
            Table table,
            String name,
            boolean global,
            String hashKey,
            String rangeKey,
            String projectionType,
            List<String> nonKeyAttributes) {
        this.table = table;
        this.name = name;
        this.global = global;
        this.hashKey = hashKey;
        this.rangeKey = rangeKey;
        this.projectionType = projectionType;
        this.nonKeyAttributes = nonKeyAttributes;
    }

    /** The entry's position, or null when the item lacks an index key attribute (a sparse index). */
    Key keyOf(Map<String, AttributeValue> item, Key primary) {
        AttributeValue h = item.get(hashKey);
        if (h == null) return null;
        AttributeValue r = null;
        if (rangeKey != null) {
            r = item.get(rangeKey);
            if (r == null) return null;
        }
        return Key.index(h, r, primary);
    }

    Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
        if ("ALL".equals(projectionType)) return item;
        LinkedHashMap<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            String n = e.getKey();
            if (n.equals(table.hashKey)
                    || n.equals(table.rangeKey)
                    || n.equals(hashKey)
                    || n.equals(rangeKey)
                    || ("INCLUDE".equals(projectionType) && nonKeyAttributes != null && nonKeyAttributes.contains(n))) {
                out.put(n, e.getValue());
            }
        }
        return out;
    }

    boolean projects(String attribute) {
        return "ALL".equals(projectionType)
                || attribute.equals(table.hashKey)
                || attribute.equals(table.rangeKey)
                || attribute.equals(hashKey)
                || attribute.equals(rangeKey)
                || (nonKeyAttributes != null && nonKeyAttributes.contains(attribute));
    }

    void apply(Key primary, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        Key was = before == null ? null : keyOf(before, primary);
        Key now = after == null ? null : keyOf(after, primary);
        if (was != null && !was.equals(now)) remove(was);
        if (now != null) put(now, project(after));
    }

    void put(Key key, Map<String, AttributeValue> entry) {
        Map<String, AttributeValue> stored = StoredItem.of(entry);
        entries.put(key, stored);
        entriesDescending.put(key, stored);
    }

    void remove(Key key) {
        entries.remove(key);
        entriesDescending.remove(key);
    }

    String arn() {
        return table.arn + "/index/" + name;
    }
}
