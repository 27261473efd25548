package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

class CrudTest {
    @RegisterExtension
    static final EngineFixture.Running RUNNING = EngineFixture.running(DynamoDbEngine.builder());

    static final DynamoDbEngine engine = RUNNING.engine();
    static final DynamoDbClient ddb = RUNNING.client();
    static String table;

    @BeforeAll
    static void start() {
        table = EngineFixture.uniqueName("crud");
        ddb.createTable(EngineFixture.table(table, null).build());
    }

    @Test
    void tablesAreCreatedDescribedListedAndDeleted() {
        String name = EngineFixture.uniqueName("lifecycle");
        ddb.createTable(EngineFixture.table(name, ScalarAttributeType.N).build());
        DescribeTableResponse d = ddb.describeTable(b -> b.tableName(name));
        assertEquals(TableStatus.ACTIVE, d.table().tableStatus());
        assertEquals(2, d.table().keySchema().size());
        assertTrue(d.table().tableArn().endsWith(":table/" + name));
        assertTrue(ddb.listTables().tableNames().contains(name));
        assertThrows(
                ResourceInUseException.class,
                () -> ddb.createTable(EngineFixture.table(name, null).build()));
        ddb.deleteTable(b -> b.tableName(name));
        assertThrows(ResourceNotFoundException.class, () -> ddb.describeTable(b -> b.tableName(name)));
    }

    @Test
    void putGetDeleteRoundTripsEveryType() {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("all-types"));
        item.put("s", s("text ✓"));
        item.put("n", n("12.500"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, (byte) 0xff})));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.0")));
        item.put("bool", AttributeValue.fromBool(true));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("l", AttributeValue.fromL(List.of(s("x"), n("1"))));
        item.put("m", AttributeValue.fromM(Map.of("inner", s("y"))));
        item.put("empty", s(""));
        ddb.putItem(b -> b.tableName(table).item(item));

        Map<String, AttributeValue> got =
                ddb.getItem(b -> b.tableName(table).key(key("all-types"))).item();
        assertEquals("12.5", got.get("n").n(), "numbers come back normalized");
        assertEquals(List.of("a", "b"), got.get("ss").ss());
        assertEquals(3, got.get("b").b().asByteArray().length);
        assertEquals("y", got.get("m").m().get("inner").s());
        assertEquals("", got.get("empty").s());

        Map<String, AttributeValue> old = ddb.deleteItem(
                        b -> b.tableName(table).key(key("all-types")).returnValues(ReturnValue.ALL_OLD))
                .attributes();
        assertEquals("text ✓", old.get("s").s());
        GetItemResponse after = ddb.getItem(b -> b.tableName(table).key(key("all-types")));
        assertFalse(after.hasItem());
    }

    @Test
    void putReturnsTheOldItemAndConsumedCapacity() {
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("p1"), "v", n("1"))));
        PutItemResponse r = ddb.putItem(b -> b.tableName(table)
                .item(Map.of("pk", s("p1"), "v", n("2")))
                .returnValues(ReturnValue.ALL_OLD)
                .returnConsumedCapacity("TOTAL"));
        assertEquals("1", r.attributes().get("v").n());
        assertEquals(table, r.consumedCapacity().tableName());
        assertEquals(1.0, r.consumedCapacity().capacityUnits());
    }

    @Test
    void refusesKeysThatDoNotMatchTheSchema() {
        DynamoDbException missing = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(b -> b.tableName(table).item(Map.of("other", s("x")))));
        assertEquals(
                "One or more parameter values were invalid: Missing the key pk in the item",
                missing.awsErrorDetails().errorMessage());
        DynamoDbException wrongType = assertThrows(
                DynamoDbException.class,
                () -> ddb.getItem(b -> b.tableName(table).key(Map.of("pk", n("1")))));
        assertEquals(
                "The provided key element does not match the schema",
                wrongType.awsErrorDetails().errorMessage());
        DynamoDbException emptyKey = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("")))));
        assertTrue(emptyKey.awsErrorDetails().errorMessage().contains("cannot contain an empty string value"));
    }

    @Test
    void refusesInvalidValuesWithDynamoDbsMessages() {
        DynamoDbException emptySet = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(
                        b -> b.tableName(table).item(Map.of("pk", s("v"), "ss", AttributeValue.fromSs(List.of())))));
        assertEquals(
                "One or more parameter values were invalid: An string set  may not be empty",
                emptySet.awsErrorDetails().errorMessage());
        DynamoDbException duplicates = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(b ->
                        b.tableName(table).item(Map.of("pk", s("v"), "ss", AttributeValue.fromSs(List.of("a", "a"))))));
        assertEquals(
                "One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
                duplicates.awsErrorDetails().errorMessage());
        DynamoDbException precision = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(b -> b.tableName(table)
                        .item(Map.of("pk", s("v"), "n", n("1.23456789012345678901234567890123456789")))));
        assertEquals(
                "Attempting to store more than 38 significant digits in a Number",
                precision.awsErrorDetails().errorMessage());
        DynamoDbException overflow = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("v"), "n", n("1E126")))));
        assertTrue(overflow.awsErrorDetails().errorMessage().startsWith("Number overflow"));
    }

    @Test
    void refusesItemsOver400Kb() {
        String big = "x".repeat(400 * 1024);
        DynamoDbException e = assertThrows(
                DynamoDbException.class,
                () -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "v", s(big)))));
        assertEquals(
                "Item size has exceeded the maximum allowed size",
                e.awsErrorDetails().errorMessage());
        String fits = "x".repeat(400 * 1024 - 10);
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "v", s(fits))));
        assertNotNull(ddb.getItem(b -> b.tableName(table).key(key("big"))).item());
    }

    @Test
    void missingTableIsResourceNotFound() {
        assertThrows(
                ResourceNotFoundException.class,
                () -> ddb.getItem(b -> b.tableName("no-such-table").key(key("x"))));
    }
}
