package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A resolved document path: attribute and map-key names (placeholders already substituted) and list
 * indexes. Elements are {@link String} or {@link Integer}; the first is always a name.
 */
final class Path {
    private final Object[] elements;

    Path(List<Object> elements) {
        this.elements = elements.toArray();
    }

    Path(Object... elements) {
        this.elements = elements.clone();
    }

    int size() {
        return elements.length;
    }

    Object element(int i) {
        return elements[i];
    }

    String topLevel() {
        return (String) elements[0];
    }

    boolean isTopLevel() {
        return elements.length == 1;
    }

    /** The value at this path, or null when any step is missing or of the wrong kind. */
    AttributeValue get(Map<String, AttributeValue> item) {
        AttributeValue current = item.get((String) elements[0]);
        for (int i = 1; i < elements.length && current != null; i++) {
            current = step(current, elements[i]);
        }
        return current;
    }

    static AttributeValue step(AttributeValue container, Object element) {
        if (element instanceof String name) {
            return container instanceof AttributeValue.MapValue m ? m.values().get(name) : null;
        }
        int index = (Integer) element;
        if (container instanceof AttributeValue.ListValue l) {
            return index < l.values().size() ? l.values().get(index) : null;
        }
        return null;
    }

    /** DynamoDB's rendering in overlap and conflict messages, e.g. {@code [a, b, [1]]}. */
    String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) sb.append(", ");
            if (elements[i] instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                sb.append(elements[i]);
            }
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Path p && Arrays.equals(elements, p.elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(elements);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < elements.length; i++) {
            if (elements[i] instanceof Integer index) {
                sb.append('[').append(index).append(']');
            } else {
                if (i > 0) sb.append('.');
                sb.append(elements[i]);
            }
        }
        return sb.toString();
    }

    enum Relation {
        DISJOINT,
        OVERLAP,
        CONFLICT
    }

    /**
     * How two paths of one update or projection relate: one a prefix of the other (or equal) overlaps;
     * one indexing a list where the other names a map key, below a common prefix, conflicts.
     */
    static Relation relation(Path a, Path b) {
        int common = Math.min(a.size(), b.size());
        for (int k = 0; k < common; k++) {
            Object x = a.elements[k];
            Object y = b.elements[k];
            if (x.getClass() != y.getClass()) return Relation.CONFLICT;
            if (!x.equals(y)) return Relation.DISJOINT;
        }
        return Relation.OVERLAP;
    }
}
