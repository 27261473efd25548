package eduledger.dynamodb.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A table's change stream: shards, each a run of records with increasing sequence numbers. One shard
 * is open at a time; it closes (gets its ending sequence number) when it grows past its record quota or
 * age, and its successor names it as parent. Records older than the retention period are trimmed.
 */
final class Stream {
    /** Sequence numbers are global and increasing, written as 21-digit decimal strings. */
    static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis() * 1000);

    private static final AtomicLong SHARD_IDS = new AtomicLong(System.currentTimeMillis());

    final String arn;
    final String label;
    final String viewType;
    final String tableName;
    final long createdMillis;
    volatile boolean enabled = true;
    final List<Shard> shards = new ArrayList<>();
    private final int shardRecords;
    private final long shardMillis;
    /**
     * Held by a journaling writer from the moment its records get their sequence numbers until they are
     * appended, so records are journaled and made visible in sequence order.
     */
    final ReentrantLock order = new ReentrantLock();
    /** The last record prepared under {@link #order} and not yet settled; later ones join its shard. */
    private Prepared lastPrepared;
    /** The lowest sequence number prepared but not yet visible, or -1: a LATEST iterator must not skip it. */
    private long pendingFrom = -1;

    /** A record numbered before it is journaled; {@code closes} is the ending number of the shard it rolls over, or -1. */
    record Prepared(Record record, String shardId, long closes, long shardCreatedMillis) {}

    static final class Record {
        final long sequence;
        final long createdMillis;
        final Map<String, Object> body;

        Record(long sequence, long createdMillis, Map<String, Object> body) {
            this.sequence = sequence;
            this.createdMillis = createdMillis;
            this.body = body;
        }
    }

    static final class Shard {
        final String id;
        final String parentId;
        final long startSequence;
        final long createdMillis;
        volatile long endSequence = -1;
        final ArrayList<Record> records = new ArrayList<>();
        /** Records before this index have been trimmed. */
        int trimmed;

        Shard(String id, String parentId, long startSequence, long createdMillis) {
            this.id = id;
            this.parentId = parentId;
            this.startSequence = startSequence;
            this.createdMillis = createdMillis;
        }
    }

    Stream(String tableArn, String tableName, String viewType, long createdMillis, int shardRecords, long shardMillis) {
        this(tableArn, tableName, viewType, createdMillis, shardRecords, shardMillis, null, -1);
    }

    /** A stream as it was journaled: its first shard keeps its id and starting sequence number. */
    Stream(
            String tableArn,
            String tableName,
            String viewType,
            long createdMillis,
            int shardRecords,
            long shardMillis,
            String firstShardId,
            long firstShardStart) {
        this.tableName = tableName;
        this.viewType = viewType;
        this.createdMillis = createdMillis;
        this.label = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochMilli(createdMillis));
        this.arn = tableArn + "/stream/" + label;
        this.shardRecords = shardRecords;
        this.shardMillis = shardMillis;
        shards.add(
                firstShardId == null
                        ? newShard(null, createdMillis)
                        : new Shard(firstShardId, null, firstShardStart, createdMillis));
    }

    static String sequenceText(long sequence) {
        String digits = Long.toString(sequence);
        StringBuilder b = new StringBuilder(21);
        b.append('1');
        for (int i = digits.length(); i < 20; i++) b.append('0');
        return b.append(digits).toString();
    }

    static long parseSequence(String text) {
        if (text == null || text.length() != 21 || text.charAt(0) != '1') return -1;
        try {
            return Long.parseLong(text.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Shard newShard(String parentId, long now) {
        return new Shard(newShardId(now), parentId, SEQUENCE.get() + 1, now);
    }

    private static String newShardId(long now) {
        return "shardId-" + String.format("%020d", SHARD_IDS.incrementAndGet()) + "-"
                + Long.toHexString(now & 0xffffffffL);
    }

    private boolean full(Shard open, long now) {
        return open.records.size() - open.trimmed >= shardRecords || now - open.createdMillis >= shardMillis;
    }

    /**
     * Numbers a record (and rolls the shard over, if due) without making it visible, so it can be
     * journaled first. The caller holds {@link #order} until it {@link #commit}s or {@link #settle}s.
     */
    synchronized Prepared prepare(Map<String, Object> body, Map<String, Object> dynamodb, long now) {
        if (!enabled) return null;
        Shard open = shards.get(shards.size() - 1);
        String shardId = open.id;
        long closes = -1;
        long shardCreated = open.createdMillis;
        if (lastPrepared != null) {
            shardId = lastPrepared.shardId;
            shardCreated = lastPrepared.shardCreatedMillis;
        } else if (full(open, now)) {
            closes = SEQUENCE.incrementAndGet();
            shardId = newShardId(now);
            shardCreated = now;
        }
        long seq = SEQUENCE.incrementAndGet();
        dynamodb.put("SequenceNumber", sequenceText(seq));
        if (pendingFrom < 0) pendingFrom = closes >= 0 ? closes : seq;
        lastPrepared = new Prepared(new Record(seq, now, body), shardId, closes, shardCreated);
        return lastPrepared;
    }

    /** Makes a prepared (or replayed) record visible, in its shard. */
    synchronized void commit(Prepared p) {
        if (!enabled) return;
        Shard open = shards.get(shards.size() - 1);
        if (!p.shardId.equals(open.id)) {
            open.endSequence = p.closes >= 0 ? p.closes : p.record.sequence - 1;
            Shard next = new Shard(p.shardId, open.id, open.endSequence + 1, p.shardCreatedMillis);
            shards.add(next);
            open = next;
        }
        open.records.add(p.record);
    }

    /** Ends a round of {@link #prepare}: what was not committed is dropped (its numbers stay unused). */
    synchronized void settle() {
        lastPrepared = null;
        pendingFrom = -1;
    }

    /** Where a LATEST iterator on the open shard starts. */
    synchronized long latest() {
        return pendingFrom >= 0 ? pendingFrom : SEQUENCE.get() + 1;
    }

    /** Replaces the shards with journaled ones. */
    synchronized void restore(List<Shard> restored) {
        shards.clear();
        shards.addAll(restored);
        for (Shard sh : restored) {
            SEQUENCE.accumulateAndGet(Math.max(sh.startSequence, sh.endSequence), Math::max);
            if (!sh.records.isEmpty())
                SEQUENCE.accumulateAndGet(sh.records.get(sh.records.size() - 1).sequence, Math::max);
        }
    }

    /** Appends a record; the body gets its SequenceNumber here so numbers follow append order. */
    synchronized void append(Map<String, Object> body, Map<String, Object> dynamodb, long now) {
        if (!enabled) return;
        Shard open = shards.get(shards.size() - 1);
        if (full(open, now)) {
            open.endSequence = SEQUENCE.incrementAndGet();
            Shard next = newShard(open.id, now);
            shards.add(next);
            open = next;
        }
        long seq = SEQUENCE.incrementAndGet();
        dynamodb.put("SequenceNumber", sequenceText(seq));
        open.records.add(new Record(seq, now, body));
    }

    /** Closes the open shard for good, as disabling the stream does. */
    synchronized void disable() {
        if (!enabled) return;
        enabled = false;
        Shard open = shards.get(shards.size() - 1);
        open.endSequence = SEQUENCE.incrementAndGet();
    }

    synchronized void trim(long horizonMillis) {
        for (Shard s : shards) {
            while (s.trimmed < s.records.size() && s.records.get(s.trimmed).createdMillis < horizonMillis) {
                s.records.set(s.trimmed, null);
                s.trimmed++;
            }
        }
        // closed shards that are wholly trimmed and older than the horizon disappear
        shards.removeIf(s -> s.endSequence >= 0
                && s.trimmed == s.records.size()
                && s.createdMillis < horizonMillis
                && shards.size() > 1);
    }

    synchronized Shard shard(String id) {
        for (Shard s : shards) if (s.id.equals(id)) return s;
        return null;
    }

    synchronized List<Shard> shardsCopy() {
        return new ArrayList<>(shards);
    }

    String status() {
        return enabled ? "ENABLED" : "DISABLED";
    }
}
