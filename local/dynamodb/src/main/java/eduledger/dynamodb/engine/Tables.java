package eduledger.dynamodb.engine;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Values;
import eduledger.dynamodb.wire.Codec;
import eduledger.dynamodb.wire.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Control-plane operations (tables, indexes, TTL, tags) and the Streams API. */
final class Tables {
    private Tables() {}

    static Map<String, Object> handle(Database db, String op, Req r, String region) {
        switch (op) {
            case "CreateTable":
                return createTable(db, r, region);
            case "DescribeTable":
                return Json.object("Table", describe(db, describeChecks(db, r)));
            case "ListTables":
                return listTables(db, r);
            case "DeleteTable":
                return deleteTable(db, r);
            case "UpdateTable":
                return updateTable(db, r);
            case "UpdateTimeToLive":
                return updateTtl(db, r);
            case "DescribeTimeToLive": {
                Table t = describeChecks(db, r);
                return Json.object(
                        "TimeToLiveDescription",
                        t.ttlEnabled
                                ? Json.object("TimeToLiveStatus", "ENABLED", "AttributeName", t.ttlAttribute)
                                : Json.object("TimeToLiveStatus", "DISABLED"));
            }
            case "TagResource":
                return tagResource(db, r);
            case "UntagResource":
                return untagResource(db, r);
            case "ListTagsOfResource":
                return listTags(db, r);
            case "DescribeEndpoints":
                return Json.object(
                        "Endpoints",
                        List.of(Json.object(
                                "Address", "dynamodb." + region + ".amazonaws.com", "CachePeriodInMinutes", 1440)));
            case "DescribeLimits":
                return Json.object(
                        "AccountMaxReadCapacityUnits",
                        80000,
                        "AccountMaxWriteCapacityUnits",
                        80000,
                        "TableMaxReadCapacityUnits",
                        40000,
                        "TableMaxWriteCapacityUnits",
                        40000);
            case "ListStreams":
                return StreamsApi.listStreams(db, r);
            case "DescribeStream":
                return StreamsApi.describeStream(db, r);
            case "GetShardIterator":
                return StreamsApi.getShardIterator(db, r);
            case "GetRecords":
                return StreamsApi.getRecords(db, r);
            default:
                throw new DynamoDbError(400, "com.amazon.coral.service#UnknownOperationException", null);
        }
    }

    private static Table describeChecks(Database db, Req r) {
        if (!r.has("TableName"))
            throw DynamoDbError.validation("The parameter 'TableName' is required but was not present in the request");
        r.tableName("TableName", "tableName", true);
        r.check();
        String name = r.string("TableName");
        Table t = db.tables.get(name);
        if (t == null)
            throw DynamoDbError.resourceNotFound("Requested resource not found: Table: " + name + " not found");
        return t;
    }

    // ---------------------------------------------------------------- CreateTable

