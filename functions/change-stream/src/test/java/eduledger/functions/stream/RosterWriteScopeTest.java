package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.auth.Scope;
import eduledger.auth.TokenKeys;
import eduledger.auth.Tokens;
import eduledger.json.Json;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.storage.Attributes;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Roster writes are the platform's sync jobs: {@code source:write} is the operator's scope, which no
 * integration can be issued, hold or use, so no integration can rewrite, delete or read back an
 * object through the source routes, least of all one its sharing hides.
 */
class RosterWriteScopeTest {
    private static final GraphWorld WORLD = new GraphWorld(List.of(), false);

    @AfterAll
    static void close() {
        WORLD.close();
    }

    @Test
    void theAdminRouteRefusesToIssueSourceWriteToAnIntegration() {
        GraphWorld.Reader reader = WORLD.reader("{\"type\": \"all\"}");
        for (String scopes : List.of("[\"source:write\"]", "[\"graph:read\", \"source:write\"]", "[\"admin\"]")) {
            Response refused = WORLD.admin(ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                    .path("integration_id", reader.integrationId())
                    .body("{\"scopes\": " + scopes + "}"));
            assertEquals(400, refused.status(), scopes + " " + refused.body());
            assertEquals("INVALID_SCOPE", refused.firstErrorCode());
            assertFalse(Json.write(refused.body()).contains("edl_"), "no token in a refusal: " + refused.body());
        }
    }

    @Test
    void theTokenStoreNeverStoresAnOperatorScopeForAnIntegration() {
        GraphWorld.Reader reader = WORLD.reader("{\"type\": \"all\"}");
        for (Scope scope : Scope.operatorScopes()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> WORLD.services.tokens().issue(reader.integrationId(), Set.of(Scope.GRAPH_READ, scope)));
        }
        assertEquals(Set.of(), intersection(Scope.integrationScopes(), Scope.operatorScopes()));
    }

    @Test
    void anIntegrationCannotWriteDeleteOrReadBackAHiddenObjectThroughTheSourceRoutes() {
        String district = unique("district");
        String student = unique("student");
        String secret = unique("Ada");
        assertEquals(
                201,
                WORLD.put("organizations", district, "{\"name\": \"D\", \"type\": \"district\"}")
                        .status());
        assertEquals(
                201,
                WORLD.put(
                                "people",
                                student,
                                "{\"first_name\": \"" + secret + "\", \"roles\": [\"student\"], \"school_id\": \""
                                        + district + "\"}")
                        .status());
        GraphWorld.Reader reader = WORLD.reader(GraphWorld.rules(unique("elsewhere")));
        // The most an integration can hold, and a token stored with source:write before it became the operator's.
        String everything = WORLD.services.tokens().issue(reader.integrationId(), Scope.integrationScopes());
        String legacy = legacyToken(reader.integrationId(), Set.of(Scope.SOURCE_WRITE, Scope.GRAPH_READ));

        for (String token : List.of(everything, legacy)) {
            List<Response> answers = List.of(
                    ApiCall.to("DELETE /api/v2/source/{collection}/{id}")
                            .token(token)
                            .path("collection", "people")
                            .path("id", student)
                            .send(WORLD.source),
                    ApiCall.to("PUT /api/v2/source/{collection}/{id}")
                            .token(token)
                            .path("collection", "people")
                            .path("id", student)
                            .body("{\"first_name\": \"Mallory\", \"roles\": [\"student\"]}")
                            .send(WORLD.source),
                    ApiCall.to("POST /api/v2/source/batch")
                            .token(token)
                            .body("{\"operations\": [{\"method\": \"DELETE\", \"collection\": \"people\", \"id\": \""
                                    + student + "\"}]}")
                            .send(WORLD.source));
            for (Response answer : answers) {
                assertEquals(403, answer.status(), String.valueOf(answer.body()));
                assertEquals("INSUFFICIENT_SCOPE", answer.firstErrorCode());
                assertFalse(Json.write(answer.body()).contains(secret), "the hidden student's data: " + answer.body());
            }
        }
        var stored = new RosterStore(WORLD.services.dynamo(), WORLD.services.tables(), WORLD.services.clock())
                .find(RosterCollection.PEOPLE, student);
        assertTrue(stored.isPresent(), "the student is still there");
        assertEquals(secret, stored.get().data().path("first_name").asText());
    }

    @Test
    void theOperatorsSyncTokenWrites() {
        String school = unique("school");
        Response written = WORLD.put("organizations", school, "{\"name\": \"S\", \"type\": \"school\"}");
        assertEquals(201, written.status(), String.valueOf(written.body()));
        assertEquals(200, WORLD.delete("organizations", school).status());
    }

    /** A token item as it was stored for an integration before source:write became the operator's. */
    private static String legacyToken(String integrationId, Set<Scope> scopes) {
        String token = Tokens.generate();
        Map<String, AttributeValue> item =
                new HashMap<>(Attributes.key(TokenKeys.token(Tokens.hash(token)), TokenKeys.TOKEN_SK));
        item.put("integration_id", AttributeValue.fromS(integrationId));
        item.put(
                "scopes",
                AttributeValue.fromSs(scopes.stream().map(Scope::id).sorted().toList()));
        item.put("created_date", AttributeValue.fromS("2026-01-01T00:00:00Z"));
        WORLD.services
                .dynamo()
                .putItem(b -> b.tableName(WORLD.services.tables().control()).item(item));
        return token;
    }

    private static Set<Scope> intersection(Set<Scope> a, Set<Scope> b) {
        return a.stream().filter(b::contains).collect(java.util.stream.Collectors.toSet());
    }
}
