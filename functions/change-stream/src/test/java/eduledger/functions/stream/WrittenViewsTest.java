package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.eventually;
import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static eduledger.functions.stream.HandMadeRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.graph.FeedView;
import eduledger.graph.GraphKeys;
import eduledger.lambda.Services;
import eduledger.roster.RosterCollection;
import eduledger.storage.Keys;
import eduledger.testing.PassThroughDynamoDb;
import eduledger.testing.TestServices;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * An object changed more than once in a batch is judged, after its first change, from the view the
 * batch's own transaction stored, not from a read of it; the view's condition still catches any
 * other write of it in between.
 */
class WrittenViewsTest {
    private static final AtomicLong REVISION = new AtomicLong(1);
    private final Services shared = TestServices.shared();
    private final WatchedDynamoDb watched = new WatchedDynamoDb(shared.dynamo());
    private final GraphWorld world =
            new GraphWorld(List.of(), new Services(shared.settings(), watched, shared.clock()), false);

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aBatchThatCreatesChangesAndDeletesAnObjectReadsNoViewAndWritesEachEventOnce() {
        String district = unique("district");
        Reader reader = world.reader(rules(district));
        String school = unique("school");
        Map<String, AttributeValue> created = organization(school, district, "{\"name\": \"A\"}");
        Map<String, AttributeValue> renamed = organization(school, district, "{\"name\": \"B\"}");
        List<Record> records =
                List.of(record(OperationType.INSERT, null, created), record(OperationType.MODIFY, created, renamed));
        int readsBefore = watched.viewReads.get();

        assertTrue(deliver(records).isEmpty());
        // A delete stamps its own revision on the item before removing it.
        Map<String, AttributeValue> deleted = organization(school, district, "{\"name\": \"B\"}");
        assertTrue(deliver(List.of(record(OperationType.REMOVE, deleted, null))).isEmpty());

        assertEquals(1, watched.viewReads.get() - readsBefore, "only the later batch's REMOVE read its view");
        List<JsonNode> feed = feedThrough(reader, district);
        assertEquals(
                List.of(
                        "organization.created:" + school,
                        "organization.updated:" + school,
                        "organization.deleted:" + school),
                types(feed).stream().filter(t -> t.endsWith(school)).toList());
        Map<String, AttributeValue> view = view(school);
        assertEquals("3", view.get("version").n(), "each change moved the view once");
        assertTrue(view.get("gone").bool());
        assertNull(view.get("shown"), "shown to no one after the delete");
    }

    @Test
    void aViewWrittenByAnotherBetweenTwoChangesIsReadAgainAndTheSecondChangeWrittenOnce() {
        String district = unique("district");
        Reader reader = world.reader(rules(district));
        String school = unique("school");
        Map<String, AttributeValue> created = organization(school, district, "{\"name\": \"A\"}");
        Map<String, AttributeValue> renamed = organization(school, district, "{\"name\": \"B\"}");
        Map<String, AttributeValue> viewKey = viewKey(school);
        // Another writer moves the view on right after the batch's first transaction.
        watched.afterNextTransaction(() -> shared.dynamo()
                .updateItem(u -> u.tableName(shared.tables().events())
                        .key(viewKey)
                        .updateExpression("ADD #v :one")
                        .expressionAttributeNames(Map.of("#v", "version"))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))));
        int readsBefore = watched.viewReads.get();

        assertTrue(deliver(List.of(
                        record(OperationType.INSERT, null, created), record(OperationType.MODIFY, created, renamed)))
                .isEmpty());

        assertEquals(1, watched.viewReads.get() - readsBefore, "the moved view was read once its condition failed");
        List<JsonNode> feed = feedThrough(reader, district);
        assertEquals(
                List.of("organization.created:" + school, "organization.updated:" + school),
                types(feed).stream().filter(t -> t.endsWith(school)).toList());
        assertEquals("3", view(school).get("version").n(), "the batch's two writes and the other one");
    }

    private List<String> deliver(List<Record> records) {
        DynamodbEvent event = world.poller.event(records);
        return world.deliver(event).getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    /** The reader's feed once a change made after the others is in it. */
    private List<JsonNode> feedThrough(Reader reader, String district) {
        String sentinel = unique("sentinel");
        assertTrue(deliver(List.of(record(
                        OperationType.INSERT, null, organization(sentinel, district, "{\"name\": \"sentinel\"}"))))
                .isEmpty());
        return eventually(
                () -> world.feed(reader),
                feed -> types(feed).contains("organization.created:" + sentinel),
                "the sentinel's event");
    }

    private Map<String, AttributeValue> view(String organization) {
        return shared.dynamo()
                .getItem(g -> g.tableName(shared.tables().events())
                        .consistentRead(true)
                        .key(viewKey(organization)))
                .item();
    }

    private static Map<String, AttributeValue> viewKey(String organization) {
        return Map.of(
                Keys.PK,
                AttributeValue.fromS(GraphKeys.feedView(FeedView.keyOf(RosterCollection.ORGANIZATIONS, organization))),
                Keys.SK,
                AttributeValue.fromS(GraphKeys.FEED_VIEW_SK));
    }

    private static Map<String, AttributeValue> organization(String id, String parent, String data) {
        Map<String, AttributeValue> image = new HashMap<>();
        image.put("pk", AttributeValue.fromS("OBJECT#organizations#" + id));
        image.put("sk", AttributeValue.fromS("OBJECT"));
        image.put("collection", AttributeValue.fromS("organizations"));
        image.put("id", AttributeValue.fromS(id));
        image.put("data", AttributeValue.fromS(data));
        image.put("org_path", AttributeValue.fromS(parent + "/" + id + "/"));
        image.put("source_write", AttributeValue.fromS("{\"source\": \"api\"}"));
        image.put("revision", AttributeValue.fromN(Long.toString(REVISION.incrementAndGet())));
        return image;
    }

    /** The test store, counting reads of feed views and running a step after the next transaction. */
    private static final class WatchedDynamoDb extends PassThroughDynamoDb {
        final AtomicInteger viewReads = new AtomicInteger();
        private final AtomicReference<Runnable> afterTransaction = new AtomicReference<>();

        WatchedDynamoDb(DynamoDbClient store) {
            super(store);
        }

        void afterNextTransaction(Runnable step) {
            afterTransaction.set(step);
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            boolean views = request.requestItems().values().stream()
                    .flatMap(keys -> keys.keys().stream())
                    .anyMatch(key -> key.get(Keys.PK).s().startsWith(GraphKeys.feedView("")));
            if (views) {
                viewReads.incrementAndGet();
            }
            return super.batchGetItem(request);
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            TransactWriteItemsResponse response = super.transactWriteItems(request);
            Runnable step = afterTransaction.getAndSet(null);
            if (step != null) {
                step.run();
            }
            return response;
        }
    }
}
