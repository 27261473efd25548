package eduledger.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** Creates the template's tables in a local store, each named after its logical id. */
public final class LocalTables {
    private LocalTables() {}

    /** Creates every missing table; returns logical id → table name. */
    public static Map<String, String> create(DynamoDbClient dynamo, SamTemplate template) {
        Map<String, String> names = new LinkedHashMap<>();
        for (SamTemplate.Table table : template.tables().values()) {
            names.put(table.logicalId(), table.logicalId());
            try {
                dynamo.createTable(request(table));
            } catch (ResourceInUseException alreadyThere) {
                continue; // kept from an earlier run (--data DIR)
            }
            String ttl = table.ttlAttribute();
            if (ttl != null) {
                dynamo.updateTimeToLive(b -> b.tableName(table.logicalId())
                        .timeToLiveSpecification(s -> s.enabled(true).attributeName(ttl)));
            }
        }
        return names;
    }

    /** The environment a function gets locally: each value naming a table resolves to its local name. */
    public static Map<String, String> environment(SamTemplate.Function function, Map<String, String> tableNames) {
        Map<String, String> env = new LinkedHashMap<>();
        function.environment().forEach((name, value) -> env.put(name, tableNames.getOrDefault(value, value)));
        return env;
    }

    static CreateTableRequest request(SamTemplate.Table table) {
        JsonNode properties = table.properties();
        List<AttributeDefinition> attributes = new ArrayList<>();
        properties
                .path("AttributeDefinitions")
                .forEach(a -> attributes.add(AttributeDefinition.builder()
                        .attributeName(a.path("AttributeName").asText())
                        .attributeType(a.path("AttributeType").asText())
                        .build()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        properties
                .path("GlobalSecondaryIndexes")
                .forEach(index -> indexes.add(GlobalSecondaryIndex.builder()
                        .indexName(index.path("IndexName").asText())
                        .keySchema(keySchema(index.path("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType(index.path("Projection")
                                        .path("ProjectionType")
                                        .asText("ALL"))
                                .nonKeyAttributes(nonKeyAttributes(index.path("Projection")))
                                .build())
                        .build()));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.logicalId())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(properties.path("KeySchema")));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        if (table.streamViewType() != null) {
            request.streamSpecification(
                    s -> s.streamEnabled(true).streamViewType(StreamViewType.fromValue(table.streamViewType())));
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(JsonNode keys) {
        List<KeySchemaElement> elements = new ArrayList<>();
        keys.forEach(k -> elements.add(KeySchemaElement.builder()
                .attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText())
                .build()));
        return elements;
    }

    private static List<String> nonKeyAttributes(JsonNode projection) {
        List<String> names = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(n -> names.add(n.asText()));
        return names.isEmpty() ? null : names;
    }
}
