package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class IndexLifecycleTest {

    @Test
    void anIndexAddedToAFilledTableIsBackfilledThenActiveAndCanBeDeleted() throws InterruptedException {
        try (DynamoDbEngine engine = DynamoDbEngine.builder().build();
                DynamoDbClient ddb = EngineFixture.client(engine)) {
            String name = EngineFixture.uniqueName("index-lifecycle");
            ddb.createTable(EngineFixture.table(name, null).build());
            for (int i = 0; i < 10; i++) {
                String pk = "item-" + i;
                Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item =
                        i % 2 == 0 ? Map.of("pk", s(pk), "colour", s("red")) : Map.of("pk", s(pk));
                ddb.putItem(b -> b.tableName(name).item(item));
            }
            GlobalSecondaryIndexDescription created = ddb.updateTable(b -> b.tableName(name)
                            .attributeDefinitions(AttributeDefinition.builder()
                                    .attributeName("colour")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                            .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("by-colour")
                                    .keySchema(k -> k.attributeName("colour").keyType(KeyType.HASH))
                                    .projection(p -> p.projectionType(ProjectionType.ALL)))))
                    .tableDescription()
                    .globalSecondaryIndexes()
                    .get(0);
            assertEquals(IndexStatus.CREATING, created.indexStatus());

            IndexStatus status = created.indexStatus();
            for (int attempt = 0; attempt < 100 && status != IndexStatus.ACTIVE; attempt++) {
                Thread.sleep(50);
                status = ddb.describeTable(b -> b.tableName(name))
                        .table()
                        .globalSecondaryIndexes()
                        .get(0)
                        .indexStatus();
            }
            assertEquals(IndexStatus.ACTIVE, status);
            int count = ddb.query(b -> b.tableName(name)
                            .indexName("by-colour")
                            .keyConditionExpression("colour = :c")
                            .expressionAttributeValues(Map.of(":c", s("red"))))
                    .count();
            assertEquals(5, count, "items written before the index existed are in it");

            ddb.updateTable(
                    b -> b.tableName(name).globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("by-colour"))));
            assertFalse(
                    ddb.describeTable(b -> b.tableName(name)).table().hasGlobalSecondaryIndexes(),
                    "the deleted index is gone");
        }
    }
}
