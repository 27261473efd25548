package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed update: its actions, applied as DynamoDB applies them. Every right-hand side is evaluated
 * against the item as it was before the update; the paths are pairwise disjoint (checked at parse time),
 * so the only ordering that matters is that list elements are removed deepest first and, within one
 * list, from the highest index down, so that every REMOVE addresses the element its index named.
 */
final class UpdatePlan implements Update {
    enum Kind {
        SET,
        REMOVE,
        ADD,
        DELETE
    }

    record Action(Kind kind, Path path, Operand value) {}

    private final List<Action> actions;
    private final Set<String> topLevel;
    private final List<List<Action>> removalGroups;

    UpdatePlan(List<Action> actions) {
        this.actions = List.copyOf(actions);
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Action action : actions) names.add(action.path().topLevel());
        this.topLevel = Collections.unmodifiableSet(names);
        this.removalGroups = orderRemovals(actions);
    }

    @Override
    public Set<String> topLevelAttributes() {
        return topLevel;
    }

    @Override
    public Set<String> nestedAttributes() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (Action action : actions) {
            if (!action.path().isTopLevel()) names.add(action.path().topLevel());
            if (action.value() != null) collectNested(action.value(), names);
        }
        return Collections.unmodifiableSet(names);
    }

    private static void collectNested(Operand operand, Set<String> names) {
        if (operand instanceof Operand.PathRef p) {
            if (!p.path().isTopLevel()) names.add(p.path().topLevel());
        } else if (operand instanceof Operand.Arithmetic a) {
            collectNested(a.left(), names);
            collectNested(a.right(), names);
        } else if (operand instanceof Operand.IfNotExists i) {
            if (!i.path().isTopLevel()) names.add(i.path().topLevel());
            collectNested(i.fallback(), names);
        } else if (operand instanceof Operand.ListAppend l) {
            collectNested(l.first(), names);
            collectNested(l.second(), names);
        } else if (operand instanceof Operand.Size s) {
            collectNested(s.subject(), names);
        }
    }

    @Override
    public Projection updatedPaths() {
        List<Path> paths = new ArrayList<>(actions.size());
        for (Action action : actions) paths.add(action.path());
        return new PathProjection(paths);
    }

    @Override
    public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        List<AttributeValue> setValues = new ArrayList<>();
        for (Action action : actions) {
            if (action.kind() == Kind.SET) setValues.add(Operand.require(action.value(), item));
        }
        Map<String, AttributeValue> result = new LinkedHashMap<>(item);
        int next = 0;
        for (Action action : actions) {
            switch (action.kind()) {
                case SET -> setAt(result, action.path(), setValues.get(next++));
                case ADD -> add(result, action.path(), action.value().eval(item));
                case DELETE -> delete(result, action.path(), action.value().eval(item));
                default -> {}
            }
        }
        for (List<Action> group : removalGroups) {
            for (Action action : group) removeAt(result, action.path());
        }
        return result;
    }

    /** REMOVE actions, deepest paths first; among those indexing one list, highest index first. */
    private static List<List<Action>> orderRemovals(List<Action> actions) {
        TreeMap<Integer, List<Action>> byDepth = new TreeMap<>(Collections.reverseOrder());
        for (Action action : actions) {
            if (action.kind() == Kind.REMOVE)
                byDepth.computeIfAbsent(action.path().size(), d -> new ArrayList<>())
                        .add(action);
        }
        List<List<Action>> groups = new ArrayList<>();
        for (List<Action> sameDepth : byDepth.values()) {
            List<Action> ordered = new ArrayList<>(sameDepth);
            ordered.sort((a, b) -> {
                Object x = a.path().element(a.path().size() - 1);
                Object y = b.path().element(b.path().size() - 1);
                if (x instanceof Integer i && y instanceof Integer j) return Integer.compare(j, i);
                if (x instanceof Integer) return 1;
                if (y instanceof Integer) return -1;
                return 0;
            });
            groups.add(ordered);
        }
        return groups;
    }

    // ---------------------------------------------------------------- document edits

    /** Writes {@code value} at {@code path}; a list index past the end appends. */
    static void setAt(Map<String, AttributeValue> item, Path path, AttributeValue value) {
        String top = path.topLevel();
        if (path.isTopLevel()) {
            item.put(top, value);
            return;
        }
        AttributeValue container = item.get(top);
        if (container == null) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
        item.put(top, setIn(container, path, 1, value));
    }

    private static AttributeValue setIn(AttributeValue container, Path path, int i, AttributeValue value) {
        Object element = path.element(i);
        boolean last = i == path.size() - 1;
        if (element instanceof String name) {
            if (!(container instanceof AttributeValue.MapValue m)) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
            AttributeValue replacement;
            if (last) {
                replacement = value;
            } else {
                AttributeValue child = m.values().get(name);
                if (child == null) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
                replacement = setIn(child, path, i + 1, value);
            }
            LinkedHashMap<String, AttributeValue> copy = new LinkedHashMap<>(m.values());
            copy.put(name, replacement);
            return new AttributeValue.MapValue(copy);
        }
        int index = (Integer) element;
        if (!(container instanceof AttributeValue.ListValue l)) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
        List<AttributeValue> copy = new ArrayList<>(l.values());
        if (last) {
            if (index < copy.size()) {
                copy.set(index, value);
            } else {
                copy.add(value);
            }
        } else {
            if (index >= copy.size()) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
            copy.set(index, setIn(copy.get(index), path, i + 1, value));
        }
        return new AttributeValue.ListValue(copy);
    }

    /** Removes what {@code path} names; removing what is not there changes nothing, but the parent must exist. */
    static void removeAt(Map<String, AttributeValue> item, Path path) {
        String top = path.topLevel();
        if (path.isTopLevel()) {
            item.remove(top);
            return;
        }
        AttributeValue container = item.get(top);
        if (container == null) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
        AttributeValue replaced = removeIn(container, path, 1);
        if (replaced != container) item.put(top, replaced);
    }

    private static AttributeValue removeIn(AttributeValue container, Path path, int i) {
        Object element = path.element(i);
        boolean last = i == path.size() - 1;
        if (element instanceof String name) {
            if (!(container instanceof AttributeValue.MapValue m)) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
            AttributeValue child = m.values().get(name);
            if (child == null) {
                if (last) return container;
                throw Errors.validation(Errors.INVALID_UPDATE_PATH);
            }
            LinkedHashMap<String, AttributeValue> copy = new LinkedHashMap<>(m.values());
            if (last) {
                copy.remove(name);
            } else {
                AttributeValue replaced = removeIn(child, path, i + 1);
                if (replaced == child) return container;
                copy.put(name, replaced);
            }
            return new AttributeValue.MapValue(copy);
        }
        int index = (Integer) element;
        if (!(container instanceof AttributeValue.ListValue l)) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
        if (index >= l.values().size()) {
            if (last) return container;
            throw Errors.validation(Errors.INVALID_UPDATE_PATH);
        }
        List<AttributeValue> copy = new ArrayList<>(l.values());
        if (last) {
            copy.remove(index);
        } else {
            AttributeValue child = copy.get(index);
            AttributeValue replaced = removeIn(child, path, i + 1);
            if (replaced == child) return container;
            copy.set(index, replaced);
        }
        return new AttributeValue.ListValue(copy);
    }

    /** ADD: numbers are summed, sets united; a missing attribute takes the operand. Lists (legacy only) are appended to. */
    static void add(Map<String, AttributeValue> item, Path path, AttributeValue operand) {
        AttributeValue current = path.get(item);
        AttributeValue result;
        if (current == null) {
            result = operand;
        } else if (current instanceof AttributeValue.Num a && operand instanceof AttributeValue.Num b) {
            result = new AttributeValue.Num(Operand.checkRange(a.value().add(b.value())));
        } else if (current instanceof AttributeValue.StrSet a && operand instanceof AttributeValue.StrSet b) {
            LinkedHashSet<String> union = new LinkedHashSet<>(a.values());
            union.addAll(b.values());
            result = new AttributeValue.StrSet(union);
        } else if (current instanceof AttributeValue.NumSet a && operand instanceof AttributeValue.NumSet b) {
            LinkedHashSet<BigDecimal> union = new LinkedHashSet<>(a.values());
            union.addAll(b.values());
            result = new AttributeValue.NumSet(union);
        } else if (current instanceof AttributeValue.BinSet a && operand instanceof AttributeValue.BinSet b) {
            LinkedHashSet<AttributeValue.Bin> union = new LinkedHashSet<>(a.values());
            union.addAll(b.values());
            result = new AttributeValue.BinSet(union);
        } else if (current instanceof AttributeValue.ListValue a && operand instanceof AttributeValue.ListValue b) {
            List<AttributeValue> joined = new ArrayList<>(a.values());
            joined.addAll(b.values());
            result = new AttributeValue.ListValue(joined);
        } else {
            throw Errors.validation(Errors.INCORRECT_DATA_TYPE);
        }
        setAt(item, path, result);
    }

    /** DELETE: removes the operand's elements from a set; a set left empty is removed altogether. */
    static void delete(Map<String, AttributeValue> item, Path path, AttributeValue operand) {
        AttributeValue current = path.get(item);
        if (current == null) {
            if (!path.isTopLevel()) checkParentExists(item, path);
            return;
        }
        AttributeValue result;
        boolean empty;
        if (current instanceof AttributeValue.StrSet a && operand instanceof AttributeValue.StrSet b) {
            LinkedHashSet<String> rest = new LinkedHashSet<>(a.values());
            rest.removeAll(b.values());
            empty = rest.isEmpty();
            result = empty ? null : new AttributeValue.StrSet(rest);
        } else if (current instanceof AttributeValue.NumSet a && operand instanceof AttributeValue.NumSet b) {
            LinkedHashSet<BigDecimal> rest = new LinkedHashSet<>(a.values());
            rest.removeAll(b.values());
            empty = rest.isEmpty();
            result = empty ? null : new AttributeValue.NumSet(rest);
        } else if (current instanceof AttributeValue.BinSet a && operand instanceof AttributeValue.BinSet b) {
            LinkedHashSet<AttributeValue.Bin> rest = new LinkedHashSet<>(a.values());
            rest.removeAll(b.values());
            empty = rest.isEmpty();
            result = empty ? null : new AttributeValue.BinSet(rest);
        } else {
            throw Errors.validation(Errors.INCORRECT_DATA_TYPE);
        }
        if (empty) {
            removeAt(item, path);
        } else {
            setAt(item, path, result);
        }
    }

    private static void checkParentExists(Map<String, AttributeValue> item, Path path) {
        List<Object> parent = new ArrayList<>(path.size() - 1);
        for (int i = 0; i < path.size() - 1; i++) parent.add(path.element(i));
        AttributeValue container = new Path(parent).get(item);
        Object last = path.element(path.size() - 1);
        boolean fits = last instanceof String
                ? container instanceof AttributeValue.MapValue
                : container instanceof AttributeValue.ListValue;
        if (!fits) throw Errors.validation(Errors.INVALID_UPDATE_PATH);
    }
}
