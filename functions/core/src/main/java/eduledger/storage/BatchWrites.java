package eduledger.storage;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts many items into one table with BatchWriteItem. DynamoDB takes at most 25 writes a call and
 * may leave some unprocessed when a partition is busy; those are sent again under the store's one
 * {@link StoreBackoff}, which answers 503 when they stay unprocessed.
 */
public final class BatchWrites {
    /** Writes per BatchWriteItem call. */
    public static final int LIMIT = 25;

    private BatchWrites() {}

    public static void putAll(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        putAll(dynamo, table, items, throttled -> {});
    }

    /**
     * As {@link #putAll(DynamoDbClient, String, List)}, telling {@code throttled} which writes
     * DynamoDB left unprocessed or refused as throttled, so a caller can spread its keys wider.
     */
    public static void putAll(
            DynamoDbClient dynamo,
            String table,
            List<Map<String, AttributeValue>> items,
            Consumer<List<WriteRequest>> throttled) {
        StoreBackoff backoff = StoreBackoff.start();
        for (int from = 0; from < items.size(); from += LIMIT) {
            backoff.nextLoop();
            List<WriteRequest> pending = items.subList(from, Math.min(items.size(), from + LIMIT)).stream()
                    .map(item ->
                            WriteRequest.builder().putRequest(p -> p.item(item)).build())
                    .toList();
            while (!pending.isEmpty()) {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response;
                try {
                    response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
                } catch (SdkServiceException e) {
                    if (e.isThrottlingException()) {
                        throttled.accept(batch);
                    }
                    throw e;
                }
                pending = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of())
                        : List.of();
                if (!pending.isEmpty()) {
                    throttled.accept(pending);
                    backoff.pause();
                }
            }
        }
    }
}
