package eduledger.dynamodb.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import eduledger.dynamodb.DynamoDbEngine;
import eduledger.dynamodb.EngineFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Stream records are journaled with the writes that make them: an engine reopened on the same data
 * directory serves the same stream (ARN, label, shards) with every record a consumer had not read yet.
 */
class StreamJournalTest {
    @TempDir
    Path data;

    private DynamoDbEngine engine() {
        // three records a shard, so the journal has to carry shard rollovers too
        return DynamoDbEngine.builder()
                .port(0)
                .streamShardRecords(3)
                .journal(Journals.open(data))
                .build();
    }

    private static Map<String, AttributeValue> item(String pk, String v) {
        return Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromN(v));
    }

    /** Every record from TRIM_HORIZON, shard by shard, as "eventName pk sequenceNumber". */
    private static List<String> readAll(DynamoDbStreamsClient streams, String arn) {
        List<String> out = new ArrayList<>();
        for (Shard shard : streams.describeStream(b -> b.streamArn(arn))
                .streamDescription()
                .shards()) {
            String it = streams.getShardIterator(b ->
                            b.streamArn(arn).shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (it != null) {
                String current = it;
                var page = streams.getRecords(b -> b.shardIterator(current));
                for (Record r : page.records())
                    out.add(r.eventNameAsString() + " "
                            + r.dynamodb().keys().get("pk").s() + " "
                            + r.dynamodb().sequenceNumber());
                if (page.records().isEmpty()) break;
                it = page.nextShardIterator();
            }
        }
        return out;
    }

    private static List<String> shards(DynamoDbStreamsClient streams, String arn) {
        List<String> out = new ArrayList<>();
        for (Shard s : streams.describeStream(b -> b.streamArn(arn))
                .streamDescription()
                .shards())
            out.add(s.shardId() + " parent=" + s.parentShardId() + " "
                    + s.sequenceNumberRange().startingSequenceNumber() + ".."
                    + s.sequenceNumberRange().endingSequenceNumber());
        return out;
    }

    private static void writeSome(DynamoDbClient ddb, String prefix) {
        ddb.putItem(b -> b.tableName("roster").item(item(prefix + "a", "1")));
        ddb.putItem(b -> b.tableName("roster").item(item(prefix + "a", "1"))); // changes nothing: no record
        ddb.updateItem(b -> b.tableName("roster")
                .key(Map.of("pk", AttributeValue.fromS(prefix + "a")))
                .updateExpression("ADD v :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder()
                        .put(p -> p.tableName("roster").item(item(prefix + "b", "1")))
                        .build(),
                TransactWriteItem.builder()
                        .put(p -> p.tableName("roster").item(item(prefix + "c", "1")))
                        .build()));
        ddb.deleteItem(b -> b.tableName("roster").key(Map.of("pk", AttributeValue.fromS(prefix + "b"))));
    }

    @Test
    void aReopenedEngineServesTheSameStreamWithItsRecords() {
        String arn;
        String label;
        List<String> records;
        List<String> shards;
        try (DynamoDbEngine engine = engine();
                DynamoDbClient ddb = EngineFixture.client(engine);
                DynamoDbStreamsClient streams = EngineFixture.streams(engine)) {
            var created = ddb.createTable(b -> b.tableName("roster")
                            .billingMode(BillingMode.PAY_PER_REQUEST)
                            .attributeDefinitions(AttributeDefinition.builder()
                                    .attributeName("pk")
                                    .attributeType(ScalarAttributeType.S)
                                    .build())
                            .keySchema(KeySchemaElement.builder()
                                    .attributeName("pk")
                                    .keyType(KeyType.HASH)
                                    .build())
                            .streamSpecification(
                                    s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                    .tableDescription();
            arn = created.latestStreamArn();
            label = created.latestStreamLabel();
            writeSome(ddb, "before-");
            engine.snapshot();
            writeSome(ddb, "after-");
            records = readAll(streams, arn);
            shards = shards(streams, arn);
        }
        assertEquals(10, records.size(), records.toString());
        assertEquals(true, shards.size() >= 3, shards.toString());

        try (DynamoDbEngine engine = engine();
                DynamoDbClient ddb = EngineFixture.client(engine);
                DynamoDbStreamsClient streams = EngineFixture.streams(engine)) {
            var table = ddb.describeTable(b -> b.tableName("roster")).table();
            assertEquals(arn, table.latestStreamArn());
            assertEquals(label, table.latestStreamLabel());
            assertEquals(
                    List.of(arn),
                    streams.listStreams(b -> b.tableName("roster")).streams().stream()
                            .map(s -> s.streamArn())
                            .toList());
            assertEquals(shards, shards(streams, arn));
            assertEquals(records, readAll(streams, arn));
            var first = streams.getRecords(b -> b.shardIterator(streams.getShardIterator(i -> i.streamArn(arn)
                                    .shardId(streams.describeStream(d -> d.streamArn(arn))
                                            .streamDescription()
                                            .shards()
                                            .get(0)
                                            .shardId())
                                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                            .shardIterator()))
                    .records()
                    .get(0);
            assertEquals("1", first.dynamodb().newImage().get("v").n());
            assertFalse(first.dynamodb().hasOldImage());

            // the stream goes on after the restart: later numbers, same shards until the open one fills
            ddb.putItem(b -> b.tableName("roster").item(item("later", "1")));
            List<String> now = readAll(streams, arn);
            assertEquals(records, now.subList(0, records.size()));
            assertEquals(records.size() + 1, now.size());
            String last = now.get(now.size() - 1);
            assertEquals(
                    true,
                    new java.math.BigInteger(last.substring(last.lastIndexOf(' ') + 1))
                                    .compareTo(new java.math.BigInteger(records.get(records.size() - 1)
                                            .substring(records.get(records.size() - 1)
                                                            .lastIndexOf(' ')
                                                    + 1)))
                            > 0);
        }
    }
}
