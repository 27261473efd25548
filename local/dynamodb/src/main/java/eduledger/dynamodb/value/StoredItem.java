package eduledger.dynamodb.value;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An item as a table or index holds it: attributes that no write changes once stored (a write
 * stores a new item in its place), and so a size that is worked out once. Every read counts the
 * sizes of the items it reads, against its page's 1 MB and for the capacity it consumed, and
 * counting them afresh each time was a fifth of the engine's time under a read-heavy load.
 */
public final class StoredItem extends AbstractMap<String, AttributeValue> {
    private final Map<String, AttributeValue> attributes;
    /** {@link Values#itemSize}, or -1 until first asked for; two threads asking at once both get it right. */
    private int size = -1;

    private StoredItem(Map<String, AttributeValue> attributes) {
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    /**
     * {@code item} as it is stored from now on. The caller hands it over: it must not change it
     * afterwards, which the engine's writes never do (each builds its item anew).
     */
    public static Map<String, AttributeValue> of(Map<String, AttributeValue> item) {
        return item instanceof StoredItem ? item : new StoredItem(item);
    }

    /** The item's size as DynamoDB counts it (see {@link Values#itemSize}). */
    long itemSize() {
        int known = size;
        if (known < 0) {
            // An item is at most 400 KB (index entries are smaller still), so its size fits an int.
            known = (int) Values.measure(attributes);
            size = known;
        }
        return known;
    }

    @Override
    public Set<Entry<String, AttributeValue>> entrySet() {
        return attributes.entrySet();
    }

    @Override
    public AttributeValue get(Object name) {
        return attributes.get(name);
    }

    @Override
    public boolean containsKey(Object name) {
        return attributes.containsKey(name);
    }

    @Override
    public int size() {
        return attributes.size();
    }

    @Override
    public boolean isEmpty() {
        return attributes.isEmpty();
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super AttributeValue> action) {
        attributes.forEach(action);
    }
}
