package eduledger.dynamodb.engine;

import eduledger.dynamodb.Faults;
import eduledger.dynamodb.durability.Journal;
import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.expression.Condition;
import eduledger.dynamodb.expression.Expressions;
import eduledger.dynamodb.expression.KeyCondition;
import eduledger.dynamodb.expression.KeyConditionExpression;
import eduledger.dynamodb.expression.LegacyCondition;
import eduledger.dynamodb.expression.LegacyUpdate;
import eduledger.dynamodb.expression.Placeholders;
import eduledger.dynamodb.expression.Projection;
import eduledger.dynamodb.expression.Update;
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Values;
import eduledger.dynamodb.wire.Codec;
import eduledger.dynamodb.wire.Json;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * The engine's state and every operation on it. Requests arrive as parsed JSON objects and leave as
 * JSON trees; errors are {@link DynamoDbError}s. Item writes lock one stripe of a fixed lock array
 * (chosen by table and key), transactions lock all of theirs in ascending order, so no request waits
 * on a lock it does not need.
 */
public final class Database {
    static final long MAX_ITEM_SIZE = 400 * 1024;
    static final int PAGE_BYTES = 1024 * 1024;
    private static final int STRIPES = 4096;
    static final Map<String, AttributeValue> EMPTY = Collections.emptyMap();

    final ConcurrentHashMap<String, Table> tables = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<ItemRef, Object> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Idempotent> tokens = new ConcurrentHashMap<>();
    final Journal journal;
    private final boolean journaling;
    /** Writers share it; a snapshot takes it exclusively so the state it writes is one moment's. */
    private final ReentrantReadWriteLock snapshotLock = new ReentrantReadWriteLock();

    final long streamRetentionMillis;
    final int shardRecords;
    final long shardMillis;
    final Faults faults;
    /** What stream iterators' fifteen-minute lifetime is measured on. */
    final Clock iteratorClock;

    private volatile boolean replaying;

    record ItemRef(String table, Key key) {}

    private record Idempotent(String request, long createdMillis, Map<String, Object> response) {}

    public Database(
            Journal journal,
            Duration streamRetention,
            int shardRecords,
            Duration shardAge,
            Faults faults,
            Clock iteratorClock) {
        this.iteratorClock = iteratorClock;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
        this.journal = journal;
        this.journaling = journal != Journal.NONE;
        this.streamRetentionMillis = streamRetention.toMillis();
        this.shardRecords = shardRecords;
        this.shardMillis = shardAge.toMillis();
        this.faults = faults;
    }

    // ---------------------------------------------------------------- dispatch

    public Map<String, Object> handle(String op, Object body, String region) {
        Req r = new Req(body);
        switch (op) {
            case "PutItem":
                return putItem(r);
            case "GetItem":
                return getItem(r);
            case "UpdateItem":
                return updateItem(r);
            case "DeleteItem":
                return deleteItem(r);
            case "Query":
                return query(r);
            case "Scan":
                return scan(r);
            case "BatchGetItem":
                return batchGetItem(r);
            case "BatchWriteItem":
                return batchWriteItem(r);
            case "TransactWriteItems":
                return transactWriteItems(r);
            case "TransactGetItems":
                return transactGetItems(r);
            default:
                return Tables.handle(this, op, r, region);
        }
    }

    // ---------------------------------------------------------------- shared helpers

    Table table(String name) {
        Table t = tables.get(name);
        if (t == null) throw DynamoDbError.resourceNotFound("Requested resource not found");
        return t;
    }

    Table requiredTable(Req r) {
        r.tableName("TableName", "tableName", true);
        return null;
    }

    private ReentrantLock stripe(String table, Key key) {
        return stripes[(table.hashCode() * 31 + key.hashCode()) & (STRIPES - 1)];
    }

    private int stripeIndex(String table, Key key) {
        return (table.hashCode() * 31 + key.hashCode()) & (STRIPES - 1);
    }

    private void checkNotInTransaction(Table t, Key k) {
        if (!inFlight.isEmpty() && inFlight.containsKey(new ItemRef(t.name, k)))
            throw DynamoDbError.of(400, "TransactionConflictException", "Transaction is ongoing for the item");
    }

    /** Validates a key given as a request's Key: exactly the schema's attributes, of their types. */
    Key key(Table t, Map<String, AttributeValue> key) {
        if (key == null) throw DynamoDbError.validation("The provided key element does not match the schema");
        int expected = t.rangeKey == null ? 1 : 2;
        AttributeValue h = key.get(t.hashKey);
        AttributeValue s = t.rangeKey == null ? null : key.get(t.rangeKey);
        if (key.size() != expected
                || h == null
                || (t.rangeKey != null && s == null)
                || !h.type().equals(t.attributeTypes.get(t.hashKey))
                || (s != null && !s.type().equals(t.attributeTypes.get(t.rangeKey)))) {
            throw DynamoDbError.validation("The provided key element does not match the schema");
        }
        checkKeyValue(t.hashKey, h, true);
        if (s != null) checkKeyValue(t.rangeKey, s, false);
        return Key.of(h, s);
    }

