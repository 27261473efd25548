package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.json.Json;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The feed is a complete, ordered account of the roster: 10,000 changes made through the real
 * stream, replayed from an integration's feed onto an empty copy, rebuild the roster exactly.
 */
class RosterRebuildTest {
    private static final int CHANGES = 10_000;
    private static final int WRITERS = 4;

    private record Change(RosterCollection collection, String id, JsonNode data) {
        boolean isDelete() {
            return data == null;
        }
    }

    @Test
    void replayingTheFeedOntoAnEmptyCopyRebuildsTheRoster() throws Exception {
        try (GraphWorld world = new GraphWorld(List.of(), true)) {
            String district = "district-" + UUID.randomUUID();
            Reader reader = world.reader(rules(district));
            RosterStore roster =
                    new RosterStore(world.services.dynamo(), world.services.tables(), world.services.clock());
            List<Change> changes = changes(district, new Random(20261124L));
            assertEquals(CHANGES, changes.size());

            // Parents first, in order; then everything else on a few writers, each object's changes on one writer in
            // order.
            int parents = 1 + 10 + 40;
            changes.subList(0, parents).forEach(change -> apply(roster, change));
            List<List<Change>> lanes = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                lanes.add(new ArrayList<>());
            }
            changes.subList(parents, changes.size())
                    .forEach(change -> lanes.get(Math.floorMod(change.id().hashCode(), WRITERS))
                            .add(change));
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            lanes.forEach(lane -> done.add(writers.submit(() -> lane.forEach(change -> apply(roster, change)))));
            for (Future<?> lane : done) {
                lane.get();
            }
            writers.shutdown();

            // Written last, the sentinel's change is in the stream's last batch. Events of different
            // objects in one batch may be listed in another order than their changes (a batch's
            // transactions of a round run at once), so its event need not be the newest, and the
            // others of its batch may land just after it: the feed is read until it rebuilds the roster.
            String sentinel = "sentinel-" + UUID.randomUUID();
            roster.put(
                    RosterCollection.ORGANIZATIONS,
                    sentinel,
                    Json.object().put("parent_id", district),
                    SourceWrite.api());
            world.eventuallyStreamed(
                    () -> world.list(
                                    reader,
                                    ApiCall.to("GET /api/v2/graph/events").query("$last", "100"))
                            .data(),
                    page -> {
                        for (JsonNode event : page) {
                            if (event.path("target_id").asText().equals(sentinel)) {
                                return true;
                            }
                        }
                        return false;
                    },
                    "the sentinel's event",
                    Duration.ofMinutes(3));
            Map<String, JsonNode> actual = new HashMap<>();
            for (RosterObject object : roster.under(district, 100_000)) {
                actual.put(object.collection().objectType() + "/" + object.id(), object.data());
            }
            Instant deadline = Instant.now().plus(GraphWorld.DEADLINE);
            List<JsonNode> feed = world.feed(reader, 10_000);
            Map<String, JsonNode> rebuilt = rebuild(feed);
            while (!rebuilt.equals(actual) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                feed = world.feed(reader, 10_000);
                rebuilt = rebuild(feed);
            }
            assertTrue(actual.size() > 500, "the run leaves a sizeable roster: " + actual.size());
            assertEquals(actual.keySet(), rebuilt.keySet());
            assertEquals(actual, rebuilt);
            assertTrue(feed.size() >= CHANGES, "every change made an event: " + feed.size());
        }
    }

    /** The roster the feed describes: each object as its newest event left it, deleted ones gone. */
    private static Map<String, JsonNode> rebuild(List<JsonNode> feed) {
        Map<String, JsonNode> rebuilt = new HashMap<>();
        for (JsonNode event : feed) {
            String key = event.path("target").asText() + "/"
                    + event.path("target_id").asText();
            if (event.path("type").asText().endsWith(".deleted")) {
                assertTrue(rebuilt.remove(key) != null, "a delete of something the feed never created: " + key);
            } else {
                rebuilt.put(key, event.path("data"));
            }
        }
        return rebuilt;
    }

    private static void apply(RosterStore roster, Change change) {
        if (change.isDelete()) {
            assertTrue(roster.delete(change.collection(), change.id(), SourceWrite.api())
                    .changed());
        } else {
            assertTrue(roster.put(
                            change.collection(),
                            change.id(),
                            change.data(),
                            new SourceWrite(SourceWrite.SIS, null, null, "batch-1", null, null))
                    .changed());
        }
    }

    /** A district with schools and classes, then people and enrollments created, updated and deleted at random. */
    private static List<Change> changes(String district, Random random) {
        List<Change> changes = new ArrayList<>();
        changes.add(new Change(
                RosterCollection.ORGANIZATIONS,
                district,
                Json.object().put("name", "District").put("type", "district")));
        List<String> schools = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String school = district + "-school-" + i;
            schools.add(school);
            changes.add(new Change(
                    RosterCollection.ORGANIZATIONS,
                    school,
                    Json.object()
                            .put("name", "School " + i)
                            .put("type", "school")
                            .put("parent_id", district)));
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = district + "-class-" + i;
            classes.add(id);
            changes.add(new Change(
                    RosterCollection.CLASSES,
                    id,
                    Json.object().put("name", "Class " + i).put("school_id", schools.get(i % schools.size()))));
        }
        Map<String, RosterCollection> live = new HashMap<>();
        List<String> liveIds = new ArrayList<>();
        Map<String, Integer> versions = new HashMap<>();
        int created = 0;
        while (changes.size() < CHANGES) {
            int dice = random.nextInt(10);
            if (liveIds.isEmpty() || dice < 4) {
                String id = district + "-" + (created++);
                RosterCollection collection =
                        random.nextBoolean() ? RosterCollection.PEOPLE : RosterCollection.ENROLLMENTS;
                live.put(id, collection);
                liveIds.add(id);
                versions.put(id, 0);
                changes.add(new Change(collection, id, object(collection, id, 0, schools, classes, random)));
            } else if (dice < 8) {
                String id = liveIds.get(random.nextInt(liveIds.size()));
                int version = versions.merge(id, 1, Integer::sum);
                changes.add(new Change(live.get(id), id, object(live.get(id), id, version, schools, classes, random)));
            } else {
                String id = liveIds.remove(random.nextInt(liveIds.size()));
                changes.add(new Change(live.remove(id), id, null));
            }
        }
        return changes;
    }

    private static ObjectNode object(
            RosterCollection collection,
            String id,
            int version,
            List<String> schools,
            List<String> classes,
            Random random) {
        ObjectNode data = Json.object().put("version", version);
        if (collection == RosterCollection.PEOPLE) {
            data.put("first_name", "Person " + id)
                    .put("school_id", schools.get(Math.floorMod(id.hashCode(), schools.size())));
            data.putArray("roles").add(random.nextBoolean() ? "student" : "teacher");
        } else {
            data.put("class_id", classes.get(Math.floorMod(id.hashCode(), classes.size())))
                    .put("person_id", "p-" + id)
                    .put("role", random.nextBoolean() ? "student" : "teacher");
        }
        return data;
    }
}
