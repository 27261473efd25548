package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class QueryTest {
    @RegisterExtension
    static final EngineFixture.Running RUNNING = EngineFixture.running(DynamoDbEngine.builder());

    static final DynamoDbEngine engine = RUNNING.engine();
    static final DynamoDbClient ddb = RUNNING.client();
    static String table;

    @BeforeAll
    static void start() {
        table = EngineFixture.uniqueName("query");
        ddb.createTable(EngineFixture.table(table, ScalarAttributeType.N)
                .attributeDefinitions(
                        AttributeDefinition.builder()
                                .attributeName("pk")
                                .attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName("sk")
                                .attributeType(ScalarAttributeType.N)
                                .build(),
                        AttributeDefinition.builder()
                                .attributeName("owner")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName("by-owner")
                        .keySchema(
                                KeySchemaElement.builder()
                                        .attributeName("owner")
                                        .keyType(KeyType.HASH)
                                        .build(),
                                KeySchemaElement.builder()
                                        .attributeName("sk")
                                        .keyType(KeyType.RANGE)
                                        .build())
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))
                        .build())
                .build());
        // 30 items in partition "p": sort keys 1..30; every third has an owner (a sparse index)
        for (int batch = 0; batch < 3; batch++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int i = batch * 10 + 1; i <= batch * 10 + 10; i++) {
                Map<String, AttributeValue> item = new java.util.HashMap<>(
                        Map.of("pk", s("p"), "sk", n(Integer.toString(i)), "odd", AttributeValue.fromBool(i % 2 == 1)));
                if (i % 3 == 0) item.put("owner", s("alice"));
                writes.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
            }
            ddb.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
        }
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("other"), "sk", n("1"))));
    }

    @Test
    void pagesThroughAPartitionInSortKeyOrder() {
        List<Integer> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        int pages = 0;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = ddb.query(b -> b.tableName(table)
                    .keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("p")))
                    .limit(7)
                    .exclusiveStartKey(from));
            page.items().forEach(i -> seen.add(Integer.parseInt(i.get("sk").n())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            pages++;
        } while (start != null);
        assertEquals(30, seen.size());
        for (int i = 0; i < 30; i++) assertEquals(i + 1, seen.get(i), "numbers sort by value, not text");
        assertTrue(pages >= 5);
    }

    @Test
    void limitAppliesBeforeTheFilterAndSortConditionsNarrowTheRange() {
        QueryResponse r = ddb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                .filterExpression("odd = :t")
                .expressionAttributeValues(
                        Map.of(":p", s("p"), ":lo", n("10"), ":hi", n("20"), ":t", AttributeValue.fromBool(true)))
                .limit(4)
                .scanIndexForward(false));
        assertEquals(4, r.scannedCount());
        assertEquals(
                List.of("19", "17"),
                r.items().stream().map(i -> i.get("sk").n()).toList());
        assertEquals("17", r.lastEvaluatedKey().get("sk").n());

        QueryResponse count = ddb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :p AND sk > :v")
                .expressionAttributeValues(Map.of(":p", s("p"), ":v", n("25")))
                .select(Select.COUNT));
        assertEquals(5, count.count());
        assertFalse(count.hasItems());
    }

    @Test
    void readDescendingAPartitionGivesTheAscendingReadReversedAfterWritesDeletesAndIndexKeyChanges() {
        for (int i = 1; i <= 20; i++) {
            Map<String, AttributeValue> item =
                    new java.util.HashMap<>(Map.of("pk", s("q"), "sk", n(Integer.toString(i))));
            if (i % 2 == 0) item.put("owner", s("bob"));
            ddb.putItem(b -> b.tableName(table).item(item));
        }
        ddb.deleteItem(b -> b.tableName(table).key(Map.of("pk", s("q"), "sk", n("5"))));
        ddb.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", s("q"), "sk", n("6")))
                .updateExpression("REMOVE #o")
                .expressionAttributeNames(Map.of("#o", "owner")));
        ddb.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", s("q"), "sk", n("7")))
                .updateExpression("SET #o = :o")
                .expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("bob"))));
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("q"), "sk", n("20"), "note", s("again"))));

        List<Integer> tableUp = sortKeys(null, "pk", "q", true);
        List<Integer> tableDown = sortKeys(null, "pk", "q", false);
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) if (i != 5) expected.add(i);
        assertEquals(expected, tableUp);
        assertEquals(reversed(expected), tableDown);

        List<Integer> indexUp = sortKeys("by-owner", "owner", "bob", true);
        List<Integer> indexDown = sortKeys("by-owner", "owner", "bob", false);
        assertEquals(List.of(2, 4, 7, 8, 10, 12, 14, 16, 18), indexUp, "index entries follow key changes and deletes");
        assertEquals(reversed(indexUp), indexDown);

        QueryResponse between = ddb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":p", s("q"), ":lo", n("4"), ":hi", n("9")))
                .exclusiveStartKey(Map.of("pk", s("q"), "sk", n("8")))
                .scanIndexForward(false));
        assertEquals(
                List.of("7", "6", "4"),
                between.items().stream().map(i -> i.get("sk").n()).toList());
    }

    private static List<Integer> reversed(List<Integer> list) {
        List<Integer> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }

    /** Every sort key of one partition, read in pages of 3 in the given direction. */
    private static List<Integer> sortKeys(String index, String attribute, String value, boolean forward) {
        List<Integer> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = ddb.query(b -> b.tableName(table)
                    .indexName(index)
                    .keyConditionExpression("#k = :v")
                    .expressionAttributeNames(Map.of("#k", attribute))
                    .expressionAttributeValues(Map.of(":v", s(value)))
                    .limit(3)
                    .scanIndexForward(forward)
                    .exclusiveStartKey(from));
            page.items().forEach(i -> seen.add(Integer.parseInt(i.get("sk").n())));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return seen;
    }

    @Test
    void aSparseKeysOnlyIndexHoldsOnlyItemsWithItsKey() {
        QueryResponse r = ddb.query(b -> b.tableName(table)
                .indexName("by-owner")
                .keyConditionExpression("#o = :o")
                .expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("alice"))));
        assertEquals(10, r.count());
        for (Map<String, AttributeValue> item : r.items()) {
            assertEquals(Set.of("pk", "sk", "owner"), item.keySet(), "KEYS_ONLY projects the table and index keys");
        }
        DynamoDbException consistent = assertThrows(
                DynamoDbException.class,
                () -> ddb.query(b -> b.tableName(table)
                        .indexName("by-owner")
                        .keyConditionExpression("#o = :o")
                        .consistentRead(true)
                        .expressionAttributeNames(Map.of("#o", "owner"))
                        .expressionAttributeValues(Map.of(":o", s("alice")))));
        assertEquals(
                "Consistent reads are not supported on global secondary indexes",
                consistent.awsErrorDetails().errorMessage());

        ddb.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", s("p"), "sk", n("3")))
                .updateExpression("REMOVE #o")
                .expressionAttributeNames(Map.of("#o", "owner")));
        QueryResponse after = ddb.query(b -> b.tableName(table)
                .indexName("by-owner")
                .keyConditionExpression("#o = :o")
                .expressionAttributeNames(Map.of("#o", "owner"))
                .expressionAttributeValues(Map.of(":o", s("alice"))));
        assertEquals(9, after.count(), "removing the index key takes the item out of the index");
    }

    @Test
    void parallelScanSegmentsCoverTheTableOnce() {
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (int segment = 0; segment < 4; segment++) {
            int seg = segment;
            ScanResponse r = ddb.scan(b -> b.tableName(table).segment(seg).totalSegments(4));
            for (Map<String, AttributeValue> item : r.items())
                seen.add(item.get("pk").s() + "/" + item.get("sk").n());
            total += r.count();
        }
        int whole = ddb.scan(b -> b.tableName(table)).count();
        assertTrue(whole >= 31);
        assertEquals(whole, total);
        assertEquals(whole, seen.size(), "no item is in two segments");
    }

    @Test
    void batchGetReturnsFoundItemsAndRefusesDuplicates() {
        BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(Map.of(
                table,
                KeysAndAttributes.builder()
                        .keys(Map.of("pk", s("p"), "sk", n("1")), Map.of("pk", s("p"), "sk", n("99")))
                        .build())));
        assertEquals(1, r.responses().get(table).size());
        assertTrue(r.unprocessedKeys().isEmpty());
        DynamoDbException dup = assertThrows(
                DynamoDbException.class,
                () -> ddb.batchGetItem(b -> b.requestItems(Map.of(
                        table,
                        KeysAndAttributes.builder()
                                .keys(Map.of("pk", s("p"), "sk", n("1")), Map.of("pk", s("p"), "sk", n("1.0")))
                                .build()))));
        assertEquals(
                "Provided list of item keys contains duplicates",
                dup.awsErrorDetails().errorMessage());
    }

    @Test
    void updateItemAppliesExpressionsAndConditions() {
        Map<String, AttributeValue> k = Map.of("pk", s("counter"), "sk", n("0"));
        for (int i = 0; i < 3; i++) {
            ddb.updateItem(b -> b.tableName(table)
                    .key(k)
                    .updateExpression("ADD hits :one")
                    .expressionAttributeValues(Map.of(":one", n("1"))));
        }
        Map<String, AttributeValue> item =
                ddb.getItem(b -> b.tableName(table).key(k)).item();
        assertEquals("3", item.get("hits").n());
        assertThrows(
                software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.class,
                () -> ddb.updateItem(b -> b.tableName(table)
                        .key(k)
                        .updateExpression("SET hits = :z")
                        .conditionExpression("hits > :big")
                        .expressionAttributeValues(Map.of(":z", n("0"), ":big", n("10")))));
        DynamoDbException keyUpdate = assertThrows(
                DynamoDbException.class,
                () -> ddb.updateItem(b -> b.tableName(table)
                        .key(k)
                        .updateExpression("SET pk = :v")
                        .expressionAttributeValues(Map.of(":v", s("x")))));
        assertEquals(
                "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
                keyUpdate.awsErrorDetails().errorMessage());
    }
}
