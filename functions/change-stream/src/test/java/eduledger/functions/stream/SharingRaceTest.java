package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.functions.admin.AdminHandler;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.integrations.IntegrationKeys;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A rule change racing the change stream, each interleaving made on purpose with fixed input: the
 * feed ends as the integration's sharing shows the roster, with nothing created twice or deleted
 * unseen, whichever lands first.
 */
class SharingRaceTest {
    private final Services shared = TestServices.shared();
    private final InterposedDynamoDb interposed = new InterposedDynamoDb(shared.dynamo(), IntegrationKeys.INTEGRATIONS);

    @Test
    void aRuleChangeLandingAfterABatchReadTheSharingIsTheSharingTheBatchWritesBy() {
        try (GraphWorld world =
                new GraphWorld(List.of(), new Services(shared.settings(), interposed, shared.clock()), false)) {
            String narrowed = unique("district");
            String school = unique("school");
            Reader reader = world.reader(rules(school));
            String student = unique("student");
            assertEquals(201, world.put("people", student, person(school)).status());

            // The batch holding the student reads the reader's sharing, then the rule change lands.
            interposed.afterNextSharingRead(() -> share(world, reader, rules(narrowed)));
            world.pump();
            assertTrue(!interposed.pending(), "the rule change ran inside the batch");

            String sentinel = sentinel(world, narrowed);
            assertEquals(
                    List.of("organization.created:" + sentinel),
                    types(feedThrough(world, reader, sentinel)),
                    "the student was never visible under the rules in force when its events were written");
        }
    }

    @Test
    void aBatchDeliveredAgainAfterARuleChangeWritesNothingTheRuleChangeWrote() {
        try (GraphWorld world = new GraphWorld(List.of(), false)) {
            String district = unique("district");
            String school = unique("school");
            Reader reader = world.reader(rules(district));
            String student = unique("student");
            assertEquals(201, world.put("people", student, person(school)).status());
            world.pump();
            DynamodbEvent batch = batchHolding(world, student);

            share(world, reader, rules(district, school));
            // Lambda retries a batch that failed as a whole: this one, after the rule change.
            world.deliver(batch);

            String sentinel = sentinel(world, school);
            assertEquals(
                    List.of("person.created:" + student, "organization.created:" + sentinel),
                    types(feedThrough(world, reader, sentinel)),
                    "created once, by the rule change");
        }
    }

    @Test
    void aBatchDeliveredAgainIsJudgedFromItsViewsUnderTheSharingItReadOnce() {
        try (GraphWorld world =
                new GraphWorld(List.of(), new Services(shared.settings(), interposed, shared.clock()), false)) {
            String school = unique("school");
            Reader reader = world.reader(rules(school));
            String student = unique("student");
            assertEquals(201, world.put("people", student, person(school)).status());
            world.pump();
            DynamodbEvent batch = batchHolding(world, student);

            // The student's INSERT is first judged as though its view were absent; the view's
            // condition fails, the sharing held, so the view is read and nothing is re-read or written.
            int readsBefore = interposed.sharingReads();
            assertTrue(world.deliver(batch).getBatchItemFailures().isEmpty());
            assertEquals(1, interposed.sharingReads() - readsBefore, "the sharing is read once per delivery");

            String sentinel = sentinel(world, school);
            assertEquals(
                    List.of("person.created:" + student, "organization.created:" + sentinel),
                    types(feedThrough(world, reader, sentinel)),
                    "created once");
        }
    }

    @Test
    void aRuleChangeLandingAfterABatchReadTheSharingHidesWhatItWroteBefore() {
        try (GraphWorld world =
                new GraphWorld(List.of(), new Services(shared.settings(), interposed, shared.clock()), false)) {
            String school = unique("school");
            String other = unique("school");
            Reader reader = world.reader(rules(school));
            String student = unique("student");
            assertEquals(201, world.put("people", student, person(school)).status());
            world.pump();
            // A change of the student is in flight when the rules stop showing its school.
            assertEquals(
                    200, world.put("people", student, person(school, "renamed")).status());
            interposed.afterNextSharingRead(() -> share(world, reader, rules(other)));
            world.pump();
            assertTrue(!interposed.pending(), "the rule change ran inside the batch");

            String sentinel = sentinel(world, other);
            assertEquals(
                    List.of(
                            "person.created:" + student,
                            "person.deleted:" + student,
                            "organization.created:" + sentinel),
                    types(feedThrough(world, reader, sentinel)),
                    "deleted by the rule change, and nothing of the renamed student after it");
        }
    }

