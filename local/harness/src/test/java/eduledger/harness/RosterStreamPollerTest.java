package eduledger.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.dynamodb.DynamoDbEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/** The local stream trigger against the engine's real stream: where it starts, and what it hands on. */
class RosterStreamPollerTest {
    private static final String TABLE = "Roster";

    private DynamoDbEngine engine;
    private DynamoDbClient dynamo;
    private final List<DynamodbEvent.DynamodbStreamRecord> delivered = new ArrayList<>();

    @BeforeEach
    void start() {
        engine = DynamoDbEngine.builder().host("127.0.0.1").port(0).build();
        dynamo = TestStore.client(engine.endpoint());
        dynamo.createTable(b -> b.tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        dynamo.updateTimeToLive(b ->
                b.tableName(TABLE).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires_at")));
    }

    @AfterEach
    void stop() {
        dynamo.close();
        engine.close();
    }

    private RosterStreamPoller poller(boolean fromLatest) {
        return RosterStreamPoller.forTable(
                engine.endpoint(),
                TABLE,
                event -> {
                    delivered.addAll(event.getRecords());
                    return new StreamsEventResponse();
                },
                fromLatest);
    }

    private void put(String pk, Long expiresAt) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("pk", AttributeValue.fromS(pk)));
        if (expiresAt != null) {
            item.put("expires_at", AttributeValue.fromN(Long.toString(expiresAt)));
        }
        dynamo.putItem(b -> b.tableName(TABLE).item(item));
    }

    private List<String> delivered() {
        synchronized (delivered) {
            return delivered.stream()
                    .map(r -> r.getEventName() + " "
                            + r.getDynamodb().getKeys().get("pk").getS())
                    .toList();
        }
    }

    @Test
    void fromLatestOnAnEmptyShardDeliversEveryWriteThatFollows() {
        try (RosterStreamPoller poller = poller(true)) {
            assertEquals(0, poller.pollOnce());
            put("a", null);
            put("b", null);
            assertEquals(2, poller.pollOnce());
            put("c", null);
            assertEquals(1, poller.pollOnce());
        }
        assertEquals(List.of("INSERT a", "INSERT b", "INSERT c"), delivered());
    }

    @Test
    void fromLatestSkipsWhatWasWrittenBeforeAndFromTheHorizonDoesNot() {
        put("before", null);
        try (RosterStreamPoller latest = poller(true)) {
            put("after", null);
            latest.pollOnce();
        }
        assertEquals(List.of("INSERT after"), delivered());

        delivered.clear();
        try (RosterStreamPoller horizon = poller(false)) {
            horizon.pollOnce();
        }
        assertEquals(List.of("INSERT before", "INSERT after"), delivered());
    }

    @Test
    void aRecordThatKeepsFailingIsSkippedAfterItsRetriesAndSaidSo() {
        List<String> handed = new ArrayList<>();
        try (RosterStreamPoller poller = RosterStreamPoller.forTable(
                engine.endpoint(),
                TABLE,
                event -> {
                    StreamsEventResponse response = new StreamsEventResponse(new ArrayList<>());
                    for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
                        String pk = record.getDynamodb().getKeys().get("pk").getS();
                        handed.add(pk);
                        if (pk.equals("poison")) {
                            response.getBatchItemFailures()
                                    .add(new StreamsEventResponse.BatchItemFailure(
                                            record.getDynamodb().getSequenceNumber()));
                            break;
                        }
                    }
                    return response;
                },
                true)) {
            put("poison", null);
            put("after", null);
            for (int i = 0; i <= RosterStreamPoller.MAX_RETRIES + 1; i++) {
                poller.pollOnce();
            }
            assertEquals(
                    RosterStreamPoller.MAX_RETRIES + 1,
                    handed.stream().filter("poison"::equals).count());
            assertEquals("after", handed.get(handed.size() - 1));
            assertTrue(poller.describe().contains("skipped [shardId-"), poller.describe());
        }
    }

    @Test
    void aBatchWhoseHandlerThrewAnErrorIsDeliveredAgain() throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        try (RosterStreamPoller poller = RosterStreamPoller.forTable(
                engine.endpoint(),
                TABLE,
                event -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new StackOverflowError("thrown by the handler");
                    }
                    synchronized (delivered) {
                        delivered.addAll(event.getRecords());
                    }
                    return new StreamsEventResponse();
                },
                true)) {
            put("a", null);
            poller.start(10);
            awaitDelivered(1);
            assertEquals(List.of("INSERT a"), delivered());
            assertTrue(poller.describe().contains("thrown by the handler"), poller.describe());
        }
    }

    @Test
    void anInterruptLeftOnItsThreadByTheHandlerDoesNotStopThePoller() throws InterruptedException {
        try (RosterStreamPoller poller = RosterStreamPoller.forTable(
                engine.endpoint(),
                TABLE,
                event -> {
                    synchronized (delivered) {
                        delivered.addAll(event.getRecords());
                    }
                    // As a store call's timeout may leave it, landing in the poller's idle wait.
                    Thread.currentThread().interrupt();
                    return new StreamsEventResponse();
                },
                true)) {
            poller.start(10);
            put("first", null);
            awaitDelivered(1);
            Thread.sleep(200);
            put("second", null);
            awaitDelivered(2);
            assertEquals(List.of("INSERT first", "INSERT second"), delivered());
        }
    }

    private void awaitDelivered(int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (delivered().size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
    }

    @Test
    void deletionsByTtlCarryTheServicesIdentityAndAClientsDeleteNone() {
        try (RosterStreamPoller poller = poller(true)) {
            put("expired", Instant.now().getEpochSecond() - 60);
            put("deleted", null);
            dynamo.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("deleted"))));
            engine.sweepTtl();
            poller.pollOnce();
        }
        assertEquals(List.of("INSERT expired", "INSERT deleted", "REMOVE deleted", "REMOVE expired"), delivered());
        assertNull(delivered.get(2).getUserIdentity(), "a client's delete");
        DynamodbEvent.DynamodbStreamRecord expiry = delivered.get(3);
        assertEquals("Service", expiry.getUserIdentity().getType());
        assertEquals("dynamodb.amazonaws.com", expiry.getUserIdentity().getPrincipalId());
        assertEquals("expired", expiry.getDynamodb().getOldImage().get("pk").getS());
    }
}
