package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.eventually;
import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Edlink's {@code $idempotency} / {@code Idempotency-Key} on source and admin writes: a repeat
 * replays the first answer with a warning and changes nothing again; the key on another request is
 * a 409.
 */
class IdempotentWritesTest {
    private static GraphWorld world;

    @BeforeAll
    static void start() {
        world = new GraphWorld(List.of(), true);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Response put(String collection, String id, String body, String key) {
        return ApiCall.to("PUT /api/v2/source/{collection}/{id}")
                .token(world.syncToken)
                .path("collection", collection)
                .path("id", id)
                .query("$idempotency", key)
                .body(body)
                .send(world.source);
    }

    private static String replayWarning(Response response) {
        JsonNode warnings = response.body().path("$warnings");
        return warnings.path(warnings.size() - 1).path("code").asText();
    }

    @Test
    void aRepeatedSourceWriteIsAnsweredAsTheFirstAndChangesTheRosterOnce() {
        String district = unique("district-idem");
        world.put("organizations", district, "{\"name\": \"d\", \"type\": \"district\"}");
        Reader reader = world.reader(rules(district));
        String person = unique("person-idem");
        String key = unique("sync-run-7");
        String body = "{\"first_name\": \"Sofia\", \"roles\": [\"student\"], \"school_id\": \"" + district + "\"}";

        Response first = put("people", person, body, key);
        assertEquals(201, first.status(), String.valueOf(first.body()));
        Response again = put("people", person, body, key);
        assertEquals(201, again.status(), "the replay answers the first status, not a second write's 200");
        assertEquals(first.data(), again.data());
        assertEquals("IDEMPOTENT_REPLAY", replayWarning(again));

        // The same key on another body, or on another method, is a different request.
        Response reused = put("people", person, body.replace("Sofia", "Sophia"), key);
        assertEquals(409, reused.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", reused.firstErrorCode());
        Response deleted = ApiCall.to("DELETE /api/v2/source/{collection}/{id}")
                .token(world.syncToken)
                .path("collection", "people")
                .path("id", person)
                .header("Idempotency-Key", key)
                .send(world.source);
        assertEquals(409, deleted.status());

        // A later change of the person shows the feed got exactly one created event from both puts.
        assertEquals(
                200, world.put("people", person, body.replace("Sofia", "Sofía")).status());
        List<JsonNode> feed = eventually(
                () -> world.feed(reader),
                f -> types(f).contains("person.updated:" + person),
                "the update of " + person);
        assertEquals(
                List.of("person.created:" + person, "person.updated:" + person),
                types(feed).stream().filter(t -> t.endsWith(person)).toList());
    }

    @Test
    void aRepeatedAdminCreateMakesOneIntegrationAndAReplayedTokenIsNotShownAgain() {
        String name = unique("idempotent integration");
        String key = unique("create-integration");
        Response first = world.admin(ApiCall.to("POST /api/v2/admin/integrations")
                .query("$idempotency", key)
                .body("{\"name\": \"" + name + "\"}"));
        assertEquals(201, first.status(), String.valueOf(first.body()));
        Response again = world.admin(ApiCall.to("POST /api/v2/admin/integrations")
                .query("$idempotency", key)
                .body("{\"name\": \"" + name + "\"}"));
        assertEquals(201, again.status());
        assertEquals(first.data().path("id"), again.data().path("id"));
        assertEquals("IDEMPOTENT_REPLAY", replayWarning(again));

        String id = first.data().path("id").asText();
        ApiCall issue = ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                .path("integration_id", id)
                .header("Idempotency-Key", key + "-token")
                .body("{\"scopes\": [\"graph:read\"]}");
        Response token = world.admin(issue);
        assertEquals(201, token.status(), String.valueOf(token.body()));
        assertTrue(token.data().path("token").asText().startsWith("edl_"));
        Response replayed = world.admin(ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                .path("integration_id", id)
                .header("Idempotency-Key", key + "-token")
                .body("{\"scopes\": [\"graph:read\"]}"));
        assertEquals(201, replayed.status());
        assertTrue(replayed.data().path("token").isNull(), "a token is shown once: " + replayed.body());
        List<String> codes = replayed.body().path("$warnings").findValuesAsText("code");
        assertEquals(List.of("SECRET_NOT_REPLAYED", "IDEMPOTENT_REPLAY"), codes);
        // The first token works; the replay issued no second one.
        Response listed = ApiCall.to("GET /api/v2/graph/events")
                .token(token.data().path("token").asText())
                .send(world.listing);
        assertEquals(200, listed.status());
    }
}
