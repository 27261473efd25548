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
import eduledger.testing.SettableClock;
import eduledger.testing.TestServices;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The writers report what they write: a scope's audit lists and an integration's feed, spread over
 * 8 shards longer ago than {@link ShardLayouts#SETTLED} and written slowly since, are halved by
 * the next write, from a lead ahead.
 */
class QuietListsTest {
    private final SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final Services services = TestServices.create(clock);

    /** Sets the tenant on 8 shards, an hour and a minute ago by the clock. */
    private void eightSinceLongAgo(String tenant) {
        services.shardLayouts().replace(tenant, ShardLayout.of(8));
        clock.advance(ShardLayouts.SETTLED.plusMinutes(1));
    }

    @Test
    void anEventIngestedIntoAQuietScopeHalvesItsLists() {
        String integrationId = UUID.randomUUID().toString();
        AuditScope scope = new AuditScope(integrationId, AuditScope.INTEGRATION);
        String tenant = AuditKeys.listLayoutTenant(integrationId, scope);
        eightSinceLongAgo(tenant);
        Instant sent = clock.instant();
        ingestOne(integrationId);

        ShardLayout.Epoch last = services.shardLayouts().current(tenant).last();
        assertEquals(4, last.shards());
        assertTrue(!last.from().isBefore(sent.plus(AuditKeys.LIST_LAYOUT.lead())), last.toString());
    }

    @Test
    void aGraphEventWrittenToAQuietFeedHalvesIt() {
        String integrationId = UUID.randomUUID().toString();
        String tenant = GraphKeys.feedLayoutTenant(integrationId);
        eightSinceLongAgo(tenant);
        Instant made = clock.instant();
        services.graphEventItems().item(graphEvent(integrationId, made));

        ShardLayout.Epoch last = services.shardLayouts().current(tenant).last();
        assertEquals(
                List.of(8, 4),
                services.shardLayouts().current(tenant).epochs().stream()
                        .map(ShardLayout.Epoch::shards)
                        .toList());
        assertTrue(!last.from().isBefore(made.plus(GraphKeys.FEED_LAYOUT.lead())), last.toString());
    }

    /** One audit event in the integration's own scope, through ingestion as the ingest function takes it. */
    private void ingestOne(String integrationId) {
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
        AuditIngestion.Outcome outcome = new AuditIngestion(
                        services.dynamo(),
                        services.tables(),
                        services.clock(),
                        services.settings().retention(),
                        new JsonSchemas())
                .submit(integrationId, event, null);
        assertTrue(outcome.results().get(0).stored(), outcome.toString());
    }

    private GraphEvent graphEvent(String integrationId, Instant made) {
        return new GraphEvent(
                EventIds.next(made), integrationId, "person.created", "person", "person-1", made, Json.object());
    }

    /** One more item than a quiet shard holds, with ids from the last seconds, in the partition given. */
    private void busy(String partition) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i <= ShardLayouts.QUIET_ITEMS; i++) {
            items.add(Attributes.key(partition, EventIds.next(clock.instant().minusMillis(i % 4_000))));
        }
        BatchWrites.putAll(services.dynamo(), services.tables().events(), items);
    }

    /**
     * The same writes to lists still written fast change nothing: the count reads the very
     * partitions the writers fill (the whole audit list's first shard, the feed's).
     */
    @Test
    void aBusyScopeAndABusyFeedKeepTheirShards() {
        String integrationId = UUID.randomUUID().toString();
        AuditScope scope = new AuditScope(integrationId, AuditScope.INTEGRATION);
        String lists = AuditKeys.listLayoutTenant(integrationId, scope);
        String feed = GraphKeys.feedLayoutTenant(integrationId);
        services.shardLayouts().replace(lists, ShardLayout.of(8));
        services.shardLayouts().replace(feed, ShardLayout.of(8));
        clock.advance(ShardLayouts.SETTLED.plusMinutes(1));
        busy(AuditKeys.auditLookup(integrationId, scope, 0, ""));
        busy(GraphKeys.graphEvents(integrationId, 0));

        ingestOne(integrationId);
        services.graphEventItems().item(graphEvent(integrationId, clock.instant()));

        assertEquals(ShardLayout.of(8), services.shardLayouts().current(lists));
        assertEquals(ShardLayout.of(8), services.shardLayouts().current(feed));
    }
}
