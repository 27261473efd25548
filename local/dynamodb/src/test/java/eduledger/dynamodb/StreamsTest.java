package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

class StreamsTest {
    @RegisterExtension
    static final EngineFixture.Running RUNNING =
            EngineFixture.running(DynamoDbEngine.builder().streamShardRecords(3));

    static final DynamoDbEngine engine = RUNNING.engine();
    static final DynamoDbClient ddb = RUNNING.client();
    static final DynamoDbStreamsClient streams = RUNNING.streams();

    private static String createStreamedTable(String name) {
        TableDescription t = ddb.createTable(EngineFixture.table(name, null)
                        .streamSpecification(StreamSpecification.builder()
                                .streamEnabled(true)
                                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                                .build())
                        .build())
                .tableDescription();
        assertNotNull(t.latestStreamArn());
        assertNotNull(t.latestStreamLabel());
        return t.latestStreamArn();
    }

    /** Every record of the stream, shard by shard in order. */
    static List<Record> readAll(DynamoDbStreamsClient streams, String arn) {
        List<Record> out = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn))
                .streamDescription()
                .shards()) {
            String it = streams.getShardIterator(b ->
                            b.streamArn(arn).shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (it != null) {
                String current = it;
                var page = streams.getRecords(b -> b.shardIterator(current));
                out.addAll(page.records());
                if (page.records().isEmpty()) break;
                it = page.nextShardIterator();
            }
        }
        return out;
    }

    @Test
    void writesThatChangeNothingLeaveNoRecord() {
        String name = EngineFixture.uniqueName("stream-noop");
        String arn = createStreamedTable(name);
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "v", n("1"))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "v", n("1.0"))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "v", n("2"))));
        ddb.deleteItem(b -> b.tableName(name).key(key("missing")));
        ddb.deleteItem(b -> b.tableName(name).key(key("a")));

        List<Record> records = readAll(streams, arn);
        assertEquals(
                List.of(OperationType.INSERT, OperationType.MODIFY, OperationType.REMOVE),
                records.stream().map(Record::eventName).toList());
        Record modify = records.get(1);
        assertEquals("1", modify.dynamodb().oldImage().get("v").n());
        assertEquals("2", modify.dynamodb().newImage().get("v").n());
        assertEquals("1.1", modify.eventVersion());
        assertEquals("aws:dynamodb", modify.eventSource());
        BigInteger previous = BigInteger.ZERO;
        for (Record r : records) {
            assertTrue(r.dynamodb().sequenceNumber().length() >= 21);
            BigInteger seq = new BigInteger(r.dynamodb().sequenceNumber());
            assertTrue(seq.compareTo(previous) > 0, "sequence numbers increase");
            previous = seq;
        }
    }

    @Test
    void shardsRollOverWithParentLinksAndOnlyTheOpenShardHasNoEnd() {
        String name = EngineFixture.uniqueName("stream-roll");
        String arn = createStreamedTable(name);
        for (int i = 0; i < 8; i++) {
            String pk = "item-" + i;
            ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s(pk))));
        }
        List<Shard> shards = streams.describeStream(b -> b.streamArn(arn))
                .streamDescription()
                .shards();
        assertEquals(3, shards.size());
        for (int i = 0; i < shards.size(); i++) {
            Shard sh = shards.get(i);
            if (i > 0) assertEquals(shards.get(i - 1).shardId(), sh.parentShardId());
            if (i < shards.size() - 1) assertNotNull(sh.sequenceNumberRange().endingSequenceNumber());
            else
                assertNull(
                        sh.sequenceNumberRange().endingSequenceNumber(),
                        "the open shard has no ending sequence number");
        }
        assertEquals(8, readAll(streams, arn).size());
    }

    @Test
    void latestIteratorSeesOnlyLaterRecordsAndDisablingMakesANewStreamLater() {
        String name = EngineFixture.uniqueName("stream-latest");
        String arn = createStreamedTable(name);
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("before"))));
        Shard open = streams.describeStream(b -> b.streamArn(arn))
                .streamDescription()
                .shards()
                .get(0);
        String it = streams.getShardIterator(
                        b -> b.streamArn(arn).shardId(open.shardId()).shardIteratorType(ShardIteratorType.LATEST))
                .shardIterator();
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("after"))));
        List<Record> records = streams.getRecords(b -> b.shardIterator(it)).records();
        assertEquals(1, records.size());
        assertEquals("after", records.get(0).dynamodb().keys().get("pk").s());

        ddb.updateTable(b -> b.tableName(name)
                .streamSpecification(
                        StreamSpecification.builder().streamEnabled(false).build()));
        assertEquals(
                "DISABLED",
                streams.describeStream(b -> b.streamArn(arn))
                        .streamDescription()
                        .streamStatusAsString());
        String second = ddb.updateTable(b -> b.tableName(name)
                        .streamSpecification(StreamSpecification.builder()
                                .streamEnabled(true)
                                .streamViewType(StreamViewType.KEYS_ONLY)
                                .build()))
                .tableDescription()
                .latestStreamArn();
        assertNotEquals(arn, second);
    }

    @Test
    void aRefusedCreateTableRegistersNoStream() {
        String name = EngineFixture.uniqueName("stream-twice");
        String arn = createStreamedTable(name);
        assertThrows(
                ResourceInUseException.class,
                () -> ddb.createTable(EngineFixture.table(name, null)
                        .streamSpecification(StreamSpecification.builder()
                                .streamEnabled(true)
                                .streamViewType(StreamViewType.KEYS_ONLY)
                                .build())
                        .build()));

        var listed = streams.listStreams(b -> b.tableName(name)).streams();
        assertEquals(List.of(arn), listed.stream().map(st -> st.streamArn()).toList());
        assertEquals(arn, ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn());
    }
}