    @SuppressWarnings("unchecked")
    private static Map<String, Object> createTable(Database db, Req r, String region) {
        if (!r.has("TableName"))
            throw DynamoDbError.validation("The parameter 'TableName' is required but was not present in the request");
        r.tableName("TableName", "tableName", true);
        List<Object> defs = r.list("AttributeDefinitions");
        List<Object> schema = r.list("KeySchema");
        if (defs == null)
            r.error("Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null");
        if (schema == null) r.error("Value null at 'keySchema' failed to satisfy constraint: Member must not be null");
        if (schema != null) {
            if (schema.size() > 2) {
                StringBuilder b = new StringBuilder("[");
                for (Object o : schema) {
                    Map<String, Object> e = (Map<String, Object>) o;
                    if (b.length() > 1) b.append(", ");
                    b.append("KeySchemaElement(attributeName=")
                            .append(e.get("AttributeName"))
                            .append(", keyType=")
                            .append(e.get("KeyType"))
                            .append(")");
                }
                r.error(
                        "Value '" + b
                                + "]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
            }
            if (schema.isEmpty())
                r.error(
                        "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1");
            for (int i = 0; i < schema.size(); i++) {
                Object kt = ((Map<String, Object>) schema.get(i)).get("KeyType");
                if (kt != null && !"HASH".equals(kt) && !"RANGE".equals(kt))
                    r.error(
                            "Value '" + kt + "' at 'keySchema." + (i + 1)
                                    + ".member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
            }
        }
        if (defs != null) {
            for (int i = 0; i < defs.size(); i++) {
                Object at = ((Map<String, Object>) defs.get(i)).get("AttributeType");
                if (at != null && !"S".equals(at) && !"N".equals(at) && !"B".equals(at))
                    r.error(
                            "Value '" + at + "' at 'attributeDefinitions." + (i + 1)
                                    + ".member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }
        }
        r.enumValue("BillingMode", "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        Map<String, Object> streamSpec = r.object("StreamSpecification");
        if (streamSpec != null) {
            Object vt = streamSpec.get("StreamViewType");
            if (vt != null
                    && !List.of("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
                            .contains(vt))
                r.error(
                        "Value '" + vt
                                + "' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]");
        }
        r.check();
        String name = r.string("TableName");
        Map<String, String> types = new LinkedHashMap<>();
        for (Object o : defs) {
            Map<String, Object> d = (Map<String, Object>) o;
            types.put((String) d.get("AttributeName"), (String) d.get("AttributeType"));
        }
        String hash = null;
        String range = null;
        Map<String, Object> first = (Map<String, Object>) schema.get(0);
        if (!"HASH".equals(first.get("KeyType")))
            throw DynamoDbError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        hash = (String) first.get("AttributeName");
        if (schema.size() == 2) {
            Map<String, Object> second = (Map<String, Object>) schema.get(1);
            if (!"RANGE".equals(second.get("KeyType")))
                throw DynamoDbError.validation(
                        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            range = (String) second.get("AttributeName");
            if (range.equals(hash))
                throw DynamoDbError.validation("Invalid KeySchema: Some index key attribute have no definition");
        }
        if (!types.containsKey(hash) || (range != null && !types.containsKey(range)))
            throw DynamoDbError.validation(
                    "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: ["
                            + hash + (range == null ? "" : ", " + range) + "], AttributeDefinitions: ["
                            + String.join(", ", types.keySet()) + "]");
        String billing = r.string("BillingMode") == null ? "PROVISIONED" : r.string("BillingMode");
        Map<String, Object> pt = r.object("ProvisionedThroughput");
        long[] capacity = throughput(r, billing, pt, "");
        List<Object> gsis = r.list("GlobalSecondaryIndexes");
        List<Object> lsis = r.list("LocalSecondaryIndexes");
        if (lsis != null && range == null)
            throw Req.invalid(
                    "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        Set<String> used = new HashSet<>();
        used.add(hash);
        if (range != null) used.add(range);
        Set<String> indexNames = new HashSet<>();
        List<Object[]> parsed = new ArrayList<>();
        if (lsis != null) {
            if (lsis.isEmpty()) throw Req.invalid("List of LocalSecondaryIndexes is empty");
            if (lsis.size() > 5) throw Req.invalid("Number of LocalSecondaryIndexes exceeds per-table limit of 5");
            for (Object o : lsis) {
                Object[] idx = parseIndex(r, (Map<String, Object>) o, types, false, billing, indexNames);
                if (!hash.equals(idx[2]))
                    throw Req.invalid(
                            "Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                                    + idx[0] + ". index hash key: " + idx[2] + ", table hash key: " + hash);
                if (idx[3] == null) throw Req.invalid("Index KeySchema does not have a range key for index: " + idx[0]);
                used.add((String) idx[3]);
                parsed.add(idx);
            }
        }
        if (gsis != null) {
            if (gsis.isEmpty()) throw Req.invalid("List of GlobalSecondaryIndexes is empty");
            if (gsis.size() > 20)
                throw DynamoDbError.of(
                        400,
                        "LimitExceededException",
                        "Subscriber limit exceeded: The number of global secondary indexes exceeds the limit of 20");
            for (Object o : gsis) {
                Object[] idx = parseIndex(r, (Map<String, Object>) o, types, true, billing, indexNames);
                used.add((String) idx[2]);
                if (idx[3] != null) used.add((String) idx[3]);
                parsed.add(idx);
            }
        }
        if (!used.containsAll(types.keySet()) || used.size() != types.size())
            throw Req.invalid(
                    "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        boolean streamOn = streamSpec != null && Boolean.TRUE.equals(streamSpec.get("StreamEnabled"));
        if (streamSpec != null) {
            if (streamOn && streamSpec.get("StreamViewType") == null)
                throw DynamoDbError.validation(
                        "One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true");
            if (!streamOn && streamSpec.get("StreamViewType") != null)
                throw DynamoDbError.validation(
                        "One or more parameter values were invalid: StreamViewType must not be specified when StreamEnabled is false");
        }
        Table t = new Table(name, region, System.currentTimeMillis(), hash, range);
        t.attributeTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(types));
        t.billingMode = billing;
        t.readCapacity = capacity[0];
        t.writeCapacity = capacity[1];
        for (Object[] idx : parsed) t.indexes.add(toIndex(t, idx));
        if (r.has("Tags"))
            for (Object o : r.list("Tags")) {
                Map<String, Object> tag = (Map<String, Object>) o;
                t.tags.put((String) tag.get("Key"), (String) tag.get("Value"));
            }
        t.deletionProtection = Boolean.TRUE.equals(r.bool("DeletionProtectionEnabled"));
        // the stream is only registered once the table is, so a refused CreateTable leaves no trace
        Stream stream = streamOn
                ? attachStream(db, t, (String) streamSpec.get("StreamViewType"), t.createdMillis, null, -1)
                : null;
        db.writeLock();
        try {
            if (db.tables.putIfAbsent(name, t) != null)
                throw DynamoDbError.resourceInUse("Table already exists: " + name);
            try {
                db.journalRecord(definitionRecord(t));
            } catch (RuntimeException e) {
                db.tables.remove(name, t);
                throw e;
            }
            if (stream != null) db.streams.put(stream.arn, stream);
        } finally {
            db.writeUnlock();
        }
        return Json.object("TableDescription", describe(db, t));
    }

    private static long[] throughput(Req r, String billing, Map<String, Object> pt, String index) {
        if ("PAY_PER_REQUEST".equals(billing)) {
            if (pt != null)
                throw Req.invalid(
                        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            return new long[] {0, 0};
        }
        if (pt == null) {
            if (index.isEmpty())
                throw Req.invalid(
                        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            throw Req.invalid("ProvisionedThroughput must be specified for index: " + index);
        }
        Long rcu = r.longValue(pt, "ReadCapacityUnits");
        Long wcu = r.longValue(pt, "WriteCapacityUnits");
        if (rcu == null)
            r.error("Value null at '" + (index.isEmpty() ? "" : "globalSecondaryIndexes.1.member.")
                    + "provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null");
        if (wcu == null)
            r.error(
                    "Value null at '" + (index.isEmpty() ? "" : "globalSecondaryIndexes.1.member.")
                            + "provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must not be null");
        if (rcu != null && rcu < 1)
            r.error(
                    "Value '" + rcu
                            + "' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
        if (wcu != null && wcu < 1)
            r.error(
                    "Value '" + wcu
                            + "' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
        r.check();
        if (rcu > 40000 || wcu > 40000)
            throw Req.invalid("The provisioned throughput for the table will exceed the maximum allowed limit");
        return new long[] {rcu, wcu};
    }

    /** [name, global, hash, range, projectionType, nonKeyAttributes, rcu, wcu] */
    @SuppressWarnings("unchecked")
    private static Object[] parseIndex(
            Req r,
            Map<String, Object> spec,
            Map<String, String> types,
            boolean global,
            String billing,
            Set<String> names) {
        String name = (String) spec.get("IndexName");
        if (name == null)
            throw DynamoDbError.validation("1 validation error detected: Value null at '"
                    + (global ? "globalSecondaryIndexes" : "localSecondaryIndexes")
                    + ".1.member.indexName' failed to satisfy constraint: Member must not be null");
        if (!names.add(name)) throw Req.invalid("Duplicate index name: " + name);
        List<Object> ks = (List<Object>) spec.get("KeySchema");
        if (ks == null || ks.isEmpty() || ks.size() > 2)
            throw DynamoDbError.validation("Invalid KeySchema: Some index key attribute have no definition");
        Map<String, Object> first = (Map<String, Object>) ks.get(0);
        String hash = (String) first.get("AttributeName");
        if (!"HASH".equals(first.get("KeyType")))
            throw DynamoDbError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        String range = null;
        if (ks.size() == 2) {
            Map<String, Object> second = (Map<String, Object>) ks.get(1);
            if (!"RANGE".equals(second.get("KeyType")))
                throw DynamoDbError.validation(
                        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            range = (String) second.get("AttributeName");
            if (range.equals(hash))
                throw Req.invalid("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!types.containsKey(hash) || (range != null && !types.containsKey(range)))
            throw DynamoDbError.validation("Invalid KeySchema: Some index key attribute have no definition");
        Map<String, Object> projection = (Map<String, Object>) spec.get("Projection");
        if (projection == null)
            throw DynamoDbError.validation("1 validation error detected: Value null at '"
                    + (global ? "globalSecondaryIndexes" : "localSecondaryIndexes")
                    + ".1.member.projection' failed to satisfy constraint: Member must not be null");
        String type = (String) projection.get("ProjectionType");
        List<String> nonKey = Codec.strings(projection.get("NonKeyAttributes"));
        if (type == null) throw Req.invalid("Unknown ProjectionType: null");
        if (!type.equals("ALL") && !type.equals("KEYS_ONLY") && !type.equals("INCLUDE"))
            throw DynamoDbError.validation(
                    "1 validation error detected: Value '" + type + "' at '"
                            + (global ? "globalSecondaryIndexes" : "localSecondaryIndexes")
                            + ".1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
        if (type.equals("INCLUDE") && (nonKey == null || nonKey.isEmpty()))
            throw Req.invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        if (!type.equals("INCLUDE") && nonKey != null)
            throw Req.invalid("ProjectionType is " + type + ", but NonKeyAttributes is specified");
        long[] cap = new long[] {0, 0};
        if (global) {
            Map<String, Object> pt = (Map<String, Object>) spec.get("ProvisionedThroughput");
            if ("PAY_PER_REQUEST".equals(billing)) {
                if (pt != null)
                    throw Req.invalid("ProvisionedThroughput should not be specified for index: " + name
                            + " when BillingMode is PAY_PER_REQUEST");
            } else {
                cap = throughput(r, billing, pt, name);
            }
        }
        return new Object[] {name, global, hash, range, type, nonKey, cap[0], cap[1]};
    }

    @SuppressWarnings("unchecked")
    private static Index toIndex(Table t, Object[] p) {
        Index i = new Index(
                t, (String) p[0], (Boolean) p[1], (String) p[2], (String) p[3], (String) p[4], (List<String>) p[5]);
        i.readCapacity = (Long) p[6];
        i.writeCapacity = (Long) p[7];
        return i;
    }

    static void enableStream(Database db, Table t, String viewType, long now) {
        Stream s = attachStream(db, t, viewType, now, null, -1);
        db.streams.put(s.arn, s);
    }

    /** A new stream for {@code t}, not yet listed; {@code firstShardId} null names a new first shard. */
    private static Stream attachStream(
            Database db, Table t, String viewType, long now, String firstShardId, long firstShardStart) {
        Stream s = new Stream(
                t.arn, t.name, viewType, now, db.shardRecords, db.shardMillis, firstShardId, firstShardStart);
        t.stream = s;
        t.streamEnabled = true;
        t.streamViewType = viewType;
        return s;
    }

    // ---------------------------------------------------------------- DescribeTable

    static Map<String, Object> describe(Database db, Table t) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        List<Object> defs = new ArrayList<>();
        for (Map.Entry<String, String> e : t.attributeTypes.entrySet())
            defs.add(Json.object("AttributeName", e.getKey(), "AttributeType", e.getValue()));
        d.put("AttributeDefinitions", defs);
        d.put("TableName", t.name);
        d.put("KeySchema", keySchema(t.hashKey, t.rangeKey));
        d.put("TableStatus", t.status);
        d.put("CreationDateTime", BigDecimal.valueOf(t.createdMillis, 3));
        LinkedHashMap<String, Object> pt = new LinkedHashMap<>();
        pt.put("NumberOfDecreasesToday", 0);
        pt.put("ReadCapacityUnits", t.readCapacity);
        pt.put("WriteCapacityUnits", t.writeCapacity);
        d.put("ProvisionedThroughput", pt);
        long size = 0;
        long count = 0;
        for (Map<String, AttributeValue> item : t.items.values()) {
            size += Values.itemSize(item);
            count++;
        }
        d.put("TableSizeBytes", size);
        d.put("ItemCount", count);
        d.put("TableArn", t.arn);
        d.put("TableId", t.tableId);
        if ("PAY_PER_REQUEST".equals(t.billingMode) || t.billingChangedMillis != 0) {
            d.put(
                    "BillingModeSummary",
                    Json.object(
                            "BillingMode",
                            t.billingMode,
                            "LastUpdateToPayPerRequestDateTime",
                            BigDecimal.valueOf(
                                    t.billingChangedMillis == 0 ? t.createdMillis : t.billingChangedMillis, 3)));
        }
        List<Object> gsis = new ArrayList<>();
        List<Object> lsis = new ArrayList<>();
        for (Index i : t.indexes) {
            LinkedHashMap<String, Object> x = new LinkedHashMap<>();
            x.put("IndexName", i.name);
            x.put("KeySchema", keySchema(i.hashKey, i.rangeKey));
            LinkedHashMap<String, Object> proj = new LinkedHashMap<>();
            proj.put("ProjectionType", i.projectionType);
            if (i.nonKeyAttributes != null) proj.put("NonKeyAttributes", i.nonKeyAttributes);
            x.put("Projection", proj);
            long isize = 0;
            long icount = 0;
            for (Map<String, AttributeValue> item : i.entries.values()) {
                isize += Values.itemSize(item);
                icount++;
            }
            if (i.global) {
                x.put("IndexStatus", i.status);
                if (i.backfilling) x.put("Backfilling", true);
                x.put(
                        "ProvisionedThroughput",
                        Json.object(
                                "NumberOfDecreasesToday",
                                0,
                                "ReadCapacityUnits",
                                i.readCapacity,
                                "WriteCapacityUnits",
                                i.writeCapacity));
            }
            x.put("IndexSizeBytes", isize);
            x.put("ItemCount", icount);
            x.put("IndexArn", i.arn());
            (i.global ? gsis : lsis).add(x);
        }
        if (!gsis.isEmpty()) d.put("GlobalSecondaryIndexes", gsis);
        if (!lsis.isEmpty()) d.put("LocalSecondaryIndexes", lsis);
        Stream s = t.stream;
        if (s != null && s.enabled) {
            d.put("StreamSpecification", Json.object("StreamEnabled", true, "StreamViewType", s.viewType));
        }
        if (s != null) {
            d.put("LatestStreamLabel", s.label);
            d.put("LatestStreamArn", s.arn);
        }
        d.put("DeletionProtectionEnabled", t.deletionProtection);
        return d;
    }

    static List<Object> keySchema(String hash, String range) {
        List<Object> ks = new ArrayList<>();
        ks.add(Json.object("AttributeName", hash, "KeyType", "HASH"));
        if (range != null) ks.add(Json.object("AttributeName", range, "KeyType", "RANGE"));
        return ks;
    }

    // ---------------------------------------------------------------- ListTables / DeleteTable

    private static Map<String, Object> listTables(Database db, Req r) {
        Integer limit = r.integer("Limit");
        if (limit != null && limit < 1)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        if (limit != null && limit > 100)
            r.error("Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        if (r.has("ExclusiveStartTableName"))
            r.tableNameValue(r.string("ExclusiveStartTableName"), "exclusiveStartTableName");
        r.check();
        int max = limit == null ? 100 : limit;
        TreeMap<String, Table> sorted = new TreeMap<>(db.tables);
        String start = r.string("ExclusiveStartTableName");
        List<String> names = new ArrayList<>();
        String last = null;
        for (String n : (start == null ? sorted : sorted.tailMap(start, false)).keySet()) {
            if (names.size() == max) {
                last = names.get(names.size() - 1);
                break;
            }
            names.add(n);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("TableNames", names);
        if (last != null) out.put("LastEvaluatedTableName", last);
        return out;
    }

    private static Map<String, Object> deleteTable(Database db, Req r) {
        Table t = describeChecks(db, r);
        if (t.deletionProtection)
            throw DynamoDbError.validation(
                    "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        db.writeLock();
        try {
            if (!db.tables.remove(t.name, t))
                throw DynamoDbError.resourceNotFound("Requested resource not found: Table: " + t.name + " not found");
            db.journalRecord(Json.object("op", "DeleteTable", "TableName", t.name));
        } finally {
            db.writeUnlock();
        }
        Stream s = t.stream;
        if (s != null) s.disable();
        Map<String, Object> d = describe(db, t);
        d.put("TableStatus", "DELETING");
        return Json.object("TableDescription", d);
    }

    // ---------------------------------------------------------------- UpdateTable

    @SuppressWarnings("unchecked")
    private static Map<String, Object> updateTable(Database db, Req r) {
        Table t = describeChecks(db, r);
        r.enumValue("BillingMode", "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        r.check();
        String billing = r.string("BillingMode");
        Map<String, Object> pt = r.object("ProvisionedThroughput");
        Map<String, Object> streamSpec = r.object("StreamSpecification");
        List<Object> gsiUpdates = r.list("GlobalSecondaryIndexUpdates");
        Boolean protection = r.bool("DeletionProtectionEnabled");
        if (billing == null
                && pt == null
                && streamSpec == null
                && gsiUpdates == null
                && protection == null
                && !r.has("TableClass")
                && !r.has("ReplicaUpdates")
                && !r.has("SSESpecification"))
            throw DynamoDbError.validation(
                    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        String newBilling = billing == null ? t.billingMode : billing;
        long[] cap = null;
        if (pt != null) {
            if ("PAY_PER_REQUEST".equals(newBilling))
                throw Req.invalid(
                        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            cap = throughput(r, "PROVISIONED", pt, "");
            if (!"PAY_PER_REQUEST".equals(billing)
                    && "PROVISIONED".equals(t.billingMode)
                    && cap[0] == t.readCapacity
                    && cap[1] == t.writeCapacity
                    && streamSpec == null
                    && gsiUpdates == null)
                throw DynamoDbError.validation(
                        "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: "
                                + t.readCapacity + ". Requested ReadCapacityUnits: " + cap[0]
                                + ". Current WriteCapacityUnits provisioned for the table: " + t.writeCapacity
                                + ". Requested WriteCapacityUnits: " + cap[1] + ".");
        } else if ("PROVISIONED".equals(billing) && !"PROVISIONED".equals(t.billingMode)) {
            throw Req.invalid(
                    "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }
        String newView = null;
        boolean disableStream = false;
        if (streamSpec != null) {
            boolean on = Boolean.TRUE.equals(streamSpec.get("StreamEnabled"));
            String view = (String) streamSpec.get("StreamViewType");
            Stream cur = t.stream;
            boolean active = cur != null && cur.enabled;
            if (on) {
                if (view == null) throw Req.invalid("StreamViewType must be specified when StreamEnabled is true");
                if (active) throw DynamoDbError.validation("Table already has an enabled stream: " + t.arn);
                newView = view;
            } else {
                if (!active) throw DynamoDbError.validation("Table already has no enabled stream: " + t.arn);
                disableStream = true;
            }
        }
        List<Object[]> creates = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        Map<String, long[]> indexCaps = new LinkedHashMap<>();
        Map<String, String> newTypes = new LinkedHashMap<>(t.attributeTypes);
        if (r.has("AttributeDefinitions"))
            for (Object o : r.list("AttributeDefinitions")) {
                Map<String, Object> d = (Map<String, Object>) o;
                newTypes.put((String) d.get("AttributeName"), (String) d.get("AttributeType"));
            }
        if (gsiUpdates != null) {
            Set<String> names = new HashSet<>();
            for (Index i : t.indexes) names.add(i.name);
            for (Object o : gsiUpdates) {
                Map<String, Object> u = (Map<String, Object>) o;
                if (u.get("Create") != null) {
                    Object[] idx =
                            parseIndex(r, (Map<String, Object>) u.get("Create"), newTypes, true, newBilling, names);
                    creates.add(idx);
                } else if (u.get("Delete") != null) {
                    String n = (String) ((Map<String, Object>) u.get("Delete")).get("IndexName");
                    Index i = t.index(n);
                    if (i == null || !i.global)
                        throw DynamoDbError.resourceNotFound(
                                "Requested resource not found: Index: " + n + " not found");
                    deletes.add(n);
                } else if (u.get("Update") != null) {
                    Map<String, Object> up = (Map<String, Object>) u.get("Update");
                    String n = (String) up.get("IndexName");
                    Index i = t.index(n);
                    if (i == null || !i.global)
                        throw DynamoDbError.resourceNotFound(
                                "Requested resource not found: Index: " + n + " not found");
                    if ("PAY_PER_REQUEST".equals(newBilling))
                        throw Req.invalid("ProvisionedThroughput should not be specified for index: " + n
                                + " when BillingMode is PAY_PER_REQUEST");
                    indexCaps.put(
                            n, throughput(r, "PROVISIONED", (Map<String, Object>) up.get("ProvisionedThroughput"), n));
                }
            }
        }
        long now = System.currentTimeMillis();
        db.writeLock();
        try {
            if (billing != null && !billing.equals(t.billingMode)) {
                t.billingMode = billing;
                t.billingChangedMillis = now;
                if (billing.equals("PAY_PER_REQUEST")) {
                    t.readCapacity = 0;
                    t.writeCapacity = 0;
                    for (Index i : t.indexes) {
                        i.readCapacity = 0;
                        i.writeCapacity = 0;
                    }
                }
            }
            if (cap != null) {
                t.readCapacity = cap[0];
                t.writeCapacity = cap[1];
                if (billing != null)
                    for (Index i : t.indexes) {
                        if (i.global && i.readCapacity == 0) {
                            i.readCapacity = cap[0];
                            i.writeCapacity = cap[1];
                        }
                    }
            }
            if (protection != null) t.deletionProtection = protection;
            for (Map.Entry<String, long[]> e : indexCaps.entrySet()) {
                Index i = t.index(e.getKey());
                i.readCapacity = e.getValue()[0];
                i.writeCapacity = e.getValue()[1];
            }
            if (disableStream) {
                t.stream.disable();
                t.streamEnabled = false;
            }
            if (newView != null) enableStream(db, t, newView, now);
            for (String n : deletes) t.indexes.remove(t.index(n));
            for (Object[] idx : creates) {
                t.attributeTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(newTypes));
                Index i = toIndex(t, idx);
                i.status = "CREATING";
                i.backfilling = true;
                t.indexes.add(i);
                backfill(db, t, i);
            }
            db.journalRecord(definitionRecord(t));
        } finally {
            db.writeUnlock();
        }
        Map<String, Object> d = describe(db, t);
        if (!deletes.isEmpty() && d.get("GlobalSecondaryIndexes") instanceof List<?> l) {
            // the response still lists a deleted index, as DELETING
            List<Object> withDeleted = new ArrayList<>((List<Object>) l);
            for (String n : deletes) withDeleted.add(Json.object("IndexName", n, "IndexStatus", "DELETING"));
            d.put("GlobalSecondaryIndexes", withDeleted);
        }
        return Json.object("TableDescription", d);
    }

    /** Fills a new index from the table's items, then makes it ACTIVE, as DynamoDB does in the background. */
    private static void backfill(Database db, Table t, Index i) {
        Thread th = new Thread(
                () -> {
                    for (Key k : t.items.keySet()) db.reindex(t, i, k);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    i.backfilling = false;
                    i.status = "ACTIVE";
                },
                "dynamodb-backfill");
        th.setDaemon(true);
        th.start();
    }

    // ---------------------------------------------------------------- TTL

    @SuppressWarnings("unchecked")
    private static Map<String, Object> updateTtl(Database db, Req r) {
        r.tableName("TableName", "tableName", true);
        Map<String, Object> spec = r.object("TimeToLiveSpecification");
        if (spec == null)
            r.error("Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null");
        else {
            if (spec.get("AttributeName") == null)
                r.error(
                        "Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null");
            else if (((String) spec.get("AttributeName")).isEmpty())
                r.error(
                        "Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1");
            if (spec.get("Enabled") == null)
                r.error(
                        "Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
        }
        r.check();
        Table t = db.tables.get(r.string("TableName"));
        if (t == null)
            throw DynamoDbError.resourceNotFound(
                    "Requested resource not found: Table: " + r.string("TableName") + " not found");
        boolean enabled = Boolean.TRUE.equals(spec.get("Enabled"));
        String attr = (String) spec.get("AttributeName");
        db.writeLock();
        try {
            synchronized (t) {
                if (enabled && t.ttlEnabled) throw DynamoDbError.validation("TimeToLive is already enabled");
                if (!enabled && !t.ttlEnabled) throw DynamoDbError.validation("TimeToLive is already disabled");
                if (!enabled && !attr.equals(t.ttlAttribute))
                    throw DynamoDbError.validation(
                            "The attribute name provided does not match the current TimeToLive attribute name");
                t.ttlEnabled = enabled;
                t.ttlAttribute = enabled ? attr : null;
            }
            db.journalRecord(definitionRecord(t));
        } finally {
            db.writeUnlock();
        }
        return Json.object("TimeToLiveSpecification", Json.object("Enabled", enabled, "AttributeName", attr));
    }

    // ---------------------------------------------------------------- tags

    private static Table byArn(Database db, String arn) {
        if (arn != null) {
            for (Table t : db.tables.values()) if (t.arn.equals(arn)) return t;
        }
        throw DynamoDbError.of(
                400,
                "AccessDeniedException",
                "User: arn:aws:iam::000000000000:user/local is not authorized to perform: dynamodb:ListTagsOfResource on resource: "
                        + arn);
    }

    private static Table tagTarget(Database db, Req r, String action) {
        String arn = r.string("ResourceArn");
        if (arn == null) {
            r.error("Value null at 'resourceArn' failed to satisfy constraint: Member must not be null");
            r.check();
        }
        if (arn.isEmpty() || !arn.startsWith("arn:"))
            throw DynamoDbError.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        for (Table t : db.tables.values()) if (t.arn.equals(arn)) return t;
        // DynamoDB answers for a table that does not exist as IAM would: the caller may not touch it
        throw DynamoDbError.of(
                400,
                "AccessDeniedException",
                "User: arn:aws:iam::000000000000:user/local is not authorized to perform: dynamodb:" + action
                        + " on resource: " + arn);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tagResource(Database db, Req r) {
        List<Object> tags = r.list("Tags");
        if (tags == null) r.error("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        Table t = tagTarget(db, r, "TagResource");
        r.check();
        if (tags.isEmpty()) throw DynamoDbError.validation("Atleast one Tag needs to be provided as Input.");
        synchronized (t) {
            for (Object o : tags) {
                Map<String, Object> tag = (Map<String, Object>) o;
                String k = (String) tag.get("Key");
                if (k == null || k.isEmpty())
                    throw DynamoDbError.validation(
                            "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }
            if (t.tags.size() + tags.size() > 50) {
                Set<String> all = new HashSet<>(t.tags.keySet());
                for (Object o : tags) all.add((String) ((Map<String, Object>) o).get("Key"));
                if (all.size() > 50)
                    throw DynamoDbError.of(400, "LimitExceededException", "The number of tags exceeds the limit of 50");
            }
            for (Object o : tags) {
                Map<String, Object> tag = (Map<String, Object>) o;
                t.tags.put((String) tag.get("Key"), tag.get("Value") == null ? "" : (String) tag.get("Value"));
            }
        }
        db.journalRecord(definitionRecord(t));
        return new LinkedHashMap<>();
    }

    private static Map<String, Object> untagResource(Database db, Req r) {
        List<String> keys = Codec.strings(r.body.get("TagKeys"));
        if (keys == null) r.error("Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        Table t = tagTarget(db, r, "UntagResource");
        r.check();
        synchronized (t) {
            for (String k : keys) t.tags.remove(k);
        }
        db.journalRecord(definitionRecord(t));
        return new LinkedHashMap<>();
    }

    private static Map<String, Object> listTags(Database db, Req r) {
        Table t = tagTarget(db, r, "ListTagsOfResource");
        List<Object> tags = new ArrayList<>();
        synchronized (t) {
            for (Map.Entry<String, String> e : t.tags.entrySet())
                tags.add(Json.object("Key", e.getKey(), "Value", e.getValue()));
        }
        return Json.object("Tags", tags);
    }

    // ---------------------------------------------------------------- journal

    /** The whole definition of a table, replayable on its own (create, or update in place). */
    static Map<String, Object> definitionRecord(Table t) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("op", "Table");
        d.put("TableName", t.name);
        d.put("region", t.region);
        d.put("created", t.createdMillis);
        List<Object> defs = new ArrayList<>();
        for (Map.Entry<String, String> e : t.attributeTypes.entrySet())
            defs.add(Json.object("AttributeName", e.getKey(), "AttributeType", e.getValue()));
        d.put("AttributeDefinitions", defs);
        d.put("KeySchema", keySchema(t.hashKey, t.rangeKey));
        d.put("BillingMode", t.billingMode);
        d.put("rcu", t.readCapacity);
        d.put("wcu", t.writeCapacity);
        List<Object> idx = new ArrayList<>();
        for (Index i : t.indexes) {
            LinkedHashMap<String, Object> x = new LinkedHashMap<>();
            x.put("IndexName", i.name);
            x.put("global", i.global);
            x.put("KeySchema", keySchema(i.hashKey, i.rangeKey));
            x.put("ProjectionType", i.projectionType);
            if (i.nonKeyAttributes != null) x.put("NonKeyAttributes", i.nonKeyAttributes);
            x.put("rcu", i.readCapacity);
            x.put("wcu", i.writeCapacity);
            idx.add(x);
        }
        d.put("indexes", idx);
        if (t.ttlEnabled) d.put("ttl", t.ttlAttribute);
        Stream s = t.stream;
        if (s != null && s.enabled) {
            d.put("stream", s.viewType);
            // enough to bring the stream back under its own ARN, label and first shard
            d.put("streamCreated", s.createdMillis);
            Stream.Shard first = s.shardsCopy().get(0);
            d.put("streamShard", first.id);
            d.put("streamShardStart", first.startSequence);
        }
        synchronized (t) {
            d.put("tags", new LinkedHashMap<>(t.tags));
        }
        d.put("protection", t.deletionProtection);
        return d;
    }

    @SuppressWarnings("unchecked")
    static void replay(Database db, String op, Req r) {
        if ("DeleteTable".equals(op)) {
            db.tables.remove(r.string("TableName"));
            return;
        }
        if (!"Table".equals(op)) return;
        String name = r.string("TableName");
        Table t = db.tables.get(name);
        List<Object> ks = r.list("KeySchema");
        if (t == null) {
            String hash = (String) ((Map<String, Object>) ks.get(0)).get("AttributeName");
            String range = ks.size() > 1 ? (String) ((Map<String, Object>) ks.get(1)).get("AttributeName") : null;
            t = new Table(name, r.string("region"), ((BigDecimal) r.body.get("created")).longValue(), hash, range);
            db.tables.put(name, t);
        }
        LinkedHashMap<String, String> types = new LinkedHashMap<>();
        for (Object o : r.list("AttributeDefinitions")) {
            Map<String, Object> d = (Map<String, Object>) o;
            types.put((String) d.get("AttributeName"), (String) d.get("AttributeType"));
        }
        t.attributeTypes = java.util.Collections.unmodifiableMap(types);
        t.billingMode = r.string("BillingMode");
        t.readCapacity = r.longValue(r.body, "rcu");
        t.writeCapacity = r.longValue(r.body, "wcu");
        Set<String> keep = new HashSet<>();
        for (Object o : r.list("indexes")) {
            Map<String, Object> x = (Map<String, Object>) o;
            String n = (String) x.get("IndexName");
            keep.add(n);
            Index existing = t.index(n);
            if (existing == null) {
                List<Object> iks = (List<Object>) x.get("KeySchema");
                Index i = new Index(
                        t,
                        n,
                        (Boolean) x.get("global"),
                        (String) ((Map<String, Object>) iks.get(0)).get("AttributeName"),
                        iks.size() > 1 ? (String) ((Map<String, Object>) iks.get(1)).get("AttributeName") : null,
                        (String) x.get("ProjectionType"),
                        Codec.strings(x.get("NonKeyAttributes")));
                for (Map.Entry<Key, Map<String, AttributeValue>> e : t.items.entrySet()) {
                    Key k = i.keyOf(e.getValue(), e.getKey());
                    if (k != null) i.put(k, i.project(e.getValue()));
                }
                existing = i;
                t.indexes.add(i);
            }
            existing.readCapacity = r.longValue(x, "rcu");
            existing.writeCapacity = r.longValue(x, "wcu");
        }
        t.indexes.removeIf(i -> !keep.contains(i.name));
        String ttl = r.string("ttl");
        t.ttlEnabled = ttl != null;
        t.ttlAttribute = ttl;
        String view = r.string("stream");
        Stream s = t.stream;
        if (view != null && (s == null || !s.enabled)) {
            if (r.body.get("streamCreated") instanceof BigDecimal created) {
                Stream restored = attachStream(
                        db,
                        t,
                        view,
                        created.longValue(),
                        r.string("streamShard"),
                        ((BigDecimal) r.body.get("streamShardStart")).longValue());
                db.streams.put(restored.arn, restored);
            } else {
                enableStream(db, t, view, System.currentTimeMillis());
            }
        }
        if (view == null && s != null && s.enabled) s.disable();
        t.tags.clear();
        Map<String, Object> tags = r.object("tags");
        if (tags != null)
            for (Map.Entry<String, Object> e : tags.entrySet()) t.tags.put(e.getKey(), (String) e.getValue());
        t.deletionProtection = Boolean.TRUE.equals(r.bool("protection"));
    }

    static String encodeIterator(String streamArn, String shardId, long nextSequence, long createdMillis) {
        String raw = streamArn + "|" + shardId + "|" + nextSequence + "|" + createdMillis;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
