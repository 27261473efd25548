package eduledger.storage;

import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads a key-ordered Query across DynamoDB's pages: a response stops at 1 MB (or the limit asked
 * for) and names the key to go on from, and every reader of more than one item follows it here.
 */
public final class QueryPages {
    private QueryPages() {}

    /**
     * @param query    table, key condition and values; paging fields are set here
     * @param startKey the key of the anchor item (exclusive), or null to start at an end
     */
    public static Page<Map<String, AttributeValue>> fetch(
            DynamoDbClient dynamo, QueryRequest query, PageRequest page, Map<String, AttributeValue> startKey) {
        // One item more than the page holds says whether another page exists.
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        walk(
                dynamo,
                query.toBuilder()
                        .scanIndexForward(page.forward())
                        .exclusiveStartKey(startKey)
                        .build(),
                () -> page.size() + 1 - items.size(),
                item -> {
                    items.add(item);
                    return items.size() <= page.size();
                });
        boolean more = items.size() > page.size();
        List<Map<String, AttributeValue>> pageItems =
                new ArrayList<>(items.subList(0, Math.min(items.size(), page.size())));
        if (!page.forward()) {
            Collections.reverse(pageItems);
        }
        return new Page<>(pageItems, more);
    }

    /**
     * Hands the query's items in key order to {@code reader} until it answers false or the key
     * range ends. Each call asks for at most {@code limit} items, so that a reader that knows how
     * many it still needs does not make the store read more.
     */
    public static void walk(
            DynamoDbClient dynamo,
            QueryRequest query,
            IntSupplier limit,
            Predicate<Map<String, AttributeValue>> reader) {
        Map<String, AttributeValue> exclusiveStart = query.hasExclusiveStartKey() ? query.exclusiveStartKey() : null;
        while (true) {
            QueryResponse response = dynamo.query(query.toBuilder()
                    .exclusiveStartKey(exclusiveStart)
                    .limit(limit.getAsInt())
                    .build());
            for (Map<String, AttributeValue> item : response.items()) {
                if (!reader.test(item)) {
                    return;
                }
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return;
            }
            exclusiveStart = response.lastEvaluatedKey();
        }
    }
}
