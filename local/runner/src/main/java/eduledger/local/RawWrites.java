package eduledger.local;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The raw floor's writes: given items stored with as few DynamoDB calls as the API allows (one
 * PutItem for one item, BatchWriteItem of 25 otherwise), with no conditions and nothing else.
 */
final class RawWrites {
    private static final int BATCH_WRITE_LIMIT = 25;

    private RawWrites() {}

    static void put(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        if (items.size() == 1) {
            dynamo.putItem(b -> b.tableName(table).item(items.get(0)));
            return;
        }
        for (int from = 0; from < items.size(); from += BATCH_WRITE_LIMIT) {
            List<WriteRequest> pending = items.subList(from, Math.min(items.size(), from + BATCH_WRITE_LIMIT)).stream()
                    .map(item -> WriteRequest.builder()
                            .putRequest(PutRequest.builder().item(item).build())
                            .build())
                    .toList();
            // A floor that dropped unprocessed items would be faster than any correct writer.
            while (!pending.isEmpty()) {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
                pending = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of())
                        : List.of();
            }
        }
    }
}
