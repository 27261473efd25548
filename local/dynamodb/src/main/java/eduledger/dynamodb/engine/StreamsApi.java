package eduledger.dynamodb.engine;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The DynamoDB Streams API: ListStreams, DescribeStream, GetShardIterator, GetRecords. */
final class StreamsApi {
    static final long ITERATOR_MILLIS = 15 * 60 * 1000;

    private StreamsApi() {}

    private static Stream stream(Database db, Req r) {
        String arn = r.string("StreamArn");
        if (arn == null) {
            r.error("Value null at 'streamArn' failed to satisfy constraint: Member must not be null");
            r.check();
        }
        if (arn.length() < 37) {
            r.error(
                    "Value '" + arn
                            + "' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37");
            r.check();
        }
        Stream s = db.streams.get(arn);
        if (s == null)
            throw DynamoDbError.resourceNotFound("Requested resource not found: Stream: " + arn + " not found");
        s.trim(System.currentTimeMillis() - db.streamRetentionMillis);
        return s;
    }

    static Map<String, Object> listStreams(Database db, Req r) {
        Integer limit = r.integer("Limit");
        if (limit != null && limit < 1)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        r.check();
        String table = r.string("TableName");
        if (table != null && !db.tables.containsKey(table))
            throw DynamoDbError.resourceNotFound("Requested resource not found: Table: " + table + " not found");
        TreeMap<String, Stream> sorted = new TreeMap<>();
        long horizon = System.currentTimeMillis() - db.streamRetentionMillis;
        for (Stream s : db.streams.values()) {
            if (table != null && !s.tableName.equals(table)) continue;
            if (!s.enabled && s.createdMillis < horizon) continue;
            sorted.put(s.arn, s);
        }
        String start = r.string("ExclusiveStartStreamArn");
        int max = limit == null ? 100 : limit;
        List<Object> out = new ArrayList<>();
        String last = null;
        for (Stream s : (start == null ? sorted : sorted.tailMap(start, false)).values()) {
            if (out.size() == max) {
                last = (String) ((Map<?, ?>) out.get(out.size() - 1)).get("StreamArn");
                break;
            }
            out.add(Json.object("StreamArn", s.arn, "TableName", s.tableName, "StreamLabel", s.label));
        }
        LinkedHashMap<String, Object> resp = new LinkedHashMap<>();
        resp.put("Streams", out);
        if (last != null) resp.put("LastEvaluatedStreamArn", last);
        return resp;
    }

    static Map<String, Object> describeStream(Database db, Req r) {
        Integer limit = r.integer("Limit");
        if (limit != null && limit < 1)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        Stream s = stream(db, r);
        Table t = db.tables.get(s.tableName);
        List<Stream.Shard> all = s.shardsCopy();
        String start = r.string("ExclusiveStartShardId");
        int max = limit == null ? 100 : limit;
        List<Object> shards = new ArrayList<>();
        String last = null;
        boolean skipping = start != null;
        for (Stream.Shard sh : all) {
            if (skipping) {
                if (sh.id.equals(start)) skipping = false;
                continue;
            }
            if (shards.size() == max) {
                last = (String) ((Map<?, ?>) shards.get(shards.size() - 1)).get("ShardId");
                break;
            }
            LinkedHashMap<String, Object> range = new LinkedHashMap<>();
            range.put("StartingSequenceNumber", Stream.sequenceText(sh.startSequence));
            if (sh.endSequence >= 0) range.put("EndingSequenceNumber", Stream.sequenceText(sh.endSequence));
            LinkedHashMap<String, Object> shard = new LinkedHashMap<>();
            shard.put("ShardId", sh.id);
            shard.put("SequenceNumberRange", range);
            if (sh.parentId != null && s.shard(sh.parentId) != null) shard.put("ParentShardId", sh.parentId);
            shards.add(shard);
        }
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("StreamArn", s.arn);
        d.put("StreamLabel", s.label);
        d.put("StreamStatus", s.status());
        d.put("StreamViewType", s.viewType);
        d.put("CreationRequestDateTime", java.math.BigDecimal.valueOf(s.createdMillis, 3));
        d.put("TableName", s.tableName);
        if (t != null) d.put("KeySchema", Tables.keySchema(t.hashKey, t.rangeKey));
        d.put("Shards", shards);
        if (last != null) d.put("LastEvaluatedShardId", last);
        return Json.object("StreamDescription", d);
    }

