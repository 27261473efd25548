package eduledger.functions.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Scope;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch of source writes answers every operation on its own, in the shape every batch route shares. */
class SourceBatchTest {
    private static final String BATCH = "POST /api/v2/source/batch";

    private final Services services = TestServices.shared();
    private final SourceHandler handler = new SourceHandler(services);

    /** Roster writes are the platform's sync jobs: only the operator's token may make them. */
    private final String operator = services.tokens().issueOperator(Scope.operatorScopes());

    private Response batch(String operations) {
        String token = operator;
        return ApiCall.to(BATCH)
                .token(token)
                .header("x-event-source", "sis")
                .body("{\"operations\": [" + operations + "]}")
                .send(handler);
    }

    private static List<Integer> ints(JsonNode results, String field) {
        List<Integer> values = new ArrayList<>();
        results.forEach(result -> values.add(result.path(field).asInt()));
        return values;
    }

    @Test
    void eachOperationIsAnsweredOnItsOwnWithItsIndexAndStatus() {
        String district = "district-" + System.nanoTime();
        Response response = batch(String.join(
                ", ",
                "{\"method\": \"PUT\", \"collection\": \"organizations\", \"id\": \"" + district
                        + "\", \"data\": {\"name\": \"North\", \"type\": \"district\"}}",
                "{\"method\": \"PUT\", \"collection\": \"organizations\", \"id\": \"" + district
                        + "\", \"data\": {\"name\": \"North\", \"type\": \"district\"}}",
                "{\"method\": \"PUT\", \"collection\": \"spaceships\", \"id\": \"x-1\", \"data\": {}}",
                "{\"method\": \"PATCH\", \"collection\": \"people\", \"id\": \"p-1\", \"data\": {}}",
                "{\"method\": \"DELETE\", \"collection\": \"organizations\", \"id\": \"" + district + "\"}"));

        assertEquals(200, response.status(), String.valueOf(response.body()));
        JsonNode results = response.data();
        assertEquals(List.of(0, 1, 2, 3, 4), ints(results, "index"));
        assertEquals(List.of(201, 200, 404, 400, 200), ints(results, "status"));

        JsonNode created = results.get(0);
        assertEquals("organizations", created.path("collection").asText());
        assertEquals(district, created.path("id").asText());
        assertEquals(true, created.path("changed").asBoolean());
        assertEquals("North", created.path("object").path("name").asText());
        assertFalse(created.has("errors"));
        assertEquals(false, results.get(1).path("changed").asBoolean(), "the same object again changes nothing");

        JsonNode unknown = results.get(2);
        assertEquals("spaceships", unknown.path("collection").asText());
        assertEquals("x-1", unknown.path("id").asText());
        assertEquals(
                "UNKNOWN_COLLECTION",
                unknown.path("errors").path(0).path("code").asText());
        assertFalse(unknown.has("changed"));
        assertEquals(
                "INVALID_METHOD",
                results.get(3).path("errors").path(0).path("code").asText());
        assertEquals(true, results.get(4).path("changed").asBoolean());
    }

    @Test
    void aBodyThatIsNotABatchIsRefusedWhole() {
        Response response = ApiCall.to(BATCH)
                .token(operator)
                .header("x-event-source", "sis")
                .body("{\"operations\": [], \"dry_run\": true}")
                .send(handler);

        assertEquals(400, response.status());
        assertEquals("INVALID_BATCH", response.firstErrorCode());
    }
}
