package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

class StreamRetentionTest {

    @Test
    void recordsOlderThanTheRetentionAreTrimmed() throws InterruptedException {
        try (DynamoDbEngine engine = DynamoDbEngine.builder()
                        .streamRetention(Duration.ofMillis(1500))
                        .build();
                DynamoDbClient ddb = EngineFixture.client(engine);
                DynamoDbStreamsClient streams = EngineFixture.streams(engine)) {
            String name = EngineFixture.uniqueName("retention");
            String arn = ddb.createTable(EngineFixture.table(name, null)
                            .streamSpecification(StreamSpecification.builder()
                                    .streamEnabled(true)
                                    .streamViewType(StreamViewType.KEYS_ONLY)
                                    .build())
                            .build())
                    .tableDescription()
                    .latestStreamArn();
            ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("old"))));
            String shard = streams.describeStream(b -> b.streamArn(arn))
                    .streamDescription()
                    .shards()
                    .get(0)
                    .shardId();
            String horizon = streams.getShardIterator(
                            b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            String oldSequence = streams.getRecords(b -> b.shardIterator(horizon))
                    .records()
                    .get(0)
                    .dynamodb()
                    .sequenceNumber();

            Thread.sleep(1700);
            ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("new"))));

            assertThrows(
                    TrimmedDataAccessException.class,
                    () -> streams.getShardIterator(b -> b.streamArn(arn)
                            .shardId(shard)
                            .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                            .sequenceNumber(oldSequence)));
            assertThrows(TrimmedDataAccessException.class, () -> streams.getRecords(b -> b.shardIterator(horizon)));
            String fresh = streams.getShardIterator(
                            b -> b.streamArn(arn).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            List<Record> records =
                    streams.getRecords(b -> b.shardIterator(fresh)).records();
            assertEquals(
                    List.of("new"),
                    records.stream().map(r -> r.dynamodb().keys().get("pk").s()).toList());
        }
    }
}
