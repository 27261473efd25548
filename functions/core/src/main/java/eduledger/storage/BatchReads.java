package eduledger.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Reads many items of one table by key with BatchGetItem. DynamoDB takes at most 100 keys a call
 * and may leave some unprocessed (throttling, or the 16 MB answer limit); those are asked for again
 * under the store's one {@link StoreBackoff}, which answers 503 when they stay unprocessed.
 */
public final class BatchReads {
    /** Keys per BatchGetItem call. */
    public static final int LIMIT = 100;

    private BatchReads() {}

    /**
     * The items found, in no particular order; keys without an item are left out. The keys must be
     * distinct, as DynamoDB refuses a call that names one twice.
     */
    public static List<Map<String, AttributeValue>> getAll(
            DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> keys, boolean consistentRead) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        StoreBackoff backoff = StoreBackoff.start();
        for (int from = 0; from < keys.size(); from += LIMIT) {
            backoff.nextLoop();
            Map<String, KeysAndAttributes> request = Map.of(
                    table,
                    KeysAndAttributes.builder()
                            .keys(keys.subList(from, Math.min(keys.size(), from + LIMIT)))
                            .consistentRead(consistentRead)
                            .build());
            // Each round asks only for what the one before left unprocessed.
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> ask = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
                found.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    backoff.pause();
                }
            }
        }
        return found;
    }
}
