package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.json.Json;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random roster writes, organization moves, deletes and rule changes for several integrations, run
 * through the real stream: once it has drained, replaying each integration's feed onto an empty
 * copy gives exactly what its sharing shows of the roster, as an independent model of the tree
 * works it out. {@code -Deduledger.feedProperty.operations=N} and {@code .seed=S} run it larger or
 * again; the default fits the normal test run.
 */
class FeedReplayPropertyTest {
    private static final int ORGANIZATIONS = 6;
    private static final int PEOPLE = 10;

    private final String run = unique("prop");
    /** The model: an organization's parent (null for none), people's school and version. */
    private final Map<String, String> parentOf = new HashMap<>();

    private final Map<String, String> schoolOf = new HashMap<>();
    private final Map<String, Integer> versionOf = new HashMap<>();
    private final Map<String, Integer> organizationVersion = new HashMap<>();

    private String organization(int i) {
        return run + "-o" + i;
    }

    private String person(int i) {
        return run + "-p" + i;
    }

    /** The organization ids from the model's root down to this one; unwritten ones are roots. */
    private List<String> path(String organization) {
        List<String> up = new ArrayList<>();
        for (String at = organization; at != null && !up.contains(at); at = parentOf.get(at)) {
            up.add(0, at);
        }
        return up;
    }

    @Test
    void replayingEachFeedGivesExactlyWhatItsSharingShows() {
        int operations = Integer.getInteger("eduledger.feedProperty.operations", 40);
        long seed = Long.getLong("eduledger.feedProperty.seed", System.nanoTime());
        Random random = new Random(seed);
        try (GraphWorld world = new GraphWorld(List.of(), false)) {
            List<Set<String>> rules = new ArrayList<>();
            List<Reader> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Set<String> named = randomOrganizations(random);
                rules.add(named);
                readers.add(world.reader(GraphWorld.rules(named.toArray(String[]::new))));
            }
            for (int step = 0; step < operations; step++) {
                int kind = random.nextInt(10);
                if (kind < 3) {
                    putOrganization(world, random);
                } else if (kind < 7) {
                    putPerson(world, random);
                } else if (kind < 9) {
                    String id = person(random.nextInt(PEOPLE));
                    assertEquals(200, world.delete("people", id).status());
                    schoolOf.remove(id);
                } else {
                    // Rule changes land between stream batches here; see docs/sharing.md for the
                    // race with a batch in flight, which this does not exercise.
                    world.pump();
                    int r = random.nextInt(readers.size());
                    Set<String> named = randomOrganizations(random);
                    Response changed = world.admin(ApiCall.to("PUT /api/v2/admin/integrations/{integration_id}/sharing")
                            .path("integration_id", readers.get(r).integrationId())
                            .body(GraphWorld.rules(named.toArray(String[]::new))));
                    assertEquals(200, changed.status(), String.valueOf(changed.body()));
                    rules.set(r, named);
                }
                if (random.nextInt(4) == 0) {
                    world.pump();
                }
            }
            for (int r = 0; r < readers.size(); r++) {
                Reader reader = readers.get(r);
                Map<String, String> expected = visible(rules.get(r));
                // Settled: the stream may hand over its last records a poll later.
                Map<String, String> replayed = GraphWorld.eventually(
                        () -> {
                            world.pump();
                            return replay(world.feed(reader));
                        },
                        expected::equals,
                        "the feed replays to " + expected);
                assertEquals(
                        expected,
                        replayed,
                        "integration " + r + " with rules " + rules.get(r) + " after " + operations
                                + " operations, seed " + seed);
            }
        }
    }

    private Set<String> randomOrganizations(Random random) {
        Set<String> named = new LinkedHashSet<>();
        named.add(organization(random.nextInt(ORGANIZATIONS)));
        if (random.nextBoolean()) {
            named.add(organization(random.nextInt(ORGANIZATIONS)));
        }
        return named;
    }

    private void putOrganization(GraphWorld world, Random random) {
        String id = organization(random.nextInt(ORGANIZATIONS));
        String parent = random.nextInt(3) == 0 ? null : organization(random.nextInt(ORGANIZATIONS));
        int version = organizationVersion.merge(id, 1, Integer::sum);
        String body =
                "{\"name\": \"v" + version + "\"" + (parent == null ? "" : ", \"parent_id\": \"" + parent + "\"") + "}";
        Response written = world.put("organizations", id, body);
        boolean cycle = parent != null && path(parent).contains(id);
        if (cycle) {
            assertEquals(409, written.status(), String.valueOf(written.body()));
            organizationVersion.merge(id, -1, Integer::sum);
            return;
        }
        assertTrue(written.status() == 200 || written.status() == 201, String.valueOf(written.body()));
        parentOf.put(id, parent);
    }

    private void putPerson(GraphWorld world, Random random) {
        String id = person(random.nextInt(PEOPLE));
        String school = organization(random.nextInt(ORGANIZATIONS));
        int version = versionOf.merge(id, 1, Integer::sum);
        Response written = world.put(
                "people",
                id,
                "{\"first_name\": \"v" + version + "\", \"roles\": [\"student\"], \"school_id\": \"" + school + "\"}");
        assertTrue(written.status() == 200 || written.status() == 201, String.valueOf(written.body()));
        schoolOf.put(id, school);
    }

    /** What the model says these rules show: object id to its name. */
    private Map<String, String> visible(Set<String> rules) {
        Map<String, String> shown = new TreeMap<>();
        for (String organization : parentOf.keySet()) {
            if (path(organization).stream().anyMatch(rules::contains)) {
                shown.put(organization, "v" + organizationVersion.get(organization));
            }
        }
        schoolOf.forEach((person, school) -> {
            if (path(school).stream().anyMatch(rules::contains)) {
                shown.put(person, "v" + versionOf.get(person));
            }
        });
        return shown;
    }

    /** The feed applied in order to an empty copy: object id to its name. */
    private static Map<String, String> replay(List<JsonNode> feed) {
        Map<String, String> copy = new TreeMap<>();
        for (JsonNode event : feed) {
            String type = event.path("type").asText();
            String id = event.path("target_id").asText();
            if (type.endsWith(".deleted")) {
                assertTrue(copy.remove(id) != null, "deleted without being shown: " + Json.write(event));
            } else {
                if (type.endsWith(".created")) {
                    assertTrue(!copy.containsKey(id), "created twice: " + Json.write(event));
                } else {
                    assertTrue(copy.containsKey(id), "updated without being shown: " + Json.write(event));
                }
                JsonNode data = event.path("data");
                copy.put(
                        id,
                        data.has("first_name")
                                ? data.path("first_name").asText()
                                : data.path("name").asText());
            }
        }
        return copy;
    }
}
