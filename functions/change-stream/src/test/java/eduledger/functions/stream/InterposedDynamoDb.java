package eduledger.functions.stream;

import eduledger.testing.PassThroughDynamoDb;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * The real store, with one thing done in between: after the next read of the integrations'
 * sharing (the Query of their listing partition), a step another client takes runs before the
 * answer is handed back. A stream batch that read the sharing then goes on with what it read while
 * the step (a rule change) has already landed: the interleaving a race would make, made on purpose.
 * It can also fail transactions from some point on, as a store that went away midway.
 */
final class InterposedDynamoDb extends PassThroughDynamoDb {
    private final String integrationsPartition;
    private final AtomicReference<Runnable> afterSharingRead = new AtomicReference<>();
    /** Transactions still let through before the others fail; negative lets all through. */
    private final AtomicInteger transactionsLeft = new AtomicInteger(-1);

    private final AtomicInteger sharingReads = new AtomicInteger();

    InterposedDynamoDb(DynamoDbClient store, String integrationsPartition) {
        super(store);
        this.integrationsPartition = integrationsPartition;
    }

    /** Runs {@code step} right after the next sharing read, once. */
    void afterNextSharingRead(Runnable step) {
        afterSharingRead.set(step);
    }

    /** Lets {@code count} more transactions through, then fails every other one, as a store that went away. */
    void failTransactionsAfter(int count) {
        transactionsLeft.set(count);
    }

    boolean pending() {
        return afterSharingRead.get() != null;
    }

    /** How many times the integrations' sharing has been read through this client. */
    int sharingReads() {
        return sharingReads.get();
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        QueryResponse response = store.query(request);
        boolean sharingRead = request.expressionAttributeValues().values().stream()
                .anyMatch(value -> integrationsPartition.equals(value.s()));
        if (sharingRead) {
            sharingReads.incrementAndGet();
            Runnable step = afterSharingRead.getAndSet(null);
            if (step != null) {
                step.run();
            }
        }
        return response;
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        if (transactionsLeft.getAndUpdate(left -> left > 0 ? left - 1 : left) == 0) {
            throw DynamoDbException.builder()
                    .statusCode(500)
                    .message("the store went away")
                    .build();
        }
        return store.transactWriteItems(request);
    }
}
