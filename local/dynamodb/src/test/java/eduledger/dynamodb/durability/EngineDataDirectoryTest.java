package eduledger.dynamodb.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.DynamoDbEngine;
import eduledger.dynamodb.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * An embedded engine on a data directory: what it acknowledged before and after a snapshot is all
 * there when a new engine opens the directory, and the directory is its alone while it runs.
 */
class EngineDataDirectoryTest {
    @TempDir
    Path data;

    private DynamoDbEngine engine() {
        return DynamoDbEngine.builder().port(0).journal(Journals.open(data)).build();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    private static AttributeValue n(String v) {
        return AttributeValue.builder().n(v).build();
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient ddb) {
        List<Map<String, AttributeValue>> items =
                new ArrayList<>(ddb.scanPaginator(b -> b.tableName("ledger").consistentRead(true)).items().stream()
                        .collect(Collectors.toList()));
        items.sort(Comparator.comparing(m -> m.get("pk").s()));
        return items;
    }

    private static List<String> byOwner(DynamoDbClient ddb, String owner) {
        return ddb
                .query(b -> b.tableName("ledger")
                        .indexName("by-owner")
                        .keyConditionExpression("#o = :o")
                        .expressionAttributeNames(Map.of("#o", "owner"))
                        .expressionAttributeValues(Map.of(":o", s(owner))))
                .items()
                .stream()
                .map(item -> item.get("pk").s())
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void whatWasWrittenBeforeAndAfterASnapshotIsThereOnReopen() throws Exception {
        List<Map<String, AttributeValue>> expected;
        try (DynamoDbEngine engine = engine();
                DynamoDbClient ddb = EngineFixture.client(engine)) {
            ddb.createTable(b -> b.tableName("ledger")
                    .attributeDefinitions(
                            AttributeDefinition.builder()
                                    .attributeName("pk")
                                    .attributeType(ScalarAttributeType.S)
                                    .build(),
                            AttributeDefinition.builder()
                                    .attributeName("owner")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName("by-owner")
                            .keySchema(KeySchemaElement.builder()
                                    .attributeName("owner")
                                    .keyType(KeyType.HASH)
                                    .build())
                            .projection(Projection.builder()
                                    .projectionType(ProjectionType.ALL)
                                    .build())
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            ddb.updateTimeToLive(b -> b.tableName("ledger")
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            ddb.putItem(b -> b.tableName("ledger").item(Map.of("pk", s("before-a"), "owner", s("ann"))));
            for (int i = 0; i < 20; i++) {
                Map<String, AttributeValue> item = Map.of(
                        "pk",
                        s(String.format("before-%02d", i)),
                        "owner",
                        s(i % 2 == 0 ? "ann" : "bob"),
                        "n",
                        n(String.valueOf(i)));
                ddb.putItem(b -> b.tableName("ledger").item(item));
            }
            ddb.deleteItem(b -> b.tableName("ledger").key(Map.of("pk", s("before-a"))));

            engine.snapshot();
            try (Stream<Path> files = Files.list(data)) {
                assertTrue(
                        files.anyMatch(p -> p.getFileName().toString().startsWith("snapshot-")),
                        "the engine wrote a snapshot");
            }

            ddb.updateItem(b -> b.tableName("ledger")
                    .key(Map.of("pk", s("before-00")))
                    .updateExpression("SET #o = :o ADD n :one")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", s("bob"), ":one", n("1"))));
            ddb.deleteItem(b -> b.tableName("ledger").key(Map.of("pk", s("before-01"))));
            List<TransactWriteItem> puts = new ArrayList<>();
            for (String pk : List.of("after-x", "after-y")) {
                puts.add(TransactWriteItem.builder()
                        .put(Put.builder()
                                .tableName("ledger")
                                .item(Map.of("pk", s(pk), "owner", s("cy")))
                                .build())
                        .build());
            }
            ddb.transactWriteItems(b -> b.transactItems(puts));
            expected = scan(ddb);
            assertEquals(21, expected.size());

            IllegalStateException inUse = assertThrows(IllegalStateException.class, () -> Journals.open(data));
            assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
        }

        try (DynamoDbEngine engine = engine();
                DynamoDbClient ddb = EngineFixture.client(engine)) {
            assertEquals(expected, scan(ddb));
            assertEquals(List.of("after-x", "after-y"), byOwner(ddb, "cy"));
            List<String> bob = byOwner(ddb, "bob");
            assertTrue(bob.contains("before-00"), "an update after the snapshot moved the item in the index");
            assertFalse(bob.contains("before-01"), "a delete after the snapshot left the index");
            assertEquals(
                    TimeToLiveStatus.ENABLED,
                    ddb.describeTimeToLive(b -> b.tableName("ledger"))
                            .timeToLiveDescription()
                            .timeToLiveStatus());
            assertEquals(
                    "1",
                    ddb.getItem(b -> b.tableName("ledger")
                                    .key(Map.of("pk", s("before-00")))
                                    .consistentRead(true))
                            .item()
                            .get("n")
                            .n());
        }
    }
}
