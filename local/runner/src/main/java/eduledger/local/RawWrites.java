package eduledger.local;

import eduledger.storage.BatchWrites;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The raw floor's writes: given items stored with as few DynamoDB calls as the API allows (one
 * PutItem for one item, BatchWriteItem of 25 otherwise), with no conditions and nothing else.
 */
final class RawWrites {
    private RawWrites() {}

    static void put(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        if (items.size() == 1) {
            dynamo.putItem(b -> b.tableName(table).item(items.get(0)));
            return;
        }
        // The functions' own batch writer: a floor that dropped unprocessed items would be faster
        // than any correct writer.
        BatchWrites.putAll(dynamo, table, items);
    }
}
