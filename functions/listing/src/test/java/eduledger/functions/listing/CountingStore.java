package eduledger.functions.listing;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The test store, passed through, counting the reads by key of one table: what a page looks up beside its Queries. */
final class CountingStore implements DynamoDbClient {
    private final DynamoDbClient store;
    private final String table;
    private final AtomicInteger getItems = new AtomicInteger();

    CountingStore(DynamoDbClient store, String table) {
        this.store = store;
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

    @Override
    public QueryResponse query(QueryRequest request) {
        return store.query(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return store.batchGetItem(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return store.putItem(request);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return store.updateItem(request);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return store.batchWriteItem(request);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        return store.transactWriteItems(request);
    }

    @Override
    public String serviceName() {
        return store.serviceName();
    }

    @Override
    public void close() {}
}