    private static void checkKeyValue(String name, AttributeValue v, boolean partition) {
        long size;
        if (v instanceof AttributeValue.Str str) {
            if (str.value().isEmpty())
                throw DynamoDbError.validation(
                        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: "
                                + name);
            size = Values.utf8Length(str.value());
        } else if (v instanceof AttributeValue.Bin b) {
            if (b.length() == 0)
                throw DynamoDbError.validation(
                        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: "
                                + name);
            size = b.length();
        } else {
            return;
        }
        if (partition && size > 2048)
            throw Req.invalid("Size of hashkey has exceeded the maximum size limit of2048 bytes");
        if (!partition && size > 1024)
            throw Req.invalid("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    }

    /** Validates a whole item for a put: keys present and typed, index keys typed, size within limits. */
    Key itemKey(Table t, Map<String, AttributeValue> item) {
        if (item == null)
            throw DynamoDbError.validation(
                    "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
        AttributeValue h = item.get(t.hashKey);
        if (h == null) throw Req.invalid("Missing the key " + t.hashKey + " in the item");
        String ht = t.attributeTypes.get(t.hashKey);
        if (!h.type().equals(ht))
            throw Req.invalid("Type mismatch for key " + t.hashKey + " expected: " + ht + " actual: " + h.type());
        AttributeValue s = null;
        if (t.rangeKey != null) {
            s = item.get(t.rangeKey);
            if (s == null) throw Req.invalid("Missing the key " + t.rangeKey + " in the item");
            String st = t.attributeTypes.get(t.rangeKey);
            if (!s.type().equals(st))
                throw Req.invalid("Type mismatch for key " + t.rangeKey + " expected: " + st + " actual: " + s.type());
        }
        checkKeyValue(t.hashKey, h, true);
        if (s != null) checkKeyValue(t.rangeKey, s, false);
        checkIndexKeys(t, item);
        if (Values.itemSize(item) > MAX_ITEM_SIZE)
            throw DynamoDbError.validation("Item size has exceeded the maximum allowed size");
        return Key.of(h, s);
    }

    static void checkIndexKeys(Table t, Map<String, AttributeValue> item) {
        for (Index i : t.indexes) {
            checkIndexKey(t, i, i.hashKey, item);
            if (i.rangeKey != null) checkIndexKey(t, i, i.rangeKey, item);
        }
    }

    private static void checkIndexKey(Table t, Index i, String attr, Map<String, AttributeValue> item) {
        AttributeValue v = item.get(attr);
        if (v == null) return;
        String type = t.attributeTypes.get(attr);
        if (!v.type().equals(type))
            throw Req.invalid("Type mismatch for Index Key " + attr + " Expected: " + type + " Actual: " + v.type()
                    + " IndexName: " + i.name);
        if ((v instanceof AttributeValue.Str s && s.value().isEmpty())
                || (v instanceof AttributeValue.Bin b && b.length() == 0))
            throw DynamoDbError.validation(
                    "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty "
                            + (v instanceof AttributeValue.Str ? "string" : "binary") + " value. IndexName: " + i.name
                            + ", IndexKey: " + attr);
    }

    /** Makes a write visible: table, indexes, stream. The caller holds the item's stripe. */
    void apply(
            Table t,
            Key k,
            Map<String, AttributeValue> before,
            Map<String, AttributeValue> after,
            boolean byTtl,
            long now) {
        apply(t, k, before, after, byTtl, now, null);
    }

    /**
     * As above; with a journal, a write's stream record was numbered and journaled with it beforehand
     * ({@code prepared}) and is only made visible here.
     */
    private void apply(
            Table t,
            Key k,
            Map<String, AttributeValue> before,
            Map<String, AttributeValue> after,
            boolean byTtl,
            long now,
            Stream.Prepared prepared) {
        if (after == null) {
            if (before == null) return;
            t.remove(k);
        } else {
            // the table and its indexes hold one stored copy, whose size is then counted once
            after = t.put(k, after);
        }
        for (Index i : t.indexes) i.apply(k, before, after);
        Stream s = t.stream;
        if (prepared != null) {
            s.commit(prepared);
        } else if (!journaling && s != null && s.enabled && changes(before, after)) {
            // with a journal, records are prepared before the write is journaled and replay restores them
            Map<String, Object> record = streamRecord(t, s, k, before, after, byTtl, now);
            s.append(record, dynamodbOf(record), now);
        }
    }

    private static boolean changes(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return before == null || after == null || !before.equals(after);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dynamodbOf(Map<String, Object> record) {
        return (Map<String, Object>) record.get("dynamodb");
    }

    private Map<String, Object> streamRecord(
            Table t,
            Stream s,
            Key k,
            Map<String, AttributeValue> before,
            Map<String, AttributeValue> after,
            boolean byTtl,
            long now) {
        LinkedHashMap<String, Object> dynamodb = new LinkedHashMap<>();
        dynamodb.put("ApproximateCreationDateTime", BigDecimal.valueOf(now / 1000));
        Map<String, AttributeValue> keys = t.keyAttributes(k);
        dynamodb.put("Keys", keys);
        long size = Values.itemSize(keys);
        String view = s.viewType;
        if (after != null && (view.equals("NEW_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))) {
            dynamodb.put("NewImage", after);
            size += Values.itemSize(after);
        }
        if (before != null && (view.equals("OLD_IMAGE") || view.equals("NEW_AND_OLD_IMAGES"))) {
            dynamodb.put("OldImage", before);
            size += Values.itemSize(before);
        }
        dynamodb.put("SequenceNumber", null);
        dynamodb.put("SizeBytes", size);
        dynamodb.put("StreamViewType", view);
        LinkedHashMap<String, Object> record = new LinkedHashMap<>();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        record.put("eventID", Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()));
        record.put("eventName", before == null ? "INSERT" : after == null ? "REMOVE" : "MODIFY");
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", t.region);
        record.put("dynamodb", dynamodb);
        if (byTtl) record.put("userIdentity", Json.object("Type", "Service", "PrincipalId", "dynamodb.amazonaws.com"));
        return record;
    }

    /** One item write: {@code after} null deletes. */
    record Write(
            Table table,
            Key key,
            Map<String, AttributeValue> before,
            Map<String, AttributeValue> after,
            boolean byTtl) {}

    /**
     * Journals writes as one record, together with the stream records they produce, then makes them
     * visible. The caller holds the items' stripes. The streams involved are held (in ARN order, so two
     * writers never wait on each other) from numbering their records until they are visible, so the
     * journal and every stream see the records in sequence order, and a replay restores the same stream.
     */
    private void write(List<Write> writes, long now) {
        if (!journaling || replaying) {
            for (Write w : writes) apply(w.table, w.key, w.before, w.after, w.byTtl, now, null);
            return;
        }
        TreeMap<String, Stream> held = new TreeMap<>();
        for (Write w : writes) {
            Stream s = w.table.stream;
            if (s != null && s.enabled && changes(w.before, w.after)) held.put(s.arn, s);
        }
        for (Stream s : held.values()) s.order.lock();
        try {
            List<Stream.Prepared> prepared = new ArrayList<>(writes.size());
            ArrayList<Object> w = new ArrayList<>(writes.size());
            ArrayList<Object> r = new ArrayList<>();
            for (Write x : writes) {
                Stream s = x.table.stream;
                Stream.Prepared p = null;
                if (s != null && held.containsKey(s.arn)) {
                    Map<String, Object> record = streamRecord(x.table, s, x.key, x.before, x.after, x.byTtl, now);
                    p = s.prepare(record, dynamodbOf(record), now);
                    if (p != null) r.add(journaled(s, p));
                }
                prepared.add(p);
                w.add(
                        x.after == null
                                ? Json.object("t", x.table.name, "k", x.table.keyAttributes(x.key))
                                : Json.object("t", x.table.name, "i", x.after));
            }
            Map<String, Object> record = Json.object("op", "W", "w", w);
            if (!r.isEmpty()) record.put("r", r);
            journal.append(Json.write(record));
            for (int i = 0; i < writes.size(); i++) {
                Write x = writes.get(i);
                apply(x.table, x.key, x.before, x.after, x.byTtl, now, prepared.get(i));
            }
        } finally {
            for (Stream s : held.descendingMap().values()) {
                s.settle();
                s.order.unlock();
            }
        }
    }

    private void write(
            Table t,
            Key k,
            Map<String, AttributeValue> before,
            Map<String, AttributeValue> after,
            boolean byTtl,
            long now) {
        write(List.of(new Write(t, k, before, after, byTtl)), now);
    }

    private static Map<String, Object> journaled(Stream s, Stream.Prepared p) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("a", s.arn);
        m.put("sh", p.shardId());
        if (p.closes() >= 0) m.put("e", p.closes());
        m.put("sc", p.shardCreatedMillis());
        m.put("s", p.record().sequence);
        m.put("c", p.record().createdMillis);
        m.put("b", p.record().body);
        return m;
    }

    @SuppressWarnings("unchecked")
    private void replayStreamRecord(Map<String, Object> m) {
        Stream s = streams.get((String) m.get("a"));
        if (s == null) return;
        long seq = ((BigDecimal) m.get("s")).longValue();
        long closes = m.get("e") == null ? -1 : ((BigDecimal) m.get("e")).longValue();
        Stream.SEQUENCE.accumulateAndGet(Math.max(seq, closes), Math::max);
        s.commit(new Stream.Prepared(
                new Stream.Record(seq, ((BigDecimal) m.get("c")).longValue(), (Map<String, Object>) m.get("b")),
                (String) m.get("sh"),
                closes,
                ((BigDecimal) m.get("sc")).longValue()));
    }

    void journalRecord(Map<String, Object> record) {
        if (!journaling || replaying) return;
        journal.append(Json.write(record));
    }

    void writeLock() {
        if (journaling) snapshotLock.readLock().lock();
    }

    void writeUnlock() {
        if (journaling) snapshotLock.readLock().unlock();
    }

    // ---------------------------------------------------------------- capacity

    static Object capacity(String mode, Table t, double units, boolean write, Map<String, Double> indexUnits) {
        if (mode == null || mode.equals("NONE")) return null;
        double total = units;
        if (indexUnits != null) for (double d : indexUnits.values()) total += d;
        LinkedHashMap<String, Object> c = new LinkedHashMap<>();
        c.put("TableName", t.name);
        c.put("CapacityUnits", total);
        c.put(write ? "WriteCapacityUnits" : "ReadCapacityUnits", total);
        if (mode.equals("INDEXES")) {
            c.put(
                    "Table",
                    Json.object("CapacityUnits", units, write ? "WriteCapacityUnits" : "ReadCapacityUnits", units));
            if (indexUnits != null && !indexUnits.isEmpty()) {
                LinkedHashMap<String, Object> g = new LinkedHashMap<>();
                LinkedHashMap<String, Object> l = new LinkedHashMap<>();
                for (Map.Entry<String, Double> e : indexUnits.entrySet()) {
                    Index i = t.index(e.getKey());
                    (i != null && !i.global ? l : g)
                            .put(
                                    e.getKey(),
                                    Json.object(
                                            "CapacityUnits",
                                            e.getValue(),
                                            write ? "WriteCapacityUnits" : "ReadCapacityUnits",
                                            e.getValue()));
                }
                if (!g.isEmpty()) c.put("GlobalSecondaryIndexes", g);
                if (!l.isEmpty()) c.put("LocalSecondaryIndexes", l);
            }
        }
        return c;
    }

    static double writeUnits(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        long size = Math.max(before == null ? 0 : Values.itemSize(before), after == null ? 0 : Values.itemSize(after));
        return Math.max(1, (size + 1023) / 1024);
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    private static Map<String, Double> indexWriteUnits(
            Table t, Key k, Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        if (t.indexes.isEmpty()) return null;
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        for (Index i : t.indexes) {
            boolean was = before != null && i.keyOf(before, k) != null;
            boolean now = after != null && i.keyOf(after, k) != null;
            if (was || now) m.put(i.name, (was && now && !i.keyOf(before, k).equals(i.keyOf(after, k))) ? 2.0 : 1.0);
        }
        return m;
    }

    // ---------------------------------------------------------------- request checks

    static void commonChecks(Req r) {
        r.enumValue("ReturnConsumedCapacity", "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        r.enumValue("ReturnItemCollectionMetrics", "returnItemCollectionMetrics", "SIZE", "NONE");
    }

    /** The placeholders of a request, refusing empty maps and placeholders without expressions as DynamoDB does. */
    static Placeholders placeholders(Req r, String nullExpressions) {
        Map<String, String> names = r.names();
        Map<String, AttributeValue> values = r.values();
        Placeholders ph = new Placeholders(names, values);
        ph.validateMaps();
        if (nullExpressions != null) {
            if (values != null)
                throw DynamoDbError.validation(
                        "ExpressionAttributeValues can only be specified when using expressions: " + nullExpressions);
            if (names != null)
                throw DynamoDbError.validation("ExpressionAttributeNames can only be specified when using expressions");
        }
        return ph;
    }

    static void mixed(Req r, String[] legacy, String[] expressions) {
        List<String> l = new ArrayList<>();
        List<String> e = new ArrayList<>();
        for (String s : legacy) if (r.has(s)) l.add(s);
        for (String s : expressions) if (r.has(s)) e.add(s);
        if (!l.isEmpty() && !e.isEmpty())
            throw DynamoDbError.validation(
                    "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {"
                            + String.join(", ", l) + "} Expression parameters: {" + String.join(", ", e) + "}");
    }

    static String nullList(List<String> names) {
        if (names.size() == 1) return names.get(0) + " is null";
        if (names.size() == 2) return names.get(0) + " and " + names.get(1) + " are null";
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)
                + " are null";
    }

    static Condition condition(Req r, Placeholders ph) {
        String text = r.string("ConditionExpression");
        if (text != null) return Expressions.condition("ConditionExpression", text, ph);
        Map<String, LegacyCondition> expected = r.legacyConditions("Expected");
        if (expected != null) return Expressions.legacyCondition("Expected", expected, r.string("ConditionalOperator"));
        return null;
    }

    static Projection projection(Req r, Placeholders ph) {
        String text = r.string("ProjectionExpression");
        if (text != null) return Expressions.projection(text, ph);
        List<String> attrs = Codec.strings(r.body.get("AttributesToGet"));
        if (attrs != null) {
            if (new HashSet<>(attrs).size() != attrs.size())
                throw Req.invalid("Duplicate value in attribute name: " + firstDuplicate(attrs));
            return Expressions.attributesToGet(attrs);
        }
        return null;
    }

    private static String firstDuplicate(List<String> l) {
        Set<String> seen = new HashSet<>();
        for (String s : l) if (!seen.add(s)) return s;
        return "";
    }

    static void checkUsed(Placeholders ph) {
        if (ph.names() != null || ph.values() != null) ph.checkAllUsed();
    }

    /** ConditionalCheckFailedException, with the item when the request asked for it. */
    static DynamoDbError conditionFailed(Req r, Map<String, AttributeValue> old) {
        if ("ALL_OLD".equals(r.string("ReturnValuesOnConditionCheckFailure")) && old != null)
            return new DynamoDbError.WithBody(
                    400, "ConditionalCheckFailedException", "The conditional request failed", Json.object("Item", old));
        return DynamoDbError.conditionalCheckFailed("The conditional request failed");
    }

    // ---------------------------------------------------------------- single-item operations

    /**
     * The checks PutItem, UpdateItem and DeleteItem make of a request before reading it, in the order
     * DynamoDB reports them; {@code member} is the item or key the operation must name.
     *
     * @param allOldOnly PutItem and DeleteItem accept only ALL_OLD and NONE as ReturnValues
     */
    private static void checkWriteRequest(Req r, String member, boolean allOldOnly) {
        r.tableName("TableName", "tableName", true);
        if (!r.has(member)) {
            String field = Character.toLowerCase(member.charAt(0)) + member.substring(1);
            r.error("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
        }
        r.enumValue("ReturnValues", "returnValues", "ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW");
        commonChecks(r);
        r.enumValue("ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE");
        r.check();
        String rv = r.string("ReturnValues");
        if (allOldOnly && rv != null && !rv.equals("NONE") && !rv.equals("ALL_OLD"))
            throw DynamoDbError.validation("ReturnValues can only be ALL_OLD or NONE");
    }

    /** One item before and after a single-item write; {@code after} is null once deleted. */
    private record Written(Map<String, AttributeValue> old, Map<String, AttributeValue> after) {}

    /**
     * Writes one item under its key's lock: no transaction may hold the key, the condition is
     * checked against the item as it is, and {@code change} makes the new item of it (null
     * deletes). A write that leaves the item as it was is not written, so it makes no stream
     * record, except a put, which DynamoDB always writes.
     */
    private Written writeOne(
            Req r, Table t, Key k, Condition cond, boolean always, UnaryOperator<Map<String, AttributeValue>> change) {
        long now = System.currentTimeMillis();
        ReentrantLock lock = stripe(t.name, k);
        writeLock();
        lock.lock();
        try {
            checkNotInTransaction(t, k);
            Map<String, AttributeValue> old = t.items.get(k);
            if (cond != null && !cond.test(old == null ? EMPTY : old)) throw conditionFailed(r, old);
            Map<String, AttributeValue> after = change.apply(old);
            if (always || !Objects.equals(old, after)) {
                write(t, k, old, after, false, now);
            }
            return new Written(old, after);
        } finally {
            lock.unlock();
            writeUnlock();
        }
    }

    /** The answer of a single-item write: its attributes (already in {@code out}), capacity and metrics. */
    private Map<String, Object> writeAnswer(Req r, Table t, Key k, Written w, LinkedHashMap<String, Object> out) {
        Object cc = capacity(
                r.string("ReturnConsumedCapacity"),
                t,
                writeUnits(w.old(), w.after()),
                true,
                indexWriteUnits(t, k, w.old(), w.after()));
        if (cc != null) out.put("ConsumedCapacity", cc);
        if ("SIZE".equals(r.string("ReturnItemCollectionMetrics")) && hasLsi(t))
            out.put("ItemCollectionMetrics", collectionMetrics(t, k));
        return out;
    }

    private Map<String, Object> putItem(Req r) {
        checkWriteRequest(r, "Item", true);
        mixed(r, new String[] {"Expected"}, new String[] {"ConditionExpression"});
        Placeholders ph = placeholders(r, r.has("ConditionExpression") ? null : "ConditionExpression is null");
        Map<String, AttributeValue> item = r.item("Item");
        Table t = table(r.string("TableName"));
        Condition cond = condition(r, ph);
        checkUsed(ph);
        Key k = itemKey(t, item);
        return allOldAnswer(r, t, k, writeOne(r, t, k, cond, true, old -> item));
    }

    /** The answer of a PutItem or DeleteItem, whose only ReturnValues is the item as it was. */
    private Map<String, Object> allOldAnswer(Req r, Table t, Key k, Written w) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if ("ALL_OLD".equals(r.string("ReturnValues")) && w.old() != null) out.put("Attributes", w.old());
        return writeAnswer(r, t, k, w, out);
    }

    static boolean hasLsi(Table t) {
        for (Index i : t.indexes) if (!i.global) return true;
        return false;
    }

    Map<String, Object> collectionMetrics(Table t, Key k) {
        long size = 0;
        for (Map<String, AttributeValue> it : partition(t.items, k.partition).values()) size += Values.itemSize(it);
        double gb = size / (1024.0 * 1024 * 1024);
        return Json.object(
                "ItemCollectionKey", Map.of(t.hashKey, k.partition), "SizeEstimateRangeGB", List.of(gb, gb + 1));
    }

    static NavigableMap<Key, Map<String, AttributeValue>> partition(
            NavigableMap<Key, Map<String, AttributeValue>> map, AttributeValue p) {
        return map.subMap(Key.sortBound(p, null, -1, 0), true, Key.sortBound(p, null, 1, 0), true);
    }

    private Map<String, Object> getItem(Req r) {
        r.tableName("TableName", "tableName", true);
        if (!r.has("Key")) r.error("Value null at 'key' failed to satisfy constraint: Member must not be null");
        commonChecks(r);
        r.check();
        mixed(r, new String[] {"AttributesToGet"}, new String[] {"ProjectionExpression"});
        Placeholders ph = placeholders(r, r.has("ProjectionExpression") ? null : "ProjectionExpression is null");
        Map<String, AttributeValue> keyMap = r.item("Key");
        Table t = table(r.string("TableName"));
        Projection p = projection(r, ph);
        checkUsed(ph);
        Key k = key(t, keyMap);
        Map<String, AttributeValue> item = t.items.get(k);
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (item != null) out.put("Item", p == null ? item : p.project(item));
        boolean consistent = Boolean.TRUE.equals(r.bool("ConsistentRead"));
        Object cc = capacity(
                r.string("ReturnConsumedCapacity"),
                t,
                readUnits(item == null ? 0 : Values.itemSize(item), consistent),
                false,
                null);
        if (cc != null) out.put("ConsumedCapacity", cc);
        return out;
    }

    private Map<String, Object> deleteItem(Req r) {
        checkWriteRequest(r, "Key", true);
        mixed(r, new String[] {"Expected"}, new String[] {"ConditionExpression"});
        Placeholders ph = placeholders(r, r.has("ConditionExpression") ? null : "ConditionExpression is null");
        Map<String, AttributeValue> keyMap = r.item("Key");
        Table t = table(r.string("TableName"));
        Condition cond = condition(r, ph);
        checkUsed(ph);
        Key k = key(t, keyMap);
        return allOldAnswer(r, t, k, writeOne(r, t, k, cond, false, old -> null));
    }

    static Update update(Req r, Placeholders ph, Table t) {
        String text = r.string("UpdateExpression");
        Update u = null;
        if (text != null) u = Expressions.update(text, ph);
        else {
            Map<String, LegacyUpdate> legacy = r.legacyUpdates("AttributeUpdates");
            if (legacy != null) {
                for (String name : legacy.keySet()) {
                    if (name.equals(t.hashKey) || name.equals(t.rangeKey))
                        throw Req.invalid("Cannot update attribute " + name + ". This attribute is part of the key");
                }
                u = Expressions.legacyUpdate(legacy);
            }
        }
        if (u != null) {
            for (String name : u.topLevelAttributes()) {
                if (name.equals(t.hashKey) || name.equals(t.rangeKey))
                    throw Req.invalid("Cannot update attribute " + name + ". This attribute is part of the key");
            }
            for (String name : u.nestedAttributes()) {
                for (Index i : t.indexes) {
                    if (name.equals(i.hashKey) || name.equals(i.rangeKey))
                        throw Req.invalid(
                                "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: "
                                        + name);
                }
            }
        }
        return u;
    }

    /** Applies an update to the current item (or the bare key), validating the result as a put would be. */
    static Map<String, AttributeValue> updated(Table t, Key k, Map<String, AttributeValue> old, Update u) {
        Map<String, AttributeValue> base = old != null ? old : t.keyAttributes(k);
        Map<String, AttributeValue> after = u == null ? base : u.apply(base);
        if (after != base) {
            checkIndexKeys(t, after);
            if (Values.itemSize(after) > MAX_ITEM_SIZE)
                throw DynamoDbError.validation("Item size to update has exceeded the maximum allowed size");
        }
        return after;
    }

    private Map<String, Object> updateItem(Req r) {
        checkWriteRequest(r, "Key", false);
        String rv = r.string("ReturnValues");
        mixed(r, new String[] {"AttributeUpdates", "Expected"}, new String[] {"UpdateExpression", "ConditionExpression"
        });
        List<String> nulls = new ArrayList<>();
        if (!r.has("UpdateExpression")) nulls.add("UpdateExpression");
        if (!r.has("ConditionExpression")) nulls.add("ConditionExpression");
        Placeholders ph = placeholders(r, nulls.size() == 2 ? nullList(nulls) : null);
        Map<String, AttributeValue> keyMap = r.item("Key");
        Table t = table(r.string("TableName"));
        Update u = update(r, ph, t);
        Condition cond = condition(r, ph);
        checkUsed(ph);
        Key k = key(t, keyMap);
        Written w = writeOne(r, t, k, cond, false, old -> updated(t, k, old, u));
        Map<String, AttributeValue> old = w.old();
        Map<String, AttributeValue> after = w.after();
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (rv != null && !rv.equals("NONE")) {
            Map<String, AttributeValue> attrs = null;
            switch (rv) {
                case "ALL_OLD":
                    attrs = old;
                    break;
                case "ALL_NEW":
                    attrs = after;
                    break;
                case "UPDATED_OLD":
                    attrs = old == null || u == null ? null : u.updatedPaths().project(old);
                    break;
                case "UPDATED_NEW":
                    attrs = u == null ? null : u.updatedPaths().project(after);
                    break;
                default:
                    break;
            }
            if (attrs != null && !attrs.isEmpty()) out.put("Attributes", attrs);
        }
        return writeAnswer(r, t, k, w, out);
    }

    // ---------------------------------------------------------------- query and scan

    private record Target(
            Table table,
            Index index,
            String hashKey,
            String rangeKey,
            NavigableMap<Key, Map<String, AttributeValue>> map,
            NavigableMap<Key, Map<String, AttributeValue>> descending) {}

    private Target target(Req r, Table t, boolean query) {
        String indexName = r.string("IndexName");
        Index idx = null;
        if (indexName != null) {
            idx = t.index(indexName);
            if (idx == null)
                throw DynamoDbError.validation("The table does not have the specified index: " + indexName);
            if (idx.global && Boolean.TRUE.equals(r.bool("ConsistentRead")))
                throw DynamoDbError.validation("Consistent reads are not supported on global secondary indexes");
            if (!"ACTIVE".equals(idx.status) && idx.backfilling)
                throw DynamoDbError.validation("Cannot read from backfilling global secondary index: " + indexName);
        }
        return idx == null
                ? new Target(t, null, t.hashKey, t.rangeKey, t.items, t.itemsDescending)
                : new Target(t, idx, idx.hashKey, idx.rangeKey, idx.entries, idx.entriesDescending);
    }

    private static String select(Req r, Target tg, Projection p) {
        String select = r.string("Select");
        boolean hasProjection = r.has("ProjectionExpression") || r.has("AttributesToGet");
        String what = r.has("ProjectionExpression") ? "ProjectionExpression" : "AttributesToGet";
        if (select == null)
            return hasProjection
                    ? "SPECIFIC_ATTRIBUTES"
                    : tg.index != null ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
        if (select.equals("ALL_PROJECTED_ATTRIBUTES") && tg.index == null)
            throw DynamoDbError.validation(
                    "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        if (select.equals("SPECIFIC_ATTRIBUTES") && !hasProjection)
            throw DynamoDbError.validation(
                    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        if (!select.equals("SPECIFIC_ATTRIBUTES") && hasProjection)
            throw DynamoDbError.validation("Cannot specify the " + what + " when choosing to get " + select);
        if (select.equals("ALL_ATTRIBUTES")
                && tg.index != null
                && tg.index.global
                && !"ALL".equals(tg.index.projectionType))
            throw Req.invalid("Select type ALL_ATTRIBUTES is not supported for global secondary index " + tg.index.name
                    + " because its projection type is not ALL");
        return select;
    }

    private void readChecks(Req r, boolean query) {
        r.tableName("TableName", "tableName", true);
        Integer limit = r.integer("Limit");
        if (limit != null && limit < 1 && query)
            r.error("Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        else if (limit != null && limit < 1)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        r.enumValue("Select", "select", "SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES");
        r.enumValue("ReturnConsumedCapacity", "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        if (r.has("IndexName")) {
            String n = r.string("IndexName");
            if (n.length() < 3)
                r.error(
                        "Value '" + n
                                + "' at 'indexName' failed to satisfy constraint: Member must have length greater than or equal to 3");
        }
        r.check();
    }

    private Key startKey(Req r, Target tg) {
        Map<String, AttributeValue> esk = r.item("ExclusiveStartKey");
        if (esk == null) return null;
        Table t = tg.table;
        AttributeValue h = esk.get(t.hashKey);
        AttributeValue s = t.rangeKey == null ? null : esk.get(t.rangeKey);
        int expected = 1 + (t.rangeKey == null ? 0 : 1);
        if (tg.index != null) {
            for (String a : new String[] {tg.index.hashKey, tg.index.rangeKey}) {
                if (a != null && !a.equals(t.hashKey) && !a.equals(t.rangeKey)) expected++;
            }
        }
        if (h == null
                || (t.rangeKey != null && s == null)
                || esk.size() != expected
                || !h.type().equals(t.attributeTypes.get(t.hashKey))
                || (s != null && !s.type().equals(t.attributeTypes.get(t.rangeKey))))
            throw DynamoDbError.validation(
                    "The provided starting key is invalid: The provided key element does not match the schema");
        Key primary = Key.of(h, s);
        if (tg.index == null) return primary;
        AttributeValue ih = esk.get(tg.index.hashKey);
        AttributeValue is = tg.index.rangeKey == null ? null : esk.get(tg.index.rangeKey);
        if (ih == null || (tg.index.rangeKey != null && is == null))
            throw DynamoDbError.validation(
                    "The provided starting key is invalid: The provided key element does not match the schema");
        return Key.index(ih, is, primary);
    }

    private Map<String, AttributeValue> lastKey(Target tg, Map<String, AttributeValue> item, Key key) {
        Table t = tg.table;
        LinkedHashMap<String, AttributeValue> m = new LinkedHashMap<>();
        Key primary = tg.index == null ? key : key.primary;
        m.put(t.hashKey, primary.partition);
        if (t.rangeKey != null) m.put(t.rangeKey, primary.sort);
        if (tg.index != null) {
            m.put(tg.index.hashKey, key.partition);
            if (tg.index.rangeKey != null) m.put(tg.index.rangeKey, key.sort);
        }
        return m;
    }

    private Map<String, Object> query(Req r) {
        readChecks(r, true);
        mixed(r, new String[] {"AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions"}, new String[] {
            "ProjectionExpression", "FilterExpression", "KeyConditionExpression"
        });
        List<String> nulls = new ArrayList<>();
        for (String e : new String[] {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"})
            if (!r.has(e)) nulls.add(e);
        Placeholders ph = placeholders(r, nulls.size() == 3 ? nullList(nulls) : null);
        KeyConditionExpression parsed = r.has("KeyConditionExpression")
                ? Expressions.parseKeyCondition(r.string("KeyConditionExpression"), ph)
                : null;
        Table t = table(r.string("TableName"));
        Target tg = target(r, t, true);
        KeyCondition kc;
        String hashType = t.attributeTypes.get(tg.hashKey);
        String rangeType = tg.rangeKey == null ? null : t.attributeTypes.get(tg.rangeKey);
        if (parsed != null) {
            kc = parsed.bind(tg.hashKey, hashType, tg.rangeKey, rangeType);
        } else if (r.has("KeyConditions")) {
            kc = Expressions.legacyKeyConditions(
                    r.legacyConditions("KeyConditions"), tg.hashKey, hashType, tg.rangeKey, rangeType);
        } else {
            throw DynamoDbError.validation(
                    "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        }
        Condition filter = null;
        if (r.has("FilterExpression"))
            filter = Expressions.condition("FilterExpression", r.string("FilterExpression"), ph);
        else if (r.has("QueryFilter"))
            filter = Expressions.legacyCondition(
                    "QueryFilter", r.legacyConditions("QueryFilter"), r.string("ConditionalOperator"));
        Projection p = projection(r, ph);
        checkUsed(ph);
        String select = select(r, tg, p);
        if (!kc.partitionValue().type().equals(t.attributeTypes.get(tg.hashKey))
                || (kc.sortValue() != null && !kc.sortValue().type().equals(t.attributeTypes.get(tg.rangeKey))))
            throw Req.invalid("Condition parameter type does not match schema type");
        Key start = startKey(r, tg);
        boolean forward = !Boolean.FALSE.equals(r.bool("ScanIndexForward"));

        AttributeValue pv = kc.partitionValue();
        NavigableMap<Key, Map<String, AttributeValue>> range;
        AttributeValue v = kc.sortValue();
        KeyCondition.SortOperator op = kc.sortOperator();
        Key lo = Key.sortBound(pv, null, -1, 0);
        Key hi = Key.sortBound(pv, null, 1, 0);
        boolean loIn = true;
        boolean hiIn = true;
        if (op != null) {
            switch (op) {
                case EQ:
                    lo = Key.sortBound(pv, v, 0, -1);
                    hi = Key.sortBound(pv, v, 0, 1);
                    break;
                case LT:
                    hi = Key.sortBound(pv, v, 0, -1);
                    hiIn = false;
                    break;
                case LE:
                    hi = Key.sortBound(pv, v, 0, 1);
                    break;
                case GT:
                    lo = Key.sortBound(pv, v, 0, 1);
                    loIn = false;
                    break;
                case GE:
                case BEGINS_WITH:
                    lo = Key.sortBound(pv, v, 0, -1);
                    break;
                case BETWEEN:
                    lo = Key.sortBound(pv, v, 0, -1);
                    hi = Key.sortBound(pv, kc.sortUpper(), 0, 1);
                    if (Values.compare(v, kc.sortUpper()) > 0) return emptyResult(r, t, select);
                    break;
                default:
                    break;
            }
        }
        // Either way the range is read in its own map's ascending order, one step per entry.
        range = forward ? tg.map.subMap(lo, loIn, hi, hiIn) : tg.descending.subMap(hi, hiIn, lo, loIn);
        if (start != null) {
            if (!start.partition.equals(pv))
                throw DynamoDbError.validation(
                        "The provided starting key is outside query boundaries based on provided conditions");
            range = range.tailMap(start, false);
        }
        Iterable<Map.Entry<Key, Map<String, AttributeValue>>> entries = range.entrySet();
        return collect(r, tg, entries, filter, p, select, op == KeyCondition.SortOperator.BEGINS_WITH ? v : null);
    }

    private Map<String, Object> emptyResult(Req r, Table t, String select) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (!"COUNT".equals(select)) out.put("Items", List.of());
        out.put("Count", 0);
        out.put("ScannedCount", 0);
        Object cc = capacity(
                r.string("ReturnConsumedCapacity"),
                t,
                readUnits(0, Boolean.TRUE.equals(r.bool("ConsistentRead"))),
                false,
                null);
        if (cc != null) out.put("ConsumedCapacity", cc);
        return out;
    }

    private static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
        if (value instanceof AttributeValue.Str s && prefix instanceof AttributeValue.Str p)
            return s.value().startsWith(p.value());
        if (value instanceof AttributeValue.Bin b && prefix instanceof AttributeValue.Bin p) {
            if (p.length() > b.length()) return false;
            for (int i = 0; i < p.length(); i++) if (b.at(i) != p.at(i)) return false;
            return true;
        }
        return false;
    }

    private Map<String, Object> collect(
            Req r,
            Target tg,
            Iterable<Map.Entry<Key, Map<String, AttributeValue>>> entries,
            Condition filter,
            Projection p,
            String select,
            AttributeValue prefix) {
        Integer limit = r.integer("Limit");
        boolean consistent = Boolean.TRUE.equals(r.bool("ConsistentRead"));
        boolean count = "COUNT".equals(select);
        boolean fromTable = tg.index != null
                && !tg.index.global
                && "ALL_ATTRIBUTES".equals(select)
                && !"ALL".equals(tg.index.projectionType);
        ArrayList<Object> items = count ? null : new ArrayList<>();
        int scanned = 0;
        int matched = 0;
        long bytes = 0;
        Map<String, AttributeValue> lek = null;
        Iterator<Map.Entry<Key, Map<String, AttributeValue>>> it = entries.iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Map<String, AttributeValue>> e = it.next();
            Map<String, AttributeValue> item = e.getValue();
            if (prefix != null && !beginsWith(e.getKey().sort, prefix)) break;
            if (fromTable) {
                Map<String, AttributeValue> full = tg.table.items.get(e.getKey().primary);
                if (full != null) item = full;
            }
            scanned++;
            bytes += Values.itemSize(item);
            if (filter == null || filter.test(item)) {
                matched++;
                if (!count) items.add(p == null ? item : p.project(item));
            }
            if ((limit != null && scanned >= limit) || bytes >= PAGE_BYTES) {
                if (it.hasNext() || (limit != null && scanned >= limit && bytes < PAGE_BYTES))
                    lek = lastKey(tg, item, e.getKey());
                break;
            }
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (!count) out.put("Items", items);
        out.put("Count", matched);
        out.put("ScannedCount", scanned);
        if (lek != null) out.put("LastEvaluatedKey", lek);
        String mode = r.string("ReturnConsumedCapacity");
        if (mode != null && !mode.equals("NONE")) {
            double units = readUnits(bytes, consistent);
            Object cc =
                    tg.index == null ? capacity(mode, tg.table, units, false, null) : capacityOnIndex(mode, tg, units);
            out.put("ConsumedCapacity", cc);
        }
        return out;
    }

    private static Object capacityOnIndex(String mode, Target tg, double units) {
        if (mode.equals("TOTAL")) return capacity(mode, tg.table, units, false, null);
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put(tg.index.name, units);
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) capacity(mode, tg.table, 0, false, m);
        return c;
    }

    private Map<String, Object> scan(Req r) {
        readChecks(r, false);
        Integer segment = r.integer("Segment");
        Integer total = r.integer("TotalSegments");
        if (segment != null && segment < 0)
            r.error("Value '" + segment
                    + "' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0");
        if (total != null && total < 1)
            r.error(
                    "Value '" + total
                            + "' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1");
        if (total != null && total > 1000000)
            r.error(
                    "Value '" + total
                            + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000");
        r.check();
        if (total != null && segment == null)
            throw DynamoDbError.validation(
                    "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
        if (segment != null && total == null)
            throw DynamoDbError.validation(
                    "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        if (segment != null && segment >= total)
            throw DynamoDbError.validation(
                    "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                            + segment + " is not less than TotalSegments: " + total);
        mixed(r, new String[] {"AttributesToGet", "ScanFilter", "ConditionalOperator"}, new String[] {
            "ProjectionExpression", "FilterExpression"
        });
        List<String> nulls = new ArrayList<>();
        for (String e : new String[] {"FilterExpression", "ProjectionExpression"}) if (!r.has(e)) nulls.add(e);
        Placeholders ph = placeholders(r, nulls.size() == 2 ? nullList(nulls) : null);
        Table t = table(r.string("TableName"));
        Target tg = target(r, t, false);
        Condition filter = null;
        if (r.has("FilterExpression"))
            filter = Expressions.condition("FilterExpression", r.string("FilterExpression"), ph);
        else if (r.has("ScanFilter"))
            filter = Expressions.legacyCondition(
                    "ScanFilter", r.legacyConditions("ScanFilter"), r.string("ConditionalOperator"));
        Projection p = projection(r, ph);
        checkUsed(ph);
        String select = select(r, tg, p);
        Key start = startKey(r, tg);
        NavigableMap<Key, Map<String, AttributeValue>> range = tg.map;
        if (total != null && total > 1) {
            long span = (1L << 31);
            int lo = (int) (span * segment / total);
            long hi = span * (segment + 1) / total;
            range = hi >= span
                    ? range.tailMap(Key.hashBound(lo), true)
                    : range.subMap(Key.hashBound(lo), true, Key.hashBound((int) hi), false);
        }
        if (start != null) range = range.tailMap(start, false);
        return collect(r, tg, range.entrySet(), filter, p, select, null);
    }

    // ---------------------------------------------------------------- batches

    @SuppressWarnings("unchecked")
    private Map<String, Object> batchGetItem(Req r) {
        Map<String, Object> requestItems = r.object("RequestItems");
        if (requestItems == null || requestItems.isEmpty())
            throw DynamoDbError.validation("The requestItems parameter is required for BatchGetItem");
        commonChecks(r);
        r.check();
        int totalKeys = 0;
        for (Map.Entry<String, Object> e : requestItems.entrySet()) {
            r.tableNameValue(e.getKey(), "requestItems.key");
            Map<String, Object> spec = (Map<String, Object>) e.getValue();
            List<Object> keys = (List<Object>) spec.get("Keys");
            if (keys != null) {
                if (keys.size() > 100)
                    r.error(
                            "Value at 'RequestItems." + e.getKey()
                                    + ".member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100");
                if (keys.isEmpty())
                    r.error(
                            "Value at 'RequestItems." + e.getKey()
                                    + ".member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
                totalKeys += keys.size();
            }
        }
        if (requestItems.isEmpty())
            r.error(
                    "Value at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        r.check();
        if (totalKeys > 100) throw DynamoDbError.validation("Too many items requested for the BatchGetItem call");
        String mode = r.string("ReturnConsumedCapacity");
        LinkedHashMap<String, Object> responses = new LinkedHashMap<>();
        LinkedHashMap<String, Object> unprocessed = new LinkedHashMap<>();
        List<Object> capacities = new ArrayList<>();
        boolean failAll = faults.takeUnprocessed();
        for (Map.Entry<String, Object> e : requestItems.entrySet()) {
            Req spec = new Req(e.getValue());
            Table t = table(e.getKey());
            mixed(spec, new String[] {"AttributesToGet"}, new String[] {"ProjectionExpression"});
            Placeholders ph =
                    placeholders(spec, spec.has("ProjectionExpression") ? null : "ProjectionExpression is null");
            Projection p = projection(spec, ph);
            checkUsed(ph);
            List<Object> keys = spec.list("Keys");
            Set<Key> seen = new HashSet<>();
            List<Key> ks = new ArrayList<>();
            for (Object o : keys) {
                Key k = key(t, Codec.item(o));
                if (!seen.add(k)) throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                ks.add(k);
            }
            if (failAll) {
                unprocessed.put(e.getKey(), e.getValue());
                continue;
            }
            boolean consistent = Boolean.TRUE.equals(spec.bool("ConsistentRead"));
            List<Object> found = new ArrayList<>();
            double units = 0;
            for (Key k : ks) {
                Map<String, AttributeValue> item = t.items.get(k);
                units += readUnits(item == null ? 0 : Values.itemSize(item), consistent);
                if (item != null) found.add(p == null ? item : p.project(item));
            }
            responses.put(e.getKey(), found);
            Object cc = capacity(mode, t, units, false, null);
            if (cc != null) capacities.add(cc);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("Responses", responses);
        out.put("UnprocessedKeys", unprocessed);
        if (mode != null && !mode.equals("NONE")) out.put("ConsumedCapacity", capacities);
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> batchWriteItem(Req r) {
        Map<String, Object> requestItems = r.object("RequestItems");
        if (requestItems == null || requestItems.isEmpty())
            throw DynamoDbError.validation("The requestItems parameter is required for BatchWriteItem");
        commonChecks(r);
        int total = 0;
        for (Map.Entry<String, Object> e : requestItems.entrySet()) {
            r.tableNameValue(e.getKey(), "requestItems.key");
            if (e.getValue() instanceof List<?> l) {
                if (l.size() > 25)
                    r.error(
                            "Value '{" + e.getKey() + "=" + e.getValue()
                                    + "}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
                if (l.isEmpty())
                    r.error(
                            "Value '{" + e.getKey()
                                    + "=[]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]");
                total += l.size();
            }
        }
        if (requestItems.isEmpty())
            r.error(
                    "Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        r.check();
        if (total > 25) throw DynamoDbError.validation("Too many items requested for the BatchWriteItem call");
        String mode = r.string("ReturnConsumedCapacity");
        List<Object[]> writes = new ArrayList<>();
        Set<ItemRef> seen = new HashSet<>();
        for (Map.Entry<String, Object> e : requestItems.entrySet()) {
            Table t = table(e.getKey());
            for (Object o : (List<Object>) e.getValue()) {
                Req w = new Req(o);
                Map<String, Object> put = w.object("PutRequest");
                Map<String, Object> del = w.object("DeleteRequest");
                if ((put == null) == (del == null))
                    throw DynamoDbError.validation(
                            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
                Key k;
                Map<String, AttributeValue> item = null;
                if (put != null) {
                    item = Codec.item(put.get("Item"));
                    k = itemKey(t, item);
                } else {
                    k = key(t, Codec.item(del.get("Key")));
                }
                if (!seen.add(new ItemRef(t.name, k)))
                    throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                writes.add(new Object[] {t, k, item, o});
            }
        }
        LinkedHashMap<String, Object> unprocessed = new LinkedHashMap<>();
        LinkedHashMap<String, Double> units = new LinkedHashMap<>();
        if (faults.takeUnprocessed()) {
            for (Object[] w : writes)
                ((List<Object>) unprocessed.computeIfAbsent(((Table) w[0]).name, x -> new ArrayList<>())).add(w[3]);
        } else {
            long now = System.currentTimeMillis();
            for (Object[] w : writes) {
                Table t = (Table) w[0];
                Key k = (Key) w[1];
                Map<String, AttributeValue> item = (Map<String, AttributeValue>) w[2];
                ReentrantLock lock = stripe(t.name, k);
                writeLock();
                lock.lock();
                try {
                    checkNotInTransaction(t, k);
                    Map<String, AttributeValue> old = t.items.get(k);
                    if (item != null || old != null) {
                        write(t, k, old, item, false, now);
                    }
                    units.merge(t.name, writeUnits(old, item), Double::sum);
                } finally {
                    lock.unlock();
                    writeUnlock();
                }
            }
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("UnprocessedItems", unprocessed);
        if (mode != null && !mode.equals("NONE")) {
            List<Object> cc = new ArrayList<>();
            for (Map.Entry<String, Double> e : units.entrySet())
                cc.add(capacity(mode, tables.get(e.getKey()), e.getValue(), true, null));
            out.put("ConsumedCapacity", cc);
        }
        return out;
    }

    // ---------------------------------------------------------------- transactions

    private static final class Action {
        String kind;
        Table table;
        Key key;
        Req req;
        Map<String, AttributeValue> item;
        Condition condition;
        Update update;
        Map<String, AttributeValue> before;
        Map<String, AttributeValue> after;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> transactWriteItems(Req r) {
        List<Object> items = r.list("TransactItems");
        if (items == null)
            r.error("Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
        else if (items.isEmpty())
            r.error(
                    "Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        else if (items.size() > 100)
            r.error(
                    "Value '" + abbreviated(items)
                            + "' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        commonChecks(r);
        String token = r.string("ClientRequestToken");
        if (token != null && token.length() > 36)
            r.error(
                    "Value '" + token
                            + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36");
        r.check();
        String mode = r.string("ReturnConsumedCapacity");
        List<Action> actions = new ArrayList<>(items.size());
        Set<ItemRef> refs = new HashSet<>();
        for (Object o : items) {
            Req w = new Req(o);
            Action a = new Action();
            int kinds = 0;
            for (String kind : new String[] {"ConditionCheck", "Put", "Delete", "Update"}) {
                if (w.has(kind)) {
                    kinds++;
                    a.kind = kind;
                }
            }
            if (kinds != 1)
                throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            Req q = new Req(w.body.get(a.kind));
            a.req = q;
            q.tableName("TableName", "transactItems.member." + lower(a.kind) + ".tableName", true);
            q.enumValue(
                    "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", "ALL_OLD", "NONE");
            q.check();
            a.table = table(q.string("TableName"));
            boolean hasCondition = q.has("ConditionExpression");
            if (a.kind.equals("ConditionCheck") && !hasCondition)
                throw DynamoDbError.validation(
                        "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
            List<String> nulls = new ArrayList<>();
            if (a.kind.equals("Update") && !q.has("UpdateExpression")) nulls.add("UpdateExpression");
            if (!hasCondition) nulls.add("ConditionExpression");
            Placeholders ph = placeholders(
                    q, (a.kind.equals("Update") ? nulls.size() == 2 : nulls.size() == 1) ? nullList(nulls) : null);
            if (a.kind.equals("Put")) {
                a.item = q.item("Item");
                a.key = itemKey(a.table, a.item);
            } else {
                a.key = key(a.table, q.item("Key"));
            }
            if (a.kind.equals("Update")) {
                if (!q.has("UpdateExpression"))
                    throw DynamoDbError.validation(
                            "1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null");
                a.update = update(q, ph, a.table);
            }
            if (hasCondition)
                a.condition = Expressions.condition("ConditionExpression", q.string("ConditionExpression"), ph);
            checkUsed(ph);
            if (!refs.add(new ItemRef(a.table.name, a.key)))
                throw DynamoDbError.validation("Transaction request cannot include multiple operations on one item");
            actions.add(a);
        }
        long totalSize = 0;
        for (Action a : actions) if (a.item != null) totalSize += Values.itemSize(a.item);
        if (totalSize > 4L * 1024 * 1024)
            throw DynamoDbError.validation("Transaction request cannot be larger than 4 MB");
        String fingerprint = null;
        if (token != null) {
            LinkedHashMap<String, Object> copy = new LinkedHashMap<>(r.body);
            copy.remove("ClientRequestToken");
            fingerprint = new String(Json.write(copy), java.nio.charset.StandardCharsets.UTF_8);
            long now = System.currentTimeMillis();
            tokens.values().removeIf(i -> now - i.createdMillis > 600_000);
            Idempotent seen = tokens.get(token);
            if (seen != null) {
                if (!seen.request.equals(fingerprint))
                    throw DynamoDbError.of(
                            400,
                            "IdempotentParameterMismatchException",
                            "Specified idempotent token was used with different request parameters.");
                return seen.response;
            }
        }
        Object owner = new Object();
        List<ItemRef> held = new ArrayList<>(actions.size());
        List<Map<String, Object>> conflicts = null;
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            ItemRef ref = new ItemRef(a.table.name, a.key);
            if (inFlight.putIfAbsent(ref, owner) == null) {
                held.add(ref);
            } else {
                if (conflicts == null) conflicts = new ArrayList<>();
                conflicts.add(Json.object("i", i));
            }
        }
        try {
            if (conflicts != null) {
                List<Object> reasons = new ArrayList<>();
                Set<Integer> bad = new HashSet<>();
                for (Map<String, Object> c : conflicts) bad.add((Integer) c.get("i"));
                for (int i = 0; i < actions.size(); i++) {
                    reasons.add(
                            bad.contains(i)
                                    ? Json.object(
                                            "Code",
                                            "TransactionConflict",
                                            "Message",
                                            "Transaction is ongoing for the item")
                                    : Json.object("Code", "None"));
                }
                throw cancelled(reasons);
            }
            TreeSet<Integer> stripeSet = new TreeSet<>();
            for (Action a : actions) stripeSet.add(stripeIndex(a.table.name, a.key));
            long now = System.currentTimeMillis();
            writeLock();
            for (int s : stripeSet) stripes[s].lock();
            try {
                List<Object> reasons = new ArrayList<>(actions.size());
                boolean failed = false;
                for (Action a : actions) {
                    a.before = a.table.items.get(a.key);
                    Map<String, AttributeValue> seenItem = a.before == null ? EMPTY : a.before;
                    if (a.condition != null && !a.condition.test(seenItem)) {
                        failed = true;
                        if ("ALL_OLD".equals(a.req.string("ReturnValuesOnConditionCheckFailure")) && a.before != null)
                            reasons.add(Json.object(
                                    "Item",
                                    a.before,
                                    "Code",
                                    "ConditionalCheckFailed",
                                    "Message",
                                    "The conditional request failed"));
                        else
                            reasons.add(Json.object(
                                    "Code", "ConditionalCheckFailed", "Message", "The conditional request failed"));
                        continue;
                    }
                    try {
                        switch (a.kind) {
                            case "Put":
                                a.after = a.item;
                                break;
                            case "Delete":
                                a.after = null;
                                break;
                            case "Update":
                                a.after = updated(a.table, a.key, a.before, a.update);
                                break;
                            default:
                                a.after = a.before;
                                break;
                        }
                        reasons.add(Json.object("Code", "None"));
                    } catch (DynamoDbError e) {
                        failed = true;
                        reasons.add(Json.object("Code", "ValidationError", "Message", e.getMessage()));
                    }
                }
                if (failed) throw cancelled(reasons);
                List<Write> writes = new ArrayList<>();
                for (Action a : actions) {
                    if (a.kind.equals("ConditionCheck")) continue;
                    if (a.before == null && a.after == null) continue;
                    writes.add(new Write(a.table, a.key, a.before, a.after, false));
                }
                if (!writes.isEmpty()) write(writes, now);
            } finally {
                for (int s : stripeSet.descendingSet()) stripes[s].unlock();
                writeUnlock();
            }
        } finally {
            for (ItemRef ref : held) inFlight.remove(ref, owner);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        if (mode != null && !mode.equals("NONE")) {
            LinkedHashMap<String, Double> units = new LinkedHashMap<>();
            for (Action a : actions) units.merge(a.table.name, 2 * writeUnits(a.before, a.after), Double::sum);
            List<Object> cc = new ArrayList<>();
            for (Map.Entry<String, Double> e : units.entrySet())
                cc.add(capacity(mode, tables.get(e.getKey()), e.getValue(), true, null));
            out.put("ConsumedCapacity", cc);
        }
        if (token != null) tokens.put(token, new Idempotent(fingerprint, System.currentTimeMillis(), out));
        return out;
    }

    private static String lower(String kind) {
        return Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
    }

    private static String abbreviated(List<Object> items) {
        return "[" + items.size() + " items]";
    }

    private static DynamoDbError cancelled(List<Object> reasons) {
        StringBuilder codes = new StringBuilder();
        for (Object o : reasons) {
            if (codes.length() > 0) codes.append(", ");
            codes.append(((Map<?, ?>) o).get("Code"));
        }
        return new DynamoDbError.WithBody(
                400,
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]",
                Json.object("CancellationReasons", reasons));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> transactGetItems(Req r) {
        List<Object> items = r.list("TransactItems");
        if (items == null)
            r.error("Value null at 'transactItems' failed to satisfy constraint: Member must not be null");
        else if (items.isEmpty())
            r.error(
                    "Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
        else if (items.size() > 100)
            r.error(
                    "Value '" + abbreviated(items)
                            + "' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100");
        r.enumValue("ReturnConsumedCapacity", "returnConsumedCapacity", "INDEXES", "TOTAL", "NONE");
        r.check();
        String mode = r.string("ReturnConsumedCapacity");
        List<Table> ts = new ArrayList<>();
        List<Key> ks = new ArrayList<>();
        List<Projection> ps = new ArrayList<>();
        Set<ItemRef> refs = new HashSet<>();
        for (Object o : items) {
            Req w = new Req(o);
            Req q = new Req(w.object("Get"));
            if (!w.has("Get"))
                throw DynamoDbError.validation(
                        "1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null");
            q.tableName("TableName", "transactItems.1.member.get.tableName", true);
            q.check();
            Table t = table(q.string("TableName"));
            Placeholders ph = placeholders(q, q.has("ProjectionExpression") ? null : "ProjectionExpression is null");
            Projection p = projection(q, ph);
            checkUsed(ph);
            Key k;
            try {
                k = key(t, q.item("Key"));
            } catch (DynamoDbError e) {
                List<Object> reasons = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    reasons.add(
                            i == ts.size()
                                    ? Json.object("Code", "ValidationError", "Message", e.getMessage())
                                    : Json.object("Code", "None"));
                }
                throw cancelled(reasons);
            }
            if (!refs.add(new ItemRef(t.name, k)))
                throw DynamoDbError.validation("Transaction request cannot include multiple operations on one item");
            ts.add(t);
            ks.add(k);
            ps.add(p);
        }
        TreeSet<Integer> stripeSet = new TreeSet<>();
        for (int i = 0; i < ts.size(); i++) stripeSet.add(stripeIndex(ts.get(i).name, ks.get(i)));
        List<Object> responses = new ArrayList<>();
        LinkedHashMap<String, Double> units = new LinkedHashMap<>();
        // DynamoDB cancels a read of items another transaction holds rather than waiting for it
        failOnHeld(ts, ks);
        for (int s : stripeSet) stripes[s].lock();
        try {
            // a transaction that held an item while these stripes were taken has not written it yet
            failOnHeld(ts, ks);
            for (int i = 0; i < ts.size(); i++) {
                Map<String, AttributeValue> item = ts.get(i).items.get(ks.get(i));
                units.merge(ts.get(i).name, 2 * readUnits(item == null ? 0 : Values.itemSize(item), true), Double::sum);
                if (item == null) responses.add(new LinkedHashMap<>());
                else
                    responses.add(Json.object(
                            "Item", ps.get(i) == null ? item : ps.get(i).project(item)));
            }
        } finally {
            for (int s : stripeSet.descendingSet()) stripes[s].unlock();
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("Responses", responses);
        if (mode != null && !mode.equals("NONE")) {
            List<Object> cc = new ArrayList<>();
            for (Map.Entry<String, Double> e : units.entrySet())
                cc.add(capacity(mode, tables.get(e.getKey()), e.getValue(), false, null));
            out.put("ConsumedCapacity", cc);
        }
        return out;
    }

    private void failOnHeld(List<Table> ts, List<Key> ks) {
        if (inFlight.isEmpty()) return;
        boolean conflict = false;
        List<Object> reasons = new ArrayList<>(ts.size());
        for (int i = 0; i < ts.size(); i++) {
            if (inFlight.containsKey(new ItemRef(ts.get(i).name, ks.get(i)))) {
                conflict = true;
                reasons.add(
                        Json.object("Code", "TransactionConflict", "Message", "Transaction is ongoing for the item"));
            } else {
                reasons.add(Json.object("Code", "None"));
            }
        }
        if (conflict) throw cancelled(reasons);
    }

    /** Puts one item into a new index, under the item's lock so a concurrent write cannot be overtaken. */
    void reindex(Table t, Index i, Key k) {
        ReentrantLock lock = stripe(t.name, k);
        lock.lock();
        try {
            Map<String, AttributeValue> item = t.items.get(k);
            if (item == null) return;
            Key ik = i.keyOf(item, k);
            if (ik == null) return;
            try {
                checkIndexKeys(t, item);
            } catch (DynamoDbError e) {
                return; // an attribute of the wrong type for the new key keeps the item out of the index
            }
            i.put(ik, i.project(item));
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- TTL

    /** Deletes every item whose TTL attribute holds epoch seconds in the past. */
    public int sweepTtl() {
        int deleted = 0;
        for (Table t : tables.values()) {
            deleted += sweepTable(t, null, Integer.MAX_VALUE).deleted();
        }
        return deleted;
    }

    /** Where each table's background sweep goes on from: the last key it looked at. */
    private final Map<String, Key> sweptTo = new ConcurrentHashMap<>();

    /**
     * Looks at up to {@code budget} items of each table, each going on after the key its last such
     * sweep stopped at and starting over once it has looked at all of them. DynamoDB deletes an
     * expired item within days, not at once, so a bounded share per tick keeps a table of millions
     * of items from costing a full scan every second; a table of at most {@code budget} items is
     * still swept whole on every tick, whatever the size of the others.
     */
    public int sweepTtlSome(int budget) {
        int deleted = 0;
        for (Table t : tables.values()) {
            Swept swept = sweepTable(t, sweptTo.get(t.name), budget);
            deleted += swept.deleted();
            if (swept.stoppedAt() == null) sweptTo.remove(t.name);
            else sweptTo.put(t.name, swept.stoppedAt());
        }
        return deleted;
    }

    /** What one sweep of a table did: items deleted, and the key it stopped at (null at the end). */
    private record Swept(int deleted, Key stoppedAt) {}

    private Swept sweepTable(Table t, Key after, int budget) {
        String attr = t.ttlAttribute;
        if (!t.ttlEnabled || attr == null) return new Swept(0, null);
        long now = System.currentTimeMillis();
        BigDecimal nowSeconds = BigDecimal.valueOf(now / 1000);
        int looked = 0;
        int deleted = 0;
        NavigableMap<Key, Map<String, AttributeValue>> rest = after == null ? t.items : t.items.tailMap(after, false);
        Key last = null;
        for (Map.Entry<Key, Map<String, AttributeValue>> e : rest.entrySet()) {
            if (looked == budget) return new Swept(deleted, last);
            looked++;
            Key k = e.getKey();
            last = k;
            if (!expired(e.getValue(), attr, nowSeconds)) continue;
            ReentrantLock lock = stripe(t.name, k);
            writeLock();
            lock.lock();
            try {
                Map<String, AttributeValue> old = t.items.get(k);
                if (old != null && expired(old, attr, nowSeconds) && !inFlight.containsKey(new ItemRef(t.name, k))) {
                    write(t, k, old, null, true, now);
                    deleted++;
                }
            } finally {
                lock.unlock();
                writeUnlock();
            }
        }
        return new Swept(deleted, null);
    }

    /** Five years in seconds: DynamoDB leaves items whose expiry lies further back than that alone. */
    private static final BigDecimal TTL_WINDOW = BigDecimal.valueOf(5L * 365 * 24 * 3600);

    private static boolean expired(Map<String, AttributeValue> item, String attr, BigDecimal now) {
        return item.get(attr) instanceof AttributeValue.Num n
                && n.value().compareTo(now) <= 0
                && n.value().compareTo(now.subtract(TTL_WINDOW)) >= 0;
    }

    // ---------------------------------------------------------------- journal replay and snapshots

    /** Rebuilds state from the journal; called once before serving. */
    public void replay() {
        replaying = true;
        try {
            journal.replay(bytes -> {
                Object tree;
                try {
                    tree = Json.parse(bytes);
                } catch (Json.MalformedJson e) {
                    return;
                }
                replayRecord(new Req(tree));
            });
        } finally {
            replaying = false;
        }
    }

    @SuppressWarnings("unchecked")
    private void replayRecord(Req r) {
        String op = r.string("op");
        long now = System.currentTimeMillis();
        if ("W".equals(op)) {
            for (Object o : r.list("w")) {
                Map<String, Object> w = (Map<String, Object>) o;
                Table t = tables.get((String) w.get("t"));
                if (t == null) continue;
                Map<String, AttributeValue> item = Codec.item(w.get("i"));
                Key k = item != null ? t.keyOf(item) : t.keyOf(Codec.item(w.get("k")));
                Map<String, AttributeValue> old = t.items.get(k);
                apply(t, k, old, item, false, now);
            }
            List<Object> records = r.list("r");
            if (records != null) for (Object o : records) replayStreamRecord((Map<String, Object>) o);
        } else if ("Stream".equals(op)) {
            replayStream(r);
        } else {
            Tables.replay(this, op, r);
        }
    }

    /** A stream's shards and the records it still keeps, replayable after its table's definition. */
    private Map<String, Object> streamState(Stream s) {
        s.trim(System.currentTimeMillis() - streamRetentionMillis);
        List<Object> shards = new ArrayList<>();
        for (Stream.Shard sh : s.shardsCopy()) {
            List<Object> records = new ArrayList<>();
            synchronized (s) {
                for (int i = sh.trimmed; i < sh.records.size(); i++) {
                    Stream.Record rec = sh.records.get(i);
                    records.add(Json.object("s", rec.sequence, "c", rec.createdMillis, "b", rec.body));
                }
            }
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("id", sh.id);
            if (sh.parentId != null) m.put("p", sh.parentId);
            m.put("st", sh.startSequence);
            m.put("e", sh.endSequence);
            m.put("c", sh.createdMillis);
            m.put("r", records);
            shards.add(m);
        }
        return Json.object("op", "Stream", "a", s.arn, "shards", shards);
    }

    @SuppressWarnings("unchecked")
    private void replayStream(Req r) {
        Stream s = streams.get(r.string("a"));
        if (s == null) return;
        List<Stream.Shard> shards = new ArrayList<>();
        for (Object o : r.list("shards")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Stream.Shard sh = new Stream.Shard(
                    (String) m.get("id"),
                    (String) m.get("p"),
                    ((BigDecimal) m.get("st")).longValue(),
                    ((BigDecimal) m.get("c")).longValue());
            sh.endSequence = ((BigDecimal) m.get("e")).longValue();
            for (Object x : (List<Object>) m.get("r")) {
                Map<String, Object> rec = (Map<String, Object>) x;
                sh.records.add(new Stream.Record(
                        ((BigDecimal) rec.get("s")).longValue(),
                        ((BigDecimal) rec.get("c")).longValue(),
                        (Map<String, Object>) rec.get("b")));
            }
            shards.add(sh);
        }
        s.restore(shards);
    }

    /** Compacts the journal when it has grown large, with writes paused. */
    public void maybeSnapshot(long thresholdBytes) {
        if (!journaling || journal.bytesSinceSnapshot() < thresholdBytes) return;
        snapshotLock.writeLock().lock();
        try {
            if (journal.bytesSinceSnapshot() < thresholdBytes) return;
            journal.snapshot(snapshotRecords());
        } finally {
            snapshotLock.writeLock().unlock();
        }
    }

    /** Records which, replayed alone, rebuild the present state. */
    public List<byte[]> snapshotRecords() {
        List<byte[]> out = new ArrayList<>();
        for (Table t : new TreeMap<>(tables).values()) {
            out.add(Json.write(Tables.definitionRecord(t)));
            Stream s = t.stream;
            if (s != null && s.enabled) out.add(Json.write(streamState(s)));
            List<Object> batch = new ArrayList<>();
            long bytes = 0;
            for (Map<String, AttributeValue> item : t.items.values()) {
                batch.add(Json.object("t", t.name, "i", item));
                bytes += Values.itemSize(item);
                if (batch.size() >= 1000 || bytes > 4 * 1024 * 1024) {
                    out.add(Json.write(Json.object("op", "W", "w", batch)));
                    batch = new ArrayList<>();
                    bytes = 0;
                }
            }
            if (!batch.isEmpty()) out.add(Json.write(Json.object("op", "W", "w", batch)));
        }
        return out;
    }
}
