package eduledger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.AuditKeys;
import eduledger.audit.AuditScope;
import eduledger.events.EventIds;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphKeys;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.schemas.JsonSchemas;
import eduledger.testing.TestServices;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The writers report what they write: a scope's audit lists and an integration's feed, spread over
 * 8 shards longer ago than {@link ShardLayouts#SETTLED} and written slowly since, are halved by
 * the next write, from a lead ahead.
 */
class QuietListsTest {
    private final Services services = TestServices.shared();

    private static ShardLayout eightSinceLongAgo() {
        return ShardLayout.SINGLE.then(Instant.now().minus(ShardLayouts.SETTLED).minusSeconds(60), 8);
    }

    @Test
    void anEventIngestedIntoAQuietScopeHalvesItsLists() {
        String integrationId = UUID.randomUUID().toString();
        AuditScope scope = new AuditScope(integrationId, AuditScope.INTEGRATION);
        String tenant = AuditKeys.listLayoutTenant(integrationId, scope);
        services.shardLayouts().replace(tenant, eightSinceLongAgo());
        ObjectNode event = Json.object().put("action", "quiet.check");
        event.putObject("actor")
                .put("type", "person")
                .putArray("identifiers")
                .addObject()
                .put("value", "actor-1")
                .put("issuer", "gradebook");
        event.putArray("targets")
                .addObject()
                .put("type", "course")
                .putArray("identifiers")
                .addObject()
                .put("value", "course-1")
                .put("issuer", "sis");
        event.putObject("scope").put("id", integrationId).put("type", "integration");
        Instant sent = Instant.now();
        AuditIngestion.Outcome outcome = new AuditIngestion(
                        services.dynamo(),
                        services.tables(),
                        services.clock(),
                        services.settings().retention(),
                        new JsonSchemas())
                .submit(integrationId, event, null);
        assertTrue(outcome.results().get(0).stored(), outcome.toString());

        ShardLayout.Epoch last = services.shardLayouts().current(tenant).last();
        assertEquals(4, last.shards());
        assertTrue(!last.from().isBefore(sent.plus(AuditKeys.LIST_LAYOUT.lead())), last.toString());
    }

    @Test
    void aGraphEventWrittenToAQuietFeedHalvesIt() {
        String integrationId = UUID.randomUUID().toString();
        String tenant = GraphKeys.feedLayoutTenant(integrationId);
        services.shardLayouts().replace(tenant, eightSinceLongAgo());
        Instant made = Instant.now();
        services.graphEventItems()
                .item(new GraphEvent(
                        EventIds.next(made),
                        integrationId,
                        "person.created",
                        "person",
                        "person-1",
                        made,
                        Json.object()));

        ShardLayout.Epoch last = services.shardLayouts().current(tenant).last();
        assertEquals(
                List.of(1, 8, 4),
                services.shardLayouts().current(tenant).epochs().stream()
                        .map(ShardLayout.Epoch::shards)
                        .toList());
        assertTrue(!last.from().isBefore(made.plus(GraphKeys.FEED_LAYOUT.lead())), last.toString());
    }
}
