package eduledger.storage;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eduledger.dynamodb.DynamoDbEngine;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.harness.TestStore;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The storage toolkit against an engine of its own, whose faults leave batch items unprocessed as
 * DynamoDB does under throttling: nothing may be lost, and what stays unprocessed ends in a 503.
 */
class BatchesAndPagesTest {
    private static DynamoDbEngine engine;
    private static DynamoDbClient dynamo;
    private static int tables;

    private String table;

    @BeforeAll
    static void startEngine() {
        engine = DynamoDbEngine.builder().host("127.0.0.1").port(0).build();
        dynamo = TestStore.client(engine.endpoint());
    }

    @AfterAll
    static void stopEngine() {
        dynamo.close();
        engine.close();
    }

    @BeforeEach
    void newTable() {
        engine.faults().clear();
        table = "batches-" + ++tables;
        dynamo.createTable(b -> b.tableName(table)
                .keySchema(
                        k -> k.attributeName(Keys.PK).keyType(KeyType.HASH),
                        k -> k.attributeName(Keys.SK).keyType(KeyType.RANGE))
                .attributeDefinitions(
                        a -> a.attributeName(Keys.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(Keys.SK).attributeType(ScalarAttributeType.S))
                .billingMode("PAY_PER_REQUEST"));
    }

    private static List<Map<String, AttributeValue>> items(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> key("p", String.format("%03d", i)))
                .toList();
    }

    private Set<String> stored() {
        Set<String> sks = new TreeSet<>();
        QueryPages.walk(dynamo, partition(), () -> 100, item -> sks.add(string(item, Keys.SK)));
        return sks;
    }

