package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.eventually;
import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static eduledger.functions.stream.HandMadeRecords.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.graph.FeedView;
import eduledger.graph.GraphKeys;
import eduledger.graph.TransactionPlan;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.roster.RosterCollection;
import eduledger.storage.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * A batch's graph events are written in a few transactions sent at once: whole batches, batches
 * delivered again in part or in full, a record delivered again after a new reader came, a record
 * too large for one transaction, and one object changed many times within a batch.
 */
class BatchedGraphWritesTest {
    private static final int READERS = 10;
    private static final int CHANGES = 100;
    private static final AtomicLong REVISION = new AtomicLong(1);
    private static final List<RosterChange> HEARD = new CopyOnWriteArrayList<>();
    private static final Map<String, Set<String>> VISIBLE_TO = new java.util.concurrent.ConcurrentHashMap<>();
    private static final RosterChangeListener LISTENER = (change, audience) -> {
        HEARD.add(change);
        VISIBLE_TO.put(change.streamRecordId(), audience.all());
    };
    private static GraphWorld world;

    @BeforeAll
    static void start() {
        world = new GraphWorld(List.of(LISTENER), false);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void aBatchOfManyTransactionsWritesEachEventOnceAndItsRedeliveryNothingMore() {
        String district = unique("district");
        List<Reader> readers = IntStream.range(0, READERS)
                .mapToObj(i -> world.reader(rules(district)))
                .toList();
        List<String> schools =
                IntStream.range(0, CHANGES).mapToObj(i -> unique("school")).toList();
        List<Record> records = schools.stream()
                .map(school -> insert(organization(school, district, "{\"name\": \"S\"}")))
                .toList();
        assertTrue(
                CHANGES * (READERS + 1) > TransactionPlan.ACTIONS_PER_TRANSACTION,
                "more records than one transaction holds");

        assertTrue(deliver(records).isEmpty());
        for (Record record : records) {
            assertEquals(
                    Set.copyOf(readers.stream().map(Reader::integrationId).toList()),
                    VISIBLE_TO.get(record.eventID()),
                    "the listener hears each change with the integrations that see it");
        }
        assertTrue(deliver(records).isEmpty());

        String sentinel = sentinel(district);
        for (Reader reader : readers) {
            List<JsonNode> feed = feedThrough(reader, sentinel);
            List<String> expected = new ArrayList<>(
                    schools.stream().map(s -> "organization.created:" + s).toList());
            expected.add("organization.created:" + sentinel);
            assertEquals(Set.copyOf(expected), Set.copyOf(types(feed)));
            assertEquals(expected.size(), feed.size(), "no event twice");
        }
    }

    @Test
    void aBatchPartlyDeliveredBeforeWritesExactlyTheMissingEvents() {
        String district = unique("district");
        List<Reader> readers = IntStream.range(0, READERS)
                .mapToObj(i -> world.reader(rules(district)))
                .toList();
        List<String> schools =
                IntStream.range(0, CHANGES).mapToObj(i -> unique("school")).toList();
        List<Record> records = schools.stream()
                .map(school -> insert(organization(school, district, "{\"name\": \"S\"}")))
                .toList();
        // Every third record first, so that each transaction of the whole batch mixes written and new events.
        List<Record> someOfThem = IntStream.range(0, CHANGES)
                .filter(i -> i % 3 == 0)
                .mapToObj(records::get)
                .toList();
        assertTrue(deliver(someOfThem).isEmpty());
        assertTrue(deliver(records).isEmpty());

        String sentinel = sentinel(district);
        for (Reader reader : readers) {
            List<String> feed = types(feedThrough(reader, sentinel));
            assertEquals(CHANGES + 1, feed.size(), "each school once, and the sentinel");
            assertEquals(
                    schools.stream().map(s -> "organization.created:" + s).collect(Collectors.toSet()),
                    Set.copyOf(feed.subList(0, CHANGES)));
        }
    }

    @Test
    void manyChangesOfOneObjectInABatchReachTheFeedInStreamOrder() {
        String district = unique("district");
        Reader reader = world.reader(rules(district));
        String busy = unique("school");
        List<Record> records = new ArrayList<>();
        records.add(insert(organization(busy, district, version(0))));
        List<String> others = new ArrayList<>();
        for (int version = 1; version <= 30; version++) {
            records.add(modify(
                    organization(busy, district, version(version - 1)),
                    organization(busy, district, version(version))));
            String other = unique("school");
            others.add(other);
            records.add(insert(organization(other, district, "{\"name\": \"other\"}")));
        }
        records.add(remove(organization(busy, district, version(30))));
        int heardBefore = HEARD.size();

        assertTrue(deliver(records).isEmpty());

        List<RosterChange> heard = HEARD.subList(heardBefore, HEARD.size()).stream()
                .filter(change -> change.objectId().equals(busy))
                .toList();
        assertEquals(32, heard.size());
        for (int version = 1; version <= 30; version++) {
            assertEquals(
                    version,
                    heard.get(version).newObject().path("version").asInt(),
                    "the listener hears them in order");
        }
        String sentinel = sentinel(district);
        List<JsonNode> feed = feedThrough(reader, sentinel);
        List<JsonNode> ofBusy = feed.stream()
                .filter(e -> e.path("target_id").asText().equals(busy))
                .toList();
        assertEquals(32, ofBusy.size(), types(ofBusy).toString());
        assertEquals("organization.created", ofBusy.get(0).path("type").asText());
        for (int version = 1; version <= 30; version++) {
            assertEquals(
                    "organization.updated", ofBusy.get(version).path("type").asText());
            assertEquals(
                    version, ofBusy.get(version).path("data").path("version").asInt(), "updates in stream order");
        }
        assertEquals("organization.deleted", ofBusy.get(31).path("type").asText());
        assertEquals(
                Set.copyOf(others),
                feed.stream()
                        .map(e -> e.path("target_id").asText())
                        .filter(others::contains)
                        .collect(Collectors.toSet()));
        assertEquals(32 + others.size() + 1, feed.size(), "the busy school, the others and the sentinel");
    }

    @Test
    void aRedeliveredBatchWritesNothingNewAndEachObjectsViewListsItsIntegrations() {
        String district = unique("district");
        List<Reader> readers = IntStream.range(0, 3)
                .mapToObj(i -> world.reader(rules(district)))
                .toList();
        List<String> schools =
                IntStream.range(0, 30).mapToObj(i -> unique("school")).toList();
        List<Record> records = schools.stream()
                .map(school -> insert(organization(school, district, "{\"name\": \"S\"}")))
                .toList();
        assertTrue(deliver(records).isEmpty());
        Map<String, Map<String, AttributeValue>> views = viewsOf(schools);
        assertTrue(deliver(records).isEmpty());
        assertTrue(deliver(records.subList(10, 20)).isEmpty());

        Set<String> everyReader = readers.stream().map(Reader::integrationId).collect(Collectors.toSet());
        assertEquals(schools.size(), views.size(), "one view per object");
        views.values()
                .forEach(view ->
                        assertEquals(everyReader, Set.copyOf(view.get("shown").ss())));
        assertEquals(views, viewsOf(schools), "a redelivery leaves the views as they were");
        String sentinel = sentinel(district);
        for (Reader reader : readers) {
            List<String> feed = types(feedThrough(reader, sentinel));
            assertEquals(schools.size() + 1, feed.size(), "each school once, and the sentinel");
        }
    }

    @Test
    void aRecordDeliveredAgainAfterANewReaderCameWritesNothingAndTheObjectsNextChangeCreatesItThere() {
        String district = unique("district");
        List<Reader> readers = IntStream.range(0, 3)
                .mapToObj(i -> world.reader(rules(district)))
                .toList();
        String school = unique("school");
        Map<String, AttributeValue> first = organization(school, district, "{\"name\": \"S\"}");
        Record record = insert(first);

        assertTrue(deliver(List.of(record)).isEmpty());
        Reader latecomer = world.reader(rules(district));
        assertTrue(deliver(List.of(record)).isEmpty(), "delivered again after the audience grew");
        // The latecomer's feed starts after its full sync: the object's next change is its first news of it.
        assertTrue(deliver(List.of(modify(first, organization(school, district, "{\"name\": \"T\"}"))))
                .isEmpty());

        String sentinel = sentinel(district);
        for (Reader reader : readers) {
            assertEquals(
                    List.of(
                            "organization.created:" + school,
                            "organization.updated:" + school,
                            "organization.created:" + sentinel),
                    types(feedThrough(reader, sentinel)),
                    "written once, then the update");
        }
        assertEquals(
                List.of("organization.created:" + school, "organization.created:" + sentinel),
                types(feedThrough(latecomer, sentinel)),
                "the new reader learns of the object at its next change, as created");
        Set<String> all =
                new HashSet<>(readers.stream().map(Reader::integrationId).toList());
        all.add(latecomer.integrationId());
        assertEquals(
                all,
                Set.copyOf(viewsOf(List.of(school)).get(school).get("shown").ss()));
    }

    @Test
    void aRecordSeenByMoreIntegrationsThanOneTransactionHoldsIsWrittenOnceInTwoParts() {
        String district = unique("district");
        int count = TransactionPlan.ACTIONS_PER_TRANSACTION + 1;
        List<Reader> readers = IntStream.range(0, count)
                .mapToObj(i -> world.reader(rules(district)))
                .toList();
        String school = unique("school");
        String other = unique("school");
        List<Record> records = List.of(
                insert(organization(school, district, "{\"name\": \"S\"}")),
                insert(organization(other, district, "{\"name\": \"other\"}")));

        assertTrue(deliver(records).isEmpty());
        assertTrue(deliver(records).isEmpty());

        Set<String> everyReader = readers.stream().map(Reader::integrationId).collect(Collectors.toSet());
        viewsOf(List.of(school, other))
                .values()
                .forEach(view -> assertTrue(Set.copyOf(view.get("shown").ss()).containsAll(everyReader)));
        String sentinel = sentinel(district);
        for (Reader reader : readers) {
            assertEquals(
                    List.of(
                                    "organization.created:" + school,
                                    "organization.created:" + other,
                                    "organization.created:" + sentinel)
                            .stream()
                            .sorted()
                            .toList(),
                    types(feedThrough(reader, sentinel)).stream().sorted().toList(),
                    "each event once");
        }
    }

    /** The stored view of each organization, by id: who its feeds show it to, at which revision. */
    private static Map<String, Map<String, AttributeValue>> viewsOf(List<String> organizationIds) {
        Map<String, Map<String, AttributeValue>> views = new HashMap<>();
        for (String id : organizationIds) {
            Map<String, AttributeValue> item = world.services
                    .dynamo()
                    .getItem(g -> g.tableName(world.services.tables().events())
                            .consistentRead(true)
                            .key(Map.of(
                                    Keys.PK,
                                    AttributeValue.fromS(
                                            GraphKeys.feedView(FeedView.keyOf(RosterCollection.ORGANIZATIONS, id))),
                                    Keys.SK,
                                    AttributeValue.fromS(GraphKeys.FEED_VIEW_SK))))
                    .item();
            assertTrue(item != null && item.containsKey("shown"), "organization " + id + " has a view");
            views.put(id, item);
        }
        return views;
    }

    private static String version(int version) {
        return "{\"name\": \"busy\", \"version\": " + version + "}";
    }

    private static List<String> deliver(List<Record> records) {
        DynamodbEvent event = world.poller.event(records);
        return world.deliver(event).getBatchItemFailures().stream()
                .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    /** A change made after the others: once its event is listed, every event written before it is. */
    private static String sentinel(String district) {
        String sentinel = unique("sentinel");
        assertTrue(deliver(List.of(insert(organization(sentinel, district, "{\"name\": \"sentinel\"}"))))
                .isEmpty());
        return sentinel;
    }

    private static List<JsonNode> feedThrough(Reader reader, String sentinel) {
        return eventually(
                () -> world.feed(reader),
                feed -> types(feed).contains("organization.created:" + sentinel),
                "the sentinel's event");
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
        // Each image a later revision than the one built before it, as the store writes them.
        image.put("revision", AttributeValue.fromN(Long.toString(REVISION.incrementAndGet())));
        return image;
    }

    private static Record insert(Map<String, AttributeValue> image) {
        return record(OperationType.INSERT, null, image);
    }

    private static Record modify(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        return record(OperationType.MODIFY, before, after);
    }

    private static Record remove(Map<String, AttributeValue> before) {
        return record(OperationType.REMOVE, before, null);
    }
}
