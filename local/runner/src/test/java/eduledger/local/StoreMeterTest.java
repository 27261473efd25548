package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.harness.TestStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The units the meter counts for calls whose cost DynamoDB's pricing rules fix, on the test store. */
class StoreMeterTest {
    private final StoreMeter.Metered metered = StoreMeter.client(TestStore.get().endpoint());
    private final String table = "meter-" + UUID.randomUUID();

    StoreMeterTest() {
        metered.client()
                .createTable(b -> b.tableName(table)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                AttributeDefinition.builder()
                                        .attributeName("pk")
                                        .attributeType(ScalarAttributeType.S)
                                        .build(),
                                AttributeDefinition.builder()
                                        .attributeName("gk")
                                        .attributeType(ScalarAttributeType.S)
                                        .build())
                        .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                        .globalSecondaryIndexes(g -> g.indexName("ByG")
                                .keySchema(k -> k.attributeName("gk").keyType(KeyType.HASH))
                                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        metered.meter().reset();
    }

    @AfterEach
    void dropTable() {
        metered.client().deleteTable(b -> b.tableName(table));
    }

    private static Map<String, AttributeValue> item(String pk, int bytes, boolean indexed) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("v", AttributeValue.fromS("x".repeat(bytes)));
        if (indexed) {
            item.put("gk", AttributeValue.fromS("g"));
        }
        return item;
    }

    @Test
    void aWriteCostsAUnitPerKilobyteAndOneMorePerIndexEntry() {
        metered.client().putItem(b -> b.tableName(table).item(item("a", 1500, true)));
        metered.client().putItem(b -> b.tableName(table).item(item("b", 10, false)));

        StoreMeter.Reading reading = metered.meter().read();
        assertEquals(2 + 1 + 1, reading.writeUnits(), "1.5 KB is two units, its index entry one, the small item one");
        assertEquals(2, reading.items());
    }

    @Test
    void aTransactionalWriteCostsTwiceAsMuch() {
        metered.client()
                .transactWriteItems(b -> b.transactItems(List.of(
                        software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder()
                                .put(p -> p.tableName(table).item(item("a", 10, false)))
                                .build())));

        assertEquals(2, metered.meter().read().writeUnits());
    }

    @Test
    void anEventuallyConsistentReadOfUpTo4KbIsHalfAUnit() {
        metered.client().putItem(b -> b.tableName(table).item(item("a", 5000, false)));
        metered.meter().reset();

        metered.client().getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("a"))));
        metered.client()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS("a")))
                        .consistentRead(true));

        assertEquals(1 + 2, metered.meter().read().readUnits(), "5 KB: two 4 KB units, halved when eventual");
    }

    @Test
    void aReadCostsItsWholeItemsHoweverFewAttributesItAsksFor() {
        metered.client().putItem(b -> b.tableName(table).item(item("a", 5000, true)));
        metered.client().putItem(b -> b.tableName(table).item(item("b", 5000, false)));
        metered.meter().reset();

        metered.client()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS("a")))
                        .projectionExpression("pk"));
        assertEquals(1, metered.meter().read().readUnits(), "5 KB read for its key alone: two units, halved");

        metered.meter().reset();
        metered.client()
                .query(b -> b.tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("b")))
                        .projectionExpression("pk")
                        .consistentRead(true));
        metered.client()
                .batchGetItem(b -> b.requestItems(Map.of(
                        table,
                        software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder()
                                .keys(List.of(
                                        Map.of("pk", AttributeValue.fromS("a")),
                                        Map.of("pk", AttributeValue.fromS("b"))))
                                .projectionExpression("pk")
                                .build())));
        assertEquals(2 + 2, metered.meter().read().readUnits(), "a consistent 5 KB Query, two eventual 5 KB gets");
    }
}