    private QueryRequest partition() {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("p")))
                .consistentRead(true)
                .build();
    }

    private static Set<String> sks(List<Map<String, AttributeValue>> items) {
        return items.stream().map(item -> string(item, Keys.SK)).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void writesEveryItemWhenCallsLeaveThemUnprocessed() {
        List<Map<String, AttributeValue>> items = items(60);
        engine.faults().unprocessedItems(3);

        BatchWrites.putAll(dynamo, table, items);

        assertEquals(sks(items), stored());
    }

    @Test
    void readsEveryItemWhenCallsLeaveKeysUnprocessed() {
        BatchWrites.putAll(dynamo, table, items(230));
        List<Map<String, AttributeValue>> keys = new ArrayList<>(items(240)); // ten keys with no item
        engine.faults().unprocessedItems(4);

        List<Map<String, AttributeValue>> found = BatchReads.getAll(dynamo, table, keys, true);

        assertEquals(230, found.size());
        assertEquals(sks(items(230)), sks(found));
    }

    @Test
    void itemsThatStayUnprocessedEndInAStoreUnavailableRefusal() {
        engine.faults().unprocessedItems(StoreBackoff.MAX_ATTEMPTS);

        ServiceException refused =
                assertThrows(ServiceException.class, () -> BatchWrites.putAll(dynamo, table, items(3)));

        assertEquals(Failure.STORE_UNAVAILABLE, refused.failure());
    }

    @Test
    void keysThatStayUnprocessedEndInAStoreUnavailableRefusal() {
        BatchWrites.putAll(dynamo, table, items(3));
        engine.faults().unprocessedItems(StoreBackoff.MAX_ATTEMPTS);

        ServiceException refused =
                assertThrows(ServiceException.class, () -> BatchReads.getAll(dynamo, table, items(3), true));

        assertEquals(Failure.STORE_UNAVAILABLE, refused.failure());
    }

    @Test
    void walkFollowsTheStoresPagesInKeyOrderAndStopsWhenTheReaderHasEnough() {
        BatchWrites.putAll(dynamo, table, items(9));
        List<String> seen = new ArrayList<>();

        QueryPages.walk(dynamo, partition(), () -> 2, item -> {
            seen.add(string(item, Keys.SK));
            return seen.size() < 7;
        });

        assertEquals(List.of("000", "001", "002", "003", "004", "005", "006"), seen);
    }

    @Test
    void aPageIsFullAcrossTheStoresPagesAndSaysWhetherMoreFollow() {
        BatchWrites.putAll(dynamo, table, items(9));

        Page<Map<String, AttributeValue>> first =
                QueryPages.fetch(dynamo, partition(), new PageRequest(4, true, null), null);
        Page<Map<String, AttributeValue>> last =
                QueryPages.fetch(dynamo, partition(), new PageRequest(5, true, null), key("p", "003"));
        Page<Map<String, AttributeValue>> backward =
                QueryPages.fetch(dynamo, partition(), new PageRequest(3, false, null), key("p", "004"));

        assertEquals(
                List.of("000", "001", "002", "003"),
                first.items().stream().map(i -> string(i, Keys.SK)).toList());
        assertEquals(true, first.more());
        assertEquals(
                List.of("004", "005", "006", "007", "008"),
                last.items().stream().map(i -> string(i, Keys.SK)).toList());
        assertEquals(false, last.more());
        assertEquals(
                List.of("001", "002", "003"),
                backward.items().stream().map(i -> string(i, Keys.SK)).toList());
        assertEquals(true, backward.more());
    }

    @Test
    void aPageOverShardsIsTheFirstOfTheirMergedItemsHoweverUnevenlyTheyFall() {
        // Evenly at random, all in one shard, and a run in one shard as long as a page then evenly:
        // the first reads leave no shard, one shard or several short, and every page must still be
        // the next items of the merged list, either way.
        java.util.Random random = new java.util.Random(11);
        List<java.util.function.IntUnaryOperator> spreads = List.of(
                i -> random.nextInt(8), i -> 5, i -> i < 100 ? 3 : i % 8, i -> i % 3 == 0 ? 1 : i % 2 == 0 ? 6 : 0);
        for (java.util.function.IntUnaryOperator spread : spreads) {
            newTable();
            List<String> ids = new ArrayList<>();
            List<Map<String, AttributeValue>> written = new ArrayList<>();
            for (int i = 0; i < 430; i++) {
                String id = String.format("%08x-0000-7000-8000-%012x", i * 7 + 3, i);
                ids.add(id);
                written.add(key("list#" + spread.applyAsInt(i), id));
            }
            BatchWrites.putAll(dynamo, table, written);
            ShardedPages.Partitions shards = new ShardedPages.Partitions(
                    table,
                    null,
                    Keys.PK,
                    IntStream.range(0, 8).mapToObj(i -> "list#" + i).toList());
            for (boolean forward : new boolean[] {true, false}) {
                List<String> seen = new ArrayList<>();
                String anchor = null;
                boolean more;
                do {
                    Page<Map<String, AttributeValue>> page = ShardedPages.read(
                            dynamo,
                            shards,
                            "00000000-0000-0000-0000-000000000000",
                            ShardedPages.HIGHEST_ID,
                            new PageRequest(100, forward, anchor));
                    List<String> pageIds =
                            page.items().stream().map(i -> string(i, Keys.SK)).toList();
                    int from = forward ? seen.size() : ids.size() - seen.size() - pageIds.size();
                    assertEquals(ids.subList(Math.max(0, from), from + pageIds.size()), pageIds);
                    more = page.more();
                    assertEquals(more ? 100 : ids.size() - seen.size(), pageIds.size());
                    seen.addAll(pageIds);
                    anchor = forward ? pageIds.get(pageIds.size() - 1) : pageIds.get(0);
                } while (more);
                assertEquals(ids.size(), seen.size());
            }
        }
    }

    @Test
    void aPageReadFromItsAnchorIsThePageAfterItAndSaysWhetherTheAnchorWasThere() {
        java.util.Random random = new java.util.Random(29);
        List<String> ids = new ArrayList<>();
        List<Map<String, AttributeValue>> written = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = String.format("%08x-0000-7000-8000-%012x", i * 5 + 2, i);
            ids.add(id);
            written.add(key("list#" + random.nextInt(8), id));
        }
        BatchWrites.putAll(dynamo, table, written);
        ShardedPages.Partitions shards = new ShardedPages.Partitions(
                table,
                null,
                Keys.PK,
                IntStream.range(0, 8).mapToObj(i -> "list#" + i).toList());
        String low = ids.get(20);
        String high = ids.get(280);
        List<String> anchors = new ArrayList<>();
        for (int n : new int[] {0, 19, 20, 21, 150, 279, 280, 281, 299}) {
            anchors.add(ids.get(n)); // items, within the range and outside it
        }
        // Ids that no item has, between items and beyond them, and anchors not in the stored form.
        anchors.add(String.format("%08x-0000-7000-8000-%012x", 150 * 5 + 3, 150));
        anchors.add("00000000-0000-7000-8000-000000000000");
        anchors.add(ShardedPages.HIGHEST_ID);
        anchors.add(ids.get(150).toUpperCase(java.util.Locale.ROOT));
        for (String anchor : anchors) {
            for (boolean forward : new boolean[] {true, false}) {
                for (int size : new int[] {1, 7, 100, 400}) {
                    PageRequest page = new PageRequest(size, forward, anchor);
                    String what = anchor + (forward ? " forward " : " backward ") + size;
                    Page<Map<String, AttributeValue>> expected = ShardedPages.read(dynamo, shards, low, high, page);
                    ShardedPages.Anchored anchored = ShardedPages.readFromAnchor(dynamo, shards, low, high, page);
                    assertEquals(
                            expected.items().stream()
                                    .map(i -> string(i, Keys.SK))
                                    .toList(),
                            anchored.page().items().stream()
                                    .map(i -> string(i, Keys.SK))
                                    .toList(),
                            what);
                    assertEquals(expected.more(), anchored.page().more(), what);
                    int at = ids.indexOf(anchor.toLowerCase(java.util.Locale.ROOT));
                    assertEquals(at >= 20 && at <= 280, anchored.anchorFound(), what);
                }
            }
        }
        // No item can follow what is no id; the caller's own check refuses it.
        ShardedPages.Anchored none =
                ShardedPages.readFromAnchor(dynamo, shards, low, high, new PageRequest(10, true, "not-an-id"));
        assertEquals(List.of(), none.page().items());
        assertEquals(false, none.anchorFound());
    }

    @Test
    void aPageOfNamedAttributesCarriesThoseAloneOnEveryShardAndReadOn() {
        java.util.Random random = new java.util.Random(37);
        List<String> ids = new ArrayList<>();
        List<Map<String, AttributeValue>> written = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String id = String.format("%08x-0000-7000-8000-%012x", i * 3 + 1, i);
            ids.add(id);
            Map<String, AttributeValue> item = new java.util.HashMap<>(key("list#" + random.nextInt(4), id));
            item.put("data", s("body " + i));
            item.put("type", s("kind " + i));
            item.put("left_out", s("not read"));
            written.add(item);
        }
        // One shard holds a run of ids alone, so that its first share runs short and it is read on.
        for (int i = 0; i < 40; i++) {
            String id = String.format("%08x-0000-7000-8000-%012x", 1000 + i, 200 + i);
            ids.add(id);
            Map<String, AttributeValue> item = new java.util.HashMap<>(key("list#0", id));
            item.put("data", s("late " + i));
            item.put("left_out", s("not read"));
            written.add(item);
        }
        BatchWrites.putAll(dynamo, table, written);
        ShardedPages.Partitions shards = new ShardedPages.Partitions(
                        table,
                        null,
                        Keys.PK,
                        IntStream.range(0, 4).mapToObj(i -> "list#" + i).toList())
                .reading(List.of(Keys.SK, "data", "type"));
        Page<Map<String, AttributeValue>> page = ShardedPages.read(
                dynamo,
                shards,
                "00000000-0000-0000-0000-000000000000",
                ShardedPages.HIGHEST_ID,
                new PageRequest(150, true, null));
        assertEquals(
                ids.subList(0, 150),
                page.items().stream().map(i -> string(i, Keys.SK)).toList());
        for (Map<String, AttributeValue> item : page.items()) {
            Set<String> expected = item.containsKey("type") ? Set.of(Keys.SK, "data", "type") : Set.of(Keys.SK, "data");
            assertEquals(expected, item.keySet());
        }
        assertEquals("body 7", string(page.items().get(7), "data"));
        assertEquals("late 29", string(page.items().get(149), "data"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ShardedPages.Partitions(table, null, Keys.PK, List.of("list#0")).reading(List.of("data")));
    }
}
