package eduledger.functions.listing;

import eduledger.testing.PassThroughDynamoDb;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/** The test store, passed through, counting the reads by key of one table: what a page looks up beside its Queries. */
final class CountingStore extends PassThroughDynamoDb {
    private final String table;
    private final AtomicInteger getItems = new AtomicInteger();

    CountingStore(DynamoDbClient store, String table) {
        super(store);
        this.table = table;
    }

    /** GetItem calls on the table so far. */
    int getItems() {
        return getItems.get();
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        if (request.tableName().equals(table)) {
            getItems.incrementAndGet();
        }
        return store.getItem(request);
    }
}
