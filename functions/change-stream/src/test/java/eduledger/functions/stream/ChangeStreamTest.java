package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.eventually;
import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.roster.SourceWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/** The change-stream function on the roster table's real stream, delivered by the local poller. */
class ChangeStreamTest {
    private record Heard(RosterChange change, Set<String> visibleTo) {}

    private static final List<Heard> HEARD = new CopyOnWriteArrayList<>();
    private static final RosterChangeListener LISTENER =
            (change, audience) -> HEARD.add(new Heard(change, audience.all()));
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
    void primingParsesARecordWithoutFailingAndTellsNoListener() {
        int heard = HEARD.size();
        assertEquals("{\"batchItemFailures\":[]}", world.stream.prime());
        assertEquals(heard, HEARD.size());
    }

    @Test
    void createUpdateAndDeleteBecomeEventsInOrderWithTheObjectAsItWas() {
        String district = unique("district");
        String school = unique("school");
        String person = unique("person");
        Reader reader = world.reader(rules(district));
        assertEquals(
                201,
                world.put("organizations", district, "{\"name\": \"Edlink USD\", \"type\": \"district\"}")
                        .status());
        assertEquals(
                201,
                world.put(
                                "organizations",
                                school,
                                "{\"name\": \"North High\", \"type\": \"school\", \"parent_id\": \"" + district + "\"}")
                        .status());
        assertEquals(
                201,
                world.put(
                                "people",
                                person,
                                "{\"first_name\": \"Ada\", \"roles\": [\"student\"], \"school_id\": \"" + school
                                        + "\"}")
                        .status());
        world.pump();
        var updated = world.put(
                "people",
                person,
                "{\"first_name\": \"Ada L.\", \"roles\": [\"student\"], \"school_id\": \"" + school + "\"}");
        assertTrue(updated.data().path("changed").asBoolean());
        var unchanged = world.put(
                "people",
                person,
                "{\"first_name\": \"Ada L.\", \"roles\": [\"student\"], \"school_id\": \"" + school + "\"}");
        assertEquals(200, unchanged.status());
        assertEquals(false, unchanged.data().path("changed").asBoolean(), "a PUT that changes nothing writes nothing");
        assertEquals(200, world.delete("people", person).status());
        world.pump();

        List<String> expected = List.of(
                "organization.created:" + district,
                "organization.created:" + school,
                "person.created:" + person,
                "person.updated:" + person,
                "person.deleted:" + person);
        List<JsonNode> feed = eventually(() -> world.feed(reader), f -> f.size() >= expected.size(), "five events");
        assertEquals(expected, types(feed));
        JsonNode deleted = feed.get(4);
        assertEquals(
                "Ada L.",
                deleted.path("data").path("first_name").asText(),
                "a delete carries the object as it last was");
        assertEquals("person", deleted.path("target").asText());
        assertEquals(person, deleted.path("target_id").asText());
        assertEquals(reader.integrationId(), deleted.path("integration_id").asText());
        assertTrue(
                deleted.path("created_date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        for (int i = 1; i < feed.size(); i++) {
            assertTrue(
                    feed.get(i - 1)
                                    .path("id")
                                    .asText()
                                    .compareTo(feed.get(i).path("id").asText())
                            < 0,
                    "ids ascend");
        }
    }

    @Test
    void theSameBatchDeliveredAgainYieldsNoSecondEvent() {
        String district = unique("district");
        Reader reader = world.reader(rules(district));
        int before = world.delivered.size();
        world.put("organizations", district, "{\"name\": \"D\"}");
        for (int i = 0; i < 3; i++) {
            world.put("terms", unique("term"), "{\"name\": \"Fall\", \"school_id\": \"" + district + "\"}");
        }
        world.pump();
        List<DynamodbEvent> batches = new ArrayList<>(world.delivered.subList(before, world.delivered.size()));
        assertTrue(!batches.isEmpty());
        for (int again = 0; again < 2; again++) {
            for (DynamodbEvent batch : batches) {
                assertTrue(world.deliver(batch).getBatchItemFailures().isEmpty());
            }
        }
        // Events are listed in the order they were written: once this later one is visible, so is every duplicate.
        String sentinel = unique("sentinel");
        world.put("organizations", sentinel, "{\"name\": \"S\", \"parent_id\": \"" + district + "\"}");
        world.pump();
        List<JsonNode> feed = eventually(
                () -> world.feed(reader),
                f -> types(f).contains("organization.created:" + sentinel),
                "the sentinel's event");
        assertEquals(5, feed.size(), types(feed).toString());
        assertEquals(
                5,
                feed.stream().map(e -> e.path("target_id").asText()).distinct().count());
    }

    @Test
    void aPoisonedRecordIsReportedAloneAndTheOthersProceed() {
        String district = unique("district");
        Reader reader = world.reader(rules(district));
        String first = unique("school");
        String last = unique("school");
        List<Record> records = List.of(
                insert("1000", organization(first, district, "{\"name\": \"First\"}")),
                insert("2000", organization(unique("school"), district, "{not json")),
                insert("3000", organization(last, district, "{\"name\": \"Last\"}")));
        StreamsEventResponse response = world.deliver(world.poller.event(records));
        assertEquals(
                List.of("2000"),
                response.getBatchItemFailures().stream()
                        .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                        .toList());
        List<JsonNode> feed = eventually(() -> world.feed(reader), f -> f.size() >= 2, "the two good records' events");
        assertEquals(List.of("organization.created:" + first, "organization.created:" + last), types(feed));
    }

    @Test
    void courseChangesReachTheListenerWithTheProvenanceOfTheirWrite() {
        String district = unique("district");
        String course = unique("course");
        Reader reader = world.reader(rules(district));
        world.put("organizations", district, "{\"name\": \"D\"}");
        world.put(
                "courses",
                course,
                "{\"name\": \"Biology\", \"account_id\": \"" + district + "\", \"state\": \"active\","
                        + " \"start_date\": \"2026-09-01\", \"end_date\": \"2027-06-01\", \"is_public\": false}",
                "X-Event-Source",
                "sis",
                "X-Sis-Batch-Id",
                "batch-7",
                "X-User-Id",
                "user-1",
                "X-Page-View-Id",
                "pv-1");
        world.delete("courses", course, "X-Event-Source", "manual", "X-User-Id", "user-2");
        world.pump();
        List<Heard> heard =
                HEARD.stream().filter(h -> h.change().objectId().equals(course)).toList();
        assertEquals(2, heard.size(), heard.toString());
        RosterChange created = heard.get(0).change();
        assertNull(created.oldObject());
        assertEquals("Biology", created.newObject().path("name").asText());
        assertEquals(new SourceWrite("sis", "user-1", "pv-1", "batch-7", null, null), created.sourceWrite());
        assertEquals(Set.of(reader.integrationId()), heard.get(0).visibleTo());
        RosterChange deleted = heard.get(1).change();
        assertNull(deleted.newObject());
        assertEquals("Biology", deleted.oldObject().path("name").asText());
        assertEquals(new SourceWrite("manual", "user-2", null, null, null, null), deleted.sourceWrite());
        assertTrue(types(eventually(() -> world.feed(reader), f -> f.size() >= 3, "course events"))
                .containsAll(List.of("course.created:" + course, "course.deleted:" + course)));
    }

    /**
     * Lambda redelivers from the first failed record on, and a retried batch may repeat records that
     * already succeeded, in another order: each good record's event exists once, the poisoned one is
     * reported every time, and nothing after it is lost.
     */
    @Test
    void aRedeliveryAfterAPartialFailureInAnotherOrderAddsNothingAndLosesNothing() {
        String district = unique("district");
        Reader reader = world.reader(rules(district));
        String a = unique("school");
        String b = unique("school");
        String c = unique("school");
        Record first = insert("4000", organization(a, district, "{\"name\": \"A\"}"));
        Record poisoned = insert("5000", organization(unique("school"), district, "{not json"));
        Record second = insert("6000", organization(b, district, "{\"name\": \"B\"}"));
        Record third = insert("7000", organization(c, district, "{\"name\": \"C\"}"));

        List<List<Record>> deliveries = List.of(
                List.of(first, poisoned, second),
                List.of(third, second, poisoned, first),
                List.of(second, first, third));
        List<List<String>> reported = new ArrayList<>();
        for (List<Record> delivery : deliveries) {
            reported.add(world.deliver(world.poller.event(delivery)).getBatchItemFailures().stream()
                    .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                    .toList());
        }
        assertEquals(List.of(List.of("5000"), List.of("5000"), List.of()), reported);
        eventually(() -> world.feed(reader), f -> f.size() >= 3, "the three good records' events");
        List<JsonNode> feed = world.feed(reader);
        List<String> created = types(feed);
        assertEquals(3, created.size(), created.toString());
        assertEquals(
                Set.of("organization.created:" + a, "organization.created:" + b, "organization.created:" + c),
                Set.copyOf(created));
    }

    private static Map<String, AttributeValue> organization(String id, String parent, String data) {
        return Map.of(
                "pk",
                AttributeValue.fromS("OBJECT#organizations#" + id),
                "sk",
                AttributeValue.fromS("OBJECT"),
                "collection",
                AttributeValue.fromS("organizations"),
                "id",
                AttributeValue.fromS(id),
                "data",
                AttributeValue.fromS(data),
                "org_path",
                AttributeValue.fromS(parent + "/" + id + "/"),
                "source_write",
                AttributeValue.fromS("{\"source\": \"api\"}"),
                // A revision, as the store gives every object it writes.
                "revision",
                AttributeValue.fromN("1"));
    }

    private static Record insert(String sequenceNumber, Map<String, AttributeValue> image) {
        return Record.builder()
                .eventID(UUID.randomUUID().toString())
                .eventName(OperationType.INSERT)
                .awsRegion("us-east-1")
                .dynamodb(StreamRecord.builder()
                        .approximateCreationDateTime(Instant.now())
                        .keys(Map.of("pk", image.get("pk"), "sk", image.get("sk")))
                        .newImage(image)
                        .sequenceNumber(sequenceNumber)
                        .sizeBytes(100L)
                        .streamViewType("NEW_AND_OLD_IMAGES")
                        .build())
                .build();
    }
}
