package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** Shard iterators live fifteen minutes, measured on the engine's iterator clock. */
class IteratorExpiryTest {

    /** A clock the test moves on by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    @Test
    void anIteratorWorksForFifteenMinutesAndThenExpires() {
        ManualClock clock = new ManualClock();
        try (DynamoDbEngine engine =
                        DynamoDbEngine.builder().streamIteratorClock(clock).build();
                DynamoDbClient ddb = EngineFixture.client(engine);
                DynamoDbStreamsClient streams = EngineFixture.streams(engine)) {
            String name = EngineFixture.uniqueName("iterator-expiry");
            String arn = ddb.createTable(EngineFixture.table(name, null)
                            .streamSpecification(StreamSpecification.builder()
                                    .streamEnabled(true)
                                    .streamViewType(StreamViewType.KEYS_ONLY)
                                    .build())
                            .build())
                    .tableDescription()
                    .latestStreamArn();
            ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"))));
            String shard = streams.describeStream(b -> b.streamArn(arn))
                    .streamDescription()
                    .shards()
                    .get(0)
                    .shardId();
            String iterator = streams.getShardIterator(
                            b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();

            clock.advance(Duration.ofMinutes(15));
            assertEquals(
                    1,
                    streams.getRecords(b -> b.shardIterator(iterator)).records().size(),
                    "still valid at fifteen minutes");

            clock.advance(Duration.ofSeconds(1));
            ExpiredIteratorException e = assertThrows(
                    ExpiredIteratorException.class, () -> streams.getRecords(b -> b.shardIterator(iterator)));
            assertEquals(true, e.getMessage().contains("Iterator expired"), e.getMessage());

            // a fresh iterator, and the one GetRecords hands on, start their own fifteen minutes
            String fresh = streams.getShardIterator(
                            b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            String next = streams.getRecords(b -> b.shardIterator(fresh)).nextShardIterator();
            clock.advance(Duration.ofMinutes(14));
            assertEquals(
                    0, streams.getRecords(b -> b.shardIterator(next)).records().size());
            clock.advance(Duration.ofMinutes(2));
            assertThrows(ExpiredIteratorException.class, () -> streams.getRecords(b -> b.shardIterator(next)));
        }
    }
}
