package eduledger.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.testing.SettableClock;
import eduledger.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How long ingestion may keep validating against a version after a newer one is stored, on the test store. */
class NewestSchemasTest {

    private final Services services = TestServices.shared();
    private final SettableClock clock = new SettableClock(Instant.now());
    private final SchemaStore store = new SchemaStore(services.dynamo(), services.tables(), clock);
    private final NewestSchemas newest = new NewestSchemas(store, clock);
    private final String owner =
            services.integrations().create("schemas " + System.nanoTime()).id();

    private AuditSchema define(String action) {
        return store.create(
                owner,
                SchemaDefinition.forCreate(
                        Json.readStored("{\"action\": {\"id\": \"" + action + "\", \"type\": \"create\"},"
                                + " \"validation_level\": \"strict\", \"data\": {\"type\": \"object\"}}"),
                        new JsonSchemas()));
    }

    private AuditSchema makeLax(String action) {
        return store.patch(
                owner,
                action,
                current -> SchemaDefinition.forPatch(
                        Json.readStored("{\"validation_level\": \"lax\"}"), current, new JsonSchemas()));
    }

    private long versionOf(String action) {
        return newest.newest(owner, action).orElseThrow().versionNumber();
    }

    @Test
    void aNewVersionGovernsFromOneSecondAfterTheOneBeforeWasRead() {
        define("course.graded");
        assertEquals(1, versionOf("course.graded"));
        makeLax("course.graded");

        assertEquals(1, versionOf("course.graded"), "read just now, so still the version read");
        clock.advance(NewestSchemas.FRESHNESS.minusMillis(1));
        assertEquals(1, versionOf("course.graded"), "still within the bound");
        clock.advance(Duration.ofMillis(1));
        assertEquals(2, versionOf("course.graded"), "the bound has passed: read again");
    }

    @Test
    void aSchemaMadeForAnActionReadWithoutOneGovernsOnceTheBoundHasPassed() {
        assertEquals(Optional.empty(), newest.newest(owner, "login"));
        define("login");

        assertEquals(Optional.empty(), newest.newest(owner, "login"));
        clock.advance(NewestSchemas.FRESHNESS);
        assertEquals(1, versionOf("login"));
    }

    @Test
    void aClockThatWentBackReadsAgain() {
        define("course.graded");
        assertEquals(1, versionOf("course.graded"));
        makeLax("course.graded");

        clock.advance(Duration.ofMillis(-1));
        assertEquals(2, versionOf("course.graded"));
    }

    @Test
    void eachOwnerAndActionIsItsOwnEntry() {
        define("course.graded");
        assertEquals(1, versionOf("course.graded"));
        String other =
                services.integrations().create("other " + System.nanoTime()).id();

        assertTrue(newest.newest(other, "course.graded").isEmpty(), "another owner's action has no schema");
        assertTrue(newest.newest(owner, "course.started").isEmpty(), "another action has no schema");
    }
}
