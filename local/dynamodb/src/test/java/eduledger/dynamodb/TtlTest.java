package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

class TtlTest {
    // the background sweeper stays out of the way: the test sweeps on demand
    @RegisterExtension
    static final EngineFixture.Running RUNNING =
            EngineFixture.running(DynamoDbEngine.builder().ttlSweepInterval(Duration.ofHours(1)));

    static final DynamoDbEngine engine = RUNNING.engine();
    static final DynamoDbClient ddb = RUNNING.client();
    static final DynamoDbStreamsClient streams = RUNNING.streams();

    @Test
    void sweepDeletesExpiredItemsOnlyAndTheRemoveRecordNamesTheService() {
        String name = EngineFixture.uniqueName("ttl");
        String arn = ddb.createTable(EngineFixture.table(name, null)
                        .streamSpecification(StreamSpecification.builder()
                                .streamEnabled(true)
                                .streamViewType(StreamViewType.OLD_IMAGE)
                                .build())
                        .build())
                .tableDescription()
                .latestStreamArn();
        ddb.updateTimeToLive(b ->
                b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        assertEquals(
                TimeToLiveStatus.ENABLED,
                ddb.describeTimeToLive(b -> b.tableName(name))
                        .timeToLiveDescription()
                        .timeToLiveStatus());

        long now = Instant.now().getEpochSecond();
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("past"), "expires", n(Long.toString(now - 60)))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("future"), "expires", n(Long.toString(now + 3600)))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("text"), "expires", s("yesterday"))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("none"))));
        ddb.putItem(b -> b.tableName(name)
                .item(Map.of("pk", s("ancient"), "expires", n(Long.toString(now - 6L * 365 * 24 * 3600)))));

        assertEquals(1, engine.sweepTtl());
        assertFalse(ddb.getItem(b -> b.tableName(name).key(key("past")).consistentRead(true))
                .hasItem());
        for (String kept : List.of("future", "text", "none", "ancient")) {
            assertTrue(
                    ddb.getItem(b -> b.tableName(name).key(key(kept)).consistentRead(true))
                            .hasItem(),
                    kept);
        }

        List<Record> records = StreamsTest.readAll(streams, arn);
        Record remove = records.get(records.size() - 1);
        assertEquals(OperationType.REMOVE, remove.eventName());
        assertEquals("past", remove.dynamodb().keys().get("pk").s());
        assertEquals("Service", remove.userIdentity().type());
        assertEquals("dynamodb.amazonaws.com", remove.userIdentity().principalId());
        assertTrue(records.stream()
                .filter(r -> r.eventName() == OperationType.INSERT)
                .allMatch(r -> r.userIdentity() == null));
    }

    @Test
    void theBackgroundSweepLooksAtABoundedShareOfItemsPerTickAndGetsToEveryOne() {
        String name = EngineFixture.uniqueName("ttl");
        ddb.createTable(EngineFixture.table(name, null).build());
        ddb.updateTimeToLive(b ->
                b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < 10; i++) {
            String expires = Long.toString(i % 2 == 0 ? now - 60 : now + 3600);
            String id = "item-" + i;
            ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s(id), "expires", n(expires))));
        }
        int first = engine.sweepTtl(3);
        assertTrue(first <= 3, "a tick of 3 items deleted " + first);
        int deleted = first;
        for (int tick = 0; tick < 40 && deleted < 5; tick++) {
            deleted += engine.sweepTtl(3);
        }
        assertEquals(5, deleted);
        for (int i = 0; i < 10; i++) {
            String id = "item-" + i;
            assertEquals(
                    i % 2 != 0,
                    ddb.getItem(b -> b.tableName(name).key(key(id)).consistentRead(true))
                            .hasItem(),
                    id);
        }
    }

    @Test
    void aTableNoLargerThanATicksShareIsSweptWholeEveryTickHoweverLargeTheOthers() {
        long now = Instant.now().getEpochSecond();
        for (int big = 0; big < 3; big++) {
            String name = EngineFixture.uniqueName("ttl-big");
            ddb.createTable(EngineFixture.table(name, null).build());
            ddb.updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            for (int i = 0; i < 10; i++) {
                String id = "live-" + i;
                ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s(id), "expires", n(Long.toString(now + 3600)))));
            }
        }
        String small = EngineFixture.uniqueName("ttl-small");
        ddb.createTable(EngineFixture.table(small, null).build());
        ddb.updateTimeToLive(b ->
                b.tableName(small).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        ddb.putItem(b -> b.tableName(small).item(Map.of("pk", s("gone"), "expires", n(Long.toString(now - 60)))));
        ddb.putItem(b -> b.tableName(small).item(Map.of("pk", s("kept"), "expires", n(Long.toString(now + 3600)))));

        engine.sweepTtl(3);
        assertFalse(ddb.getItem(b -> b.tableName(small).key(key("gone")).consistentRead(true))
                .hasItem());
        assertTrue(ddb.getItem(b -> b.tableName(small).key(key("kept")).consistentRead(true))
                .hasItem());
    }
}
