package eduledger.storage;

import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads one page of a key-ordered Query. It asks for one item more than the page holds to know
 * whether another page exists, and follows DynamoDB's 1 MB response limit until the page is full.
 */
public final class QueryPages {
    private QueryPages() {}

    /**
     * @param query    table, key condition and values; paging fields are set here
     * @param startKey the key of the anchor item (exclusive), or null to start at an end
     */
    public static Page<Map<String, AttributeValue>> fetch(
            DynamoDbClient dynamo, QueryRequest query, PageRequest page, Map<String, AttributeValue> startKey) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> exclusiveStart = startKey;
        while (items.size() <= page.size()) {
            QueryResponse response = dynamo.query(query.toBuilder()
                    .scanIndexForward(page.forward())
                    .exclusiveStartKey(exclusiveStart)
                    .limit(page.size() + 1 - items.size())
                    .build());
            items.addAll(response.items());
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            exclusiveStart = response.lastEvaluatedKey();
        }
        boolean more = items.size() > page.size();
        List<Map<String, AttributeValue>> pageItems =
                new ArrayList<>(items.subList(0, Math.min(items.size(), page.size())));
        if (!page.forward()) {
            Collections.reverse(pageItems);
        }
        return new Page<>(pageItems, more);
    }
}