    @Test
    void aRuleChangeOverMoreObjectsThanOneTransactionHoldsWritesEachOnce() {
        try (GraphWorld world = new GraphWorld(List.of(), false)) {
            String school = unique("school");
            String elsewhere = unique("district");
            Reader reader = world.reader(rules(elsewhere));
            List<String> students = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String student = unique("student");
                students.add(student);
                assertEquals(201, world.put("people", student, person(school)).status());
            }
            world.pump();

            share(world, reader, rules(school));
            // The same rules sent again: nothing changes for any object, so nothing is written.
            Response again = world.admin(ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                    .path("integration_id", reader.integrationId())
                    .body(rules(school)));
            assertEquals(200, again.status(), String.valueOf(again.body()));
            assertEquals(0, again.data().path("events_written").asInt());

            String sentinel = sentinel(world, school);
            List<String> feed = types(feedThrough(world, reader, sentinel));
            assertEquals(students.size() + 1, feed.size(), "each student once, and the sentinel");
            assertEquals(
                    students.stream().map(s -> "person.created:" + s).collect(Collectors.toSet()),
                    Set.copyOf(feed.subList(0, students.size())));
        }
    }

    @Test
    void aRuleChangeThatStoppedMidwayIsFinishedBySendingItAgain() {
        InterposedDynamoDb failing = new InterposedDynamoDb(shared.dynamo(), IntegrationKeys.INTEGRATIONS);
        try (GraphWorld world = new GraphWorld(List.of(), false)) {
            AdminHandler admin = new AdminHandler(new Services(shared.settings(), failing, shared.clock()));
            String school = unique("school");
            Reader reader = world.reader(rules(unique("district")));
            List<String> students = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                String student = unique("student");
                students.add(student);
                assertEquals(201, world.put("people", student, person(school)).status());
            }
            world.pump();

            // The new sharing is stored and the first part of the walk written, then the store goes away.
            failing.failTransactionsAfter(2);
            Response stopped = ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                    .path("integration_id", reader.integrationId())
                    .body(rules(school))
                    .token(world.adminToken)
                    .send(admin);
            assertTrue(stopped.status() >= 500, String.valueOf(stopped.body()));
            failing.failTransactionsAfter(-1);
            share(world, reader, rules(school));

            String sentinel = sentinel(world, school);
            List<String> feed = types(feedThrough(world, reader, sentinel));
            assertEquals(students.size() + 1, feed.size(), "each student once, and the sentinel: " + feed);
            assertEquals(
                    students.stream().map(s -> "person.created:" + s).collect(Collectors.toSet()),
                    Set.copyOf(feed.subList(0, students.size())));
        }
    }

    private static String person(String school) {
        return person(school, "s");
    }

    private static String person(String school, String name) {
        return "{\"first_name\": \"" + name + "\", \"roles\": [\"student\"], \"school_id\": \"" + school + "\"}";
    }

    private static void share(GraphWorld world, Reader reader, String sharing) {
        Response changed = world.admin(ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                .path("integration_id", reader.integrationId())
                .body(sharing));
        assertEquals(200, changed.status(), String.valueOf(changed.body()));
    }

    /** An organization written under {@code parent} after everything else, through the stream: once listed, all before it is. */
    private static String sentinel(GraphWorld world, String parent) {
        String sentinel = unique("sentinel");
        assertEquals(
                201,
                world.put("organizations", sentinel, "{\"name\": \"n\", \"parent_id\": \"" + parent + "\"}")
                        .status());
        world.pump();
        return sentinel;
    }

    private static List<JsonNode> feedThrough(GraphWorld world, Reader reader, String sentinel) {
        return GraphWorld.eventually(
                () -> world.feed(reader),
                feed -> types(feed).contains("organization.created:" + sentinel),
                "the sentinel's event");
    }

    /** The batch the stream was handed that holds a change of this object. */
    private static DynamodbEvent batchHolding(GraphWorld world, String objectId) {
        synchronized (world.delivered) {
            for (DynamodbEvent batch : world.delivered) {
                for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
                    if (record.getDynamodb().getKeys().get("pk").getS().endsWith("#" + objectId)) {
                        return batch;
                    }
                }
            }
        }
        throw new AssertionError("no batch holds " + objectId);
    }
}
