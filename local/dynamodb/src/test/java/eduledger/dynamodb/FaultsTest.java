package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

class FaultsTest {
    static DynamoDbEngine engine;
    static DynamoDbClient ddb;
    static String table;

    @BeforeAll
    static void start() {
        engine = DynamoDbEngine.builder().build();
        // no retries: each injected fault reaches the test
        ddb = DynamoDbClient.builder()
                .endpointOverride(engine.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
        table = EngineFixture.uniqueName("faults");
        ddb.createTable(EngineFixture.table(table, null).build());
    }

    @AfterEach
    void clear() {
        engine.faults().clear();
    }

    @AfterAll
    static void stop() {
        ddb.close();
        engine.close();
    }

    @Test
    void throttlesTheNamedOperationTheGivenNumberOfTimes() {
        engine.faults().throttle("PutItem", 2);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = Map.of("pk", s("t"));
        assertThrows(
                ProvisionedThroughputExceededException.class,
                () -> ddb.putItem(b -> b.tableName(table).item(item)));
        ddb.getItem(b -> b.tableName(table).key(key("t")));
        assertThrows(
                ProvisionedThroughputExceededException.class,
                () -> ddb.putItem(b -> b.tableName(table).item(item)));
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    @Test
    void anOutageFailsEveryRequestWithAServerError() {
        engine.faults().outage(true);
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> ddb.listTables());
        assertEquals(500, e.statusCode());
        engine.faults().outage(false);
        assertTrue(ddb.listTables().tableNames().contains(table));
    }

    @Test
    void batchWritesCanComeBackUnprocessed() {
        engine.faults().unprocessedItems(1);
        List<WriteRequest> writes = List.of(WriteRequest.builder()
                .putRequest(p -> p.item(Map.of("pk", s("u1"))))
                .build());
        BatchWriteItemResponse first = ddb.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
        assertEquals(1, first.unprocessedItems().get(table).size());
        assertTrue(!ddb.getItem(b -> b.tableName(table).key(key("u1"))).hasItem());
        BatchWriteItemResponse second = ddb.batchWriteItem(b -> b.requestItems(first.unprocessedItems()));
        assertTrue(second.unprocessedItems().isEmpty());
        assertTrue(ddb.getItem(b -> b.tableName(table).key(key("u1"))).hasItem());
    }
}