    static Map<String, Object> getShardIterator(Database db, Req r) {
        if (!r.has("ShardId")) r.error("Value null at 'shardId' failed to satisfy constraint: Member must not be null");
        if (!r.has("ShardIteratorType"))
            r.error("Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null");
        r.enumValue(
                "ShardIteratorType",
                "shardIteratorType",
                "TRIM_HORIZON",
                "LATEST",
                "AT_SEQUENCE_NUMBER",
                "AFTER_SEQUENCE_NUMBER");
        Stream s = stream(db, r);
        r.check();
        String shardId = r.string("ShardId");
        Stream.Shard sh = s.shard(shardId);
        if (sh == null) throw DynamoDbError.resourceNotFound("Requested resource not found: Shard does not exist");
        String type = r.string("ShardIteratorType");
        String seqText = r.string("SequenceNumber");
        long next;
        synchronized (s) {
            switch (type) {
                case "TRIM_HORIZON":
                    next = sh.trimmed < sh.records.size()
                            ? sh.records.get(sh.trimmed).sequence
                            : Math.max(sh.startSequence, Stream.SEQUENCE.get() + 1);
                    if (sh.endSequence >= 0 && sh.trimmed >= sh.records.size()) next = sh.endSequence + 1;
                    if (sh.trimmed == 0) next = sh.startSequence;
                    break;
                case "LATEST":
                    next = sh.endSequence >= 0 ? sh.endSequence + 1 : s.latest();
                    break;
                default: {
                    if (seqText == null)
                        throw DynamoDbError.validation("Must specify a sequence number for iterator type " + type);
                    long seq = Stream.parseSequence(seqText);
                    if (seq < 0) throw DynamoDbError.validation("Invalid SequenceNumber: " + seqText);
                    if (seq < sh.startSequence || (sh.endSequence >= 0 && seq > sh.endSequence))
                        throw DynamoDbError.validation(
                                "Invalid SequenceNumber for the shard: " + seqText + " is not in shard " + shardId);
                    if (sh.trimmed > 0 && sh.records.size() >= sh.trimmed) {
                        long firstKept =
                                sh.trimmed < sh.records.size() ? sh.records.get(sh.trimmed).sequence : Long.MAX_VALUE;
                        if (seq < firstKept && seq >= sh.startSequence && sh.trimmed > 0)
                            throw DynamoDbError.of(
                                    400,
                                    "TrimmedDataAccessException",
                                    "The operation attempted to read past the oldest stream record in a shard.");
                    }
                    next = type.equals("AT_SEQUENCE_NUMBER") ? seq : seq + 1;
                }
            }
        }
        return Json.object("ShardIterator", Tables.encodeIterator(s.arn, sh.id, next, db.iteratorClock.millis()));
    }

    static Map<String, Object> getRecords(Database db, Req r) {
        String iterator = r.string("ShardIterator");
        if (iterator == null)
            r.error("Value null at 'shardIterator' failed to satisfy constraint: Member must not be null");
        Integer limit = r.integer("Limit");
        if (limit != null && limit < 1)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        if (limit != null && limit > 1000)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
        r.check();
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(iterator), StandardCharsets.UTF_8).split("\\|");
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 4) throw DynamoDbError.validation("Invalid ShardIterator");
        long next;
        long created;
        try {
            next = Long.parseLong(parts[2]);
            created = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            throw DynamoDbError.validation("Invalid ShardIterator");
        }
        long issued = db.iteratorClock.millis();
        if (issued - created > ITERATOR_MILLIS)
            throw DynamoDbError.of(
                    400,
                    "ExpiredIteratorException",
                    "Iterator expired. The iterator was created at time " + java.time.Instant.ofEpochMilli(created)
                            + " while right now it is " + java.time.Instant.ofEpochMilli(issued)
                            + " which is further in the future than the tolerated delay of 900000 milliseconds.");
        long now = System.currentTimeMillis();
        Stream s = db.streams.get(parts[0]);
        if (s == null)
            throw DynamoDbError.resourceNotFound("Requested resource not found: Stream: " + parts[0] + " not found");
        s.trim(now - db.streamRetentionMillis);
        int max = limit == null ? 1000 : limit;
        List<Object> records = new ArrayList<>();
        String nextIterator;
        synchronized (s) {
            Stream.Shard sh = s.shard(parts[1]);
            if (sh == null) throw DynamoDbError.resourceNotFound("Requested resource not found: Shard does not exist");
            if (sh.trimmed > 0) {
                long firstKept = sh.trimmed < sh.records.size()
                        ? sh.records.get(sh.trimmed).sequence
                        : (sh.endSequence >= 0 ? sh.endSequence : Stream.SEQUENCE.get() + 1);
                long lastTrimmed = sh.records.size() > 0 && sh.trimmed > 0 ? lastTrimmedSequence(sh) : -1;
                if (next <= lastTrimmed && next < firstKept)
                    throw DynamoDbError.of(
                            400,
                            "TrimmedDataAccessException",
                            "The operation attempted to read past the oldest stream record in a shard.");
            }
            int i = firstIndexAtOrAfter(sh, next);
            long cursor = next;
            while (i < sh.records.size() && records.size() < max) {
                Stream.Record rec = sh.records.get(i++);
                if (rec == null) continue;
                records.add(rec.body);
                cursor = rec.sequence + 1;
            }
            boolean exhausted = sh.endSequence >= 0 && i >= sh.records.size();
            nextIterator = exhausted ? null : Tables.encodeIterator(s.arn, sh.id, cursor, issued);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("Records", records);
        if (nextIterator != null) out.put("NextShardIterator", nextIterator);
        return out;
    }

    private static long lastTrimmedSequence(Stream.Shard sh) {
        // trimmed records are nulled; the first kept one's predecessor number is below it
        if (sh.trimmed < sh.records.size()) return sh.records.get(sh.trimmed).sequence - 1;
        return sh.endSequence >= 0 ? sh.endSequence : Long.MAX_VALUE - 1;
    }

    private static int firstIndexAtOrAfter(Stream.Shard sh, long seq) {
        int lo = sh.trimmed;
        int hi = sh.records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sh.records.get(mid).sequence < seq) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
