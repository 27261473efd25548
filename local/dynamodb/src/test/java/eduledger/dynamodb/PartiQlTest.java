package eduledger.dynamodb;

import static eduledger.dynamodb.EngineFixture.key;
import static eduledger.dynamodb.EngineFixture.n;
import static eduledger.dynamodb.EngineFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DuplicateItemException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ExecuteTransactionResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class PartiQlTest {
    @RegisterExtension
    static final EngineFixture.Running RUNNING = EngineFixture.running(DynamoDbEngine.builder());

    static final DynamoDbEngine engine = RUNNING.engine();
    static final DynamoDbClient ddb = RUNNING.client();
    static String hash;
    static String composite;

    @BeforeAll
    static void start() {
        hash = EngineFixture.uniqueName("pq-hash");
        composite = EngineFixture.uniqueName("pq-composite");
        ddb.createTable(EngineFixture.table(hash, null).build());
        List<AttributeDefinition> defs = new ArrayList<>(
                EngineFixture.table(composite, ScalarAttributeType.N).build().attributeDefinitions());
        defs.add(AttributeDefinition.builder()
                .attributeName("colour")
                .attributeType(ScalarAttributeType.S)
                .build());
        ddb.createTable(EngineFixture.table(composite, ScalarAttributeType.N)
                .attributeDefinitions(defs)
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName("by-colour")
                        .keySchema(k -> k.attributeName("colour").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build())
                .build());
        for (int i = 1; i <= 10; i++) {
            int sk = i;
            ddb.putItem(b -> b.tableName(composite)
                    .item(Map.of(
                            "pk",
                            s("p"),
                            "sk",
                            n(String.valueOf(sk)),
                            "colour",
                            s(sk % 2 == 0 ? "red" : "blue"),
                            "tags",
                            AttributeValue.fromSs(List.of("t" + sk, "all")),
                            "info",
                            AttributeValue.fromM(Map.of("depth", n(String.valueOf(sk * 10)))))));
        }
    }

    private static ExecuteStatementResponse run(String statement, AttributeValue... parameters) {
        return ddb.executeStatement(b -> {
            b.statement(statement);
            if (parameters.length > 0) b.parameters(parameters);
        });
    }

    private static Set<String> sortKeys(List<Map<String, AttributeValue>> items) {
        Set<String> out = new TreeSet<>();
        for (Map<String, AttributeValue> item : items) out.add(item.get("sk").n());
        return out;
    }

    @Test
    void insertWritesEveryLiteralKindAndRefusesADuplicate() {
        run(
                "INSERT INTO \"" + hash
                        + "\" VALUE {'pk': 'lit', 'str': 'it''s', 'num': -1.5e2, 'yes': true, 'nothing': null,"
                        + " 'map': {'inner': [1, 'two']}, 'ss': <<'a', 'b'>>, 'ns': <<1, 2>>, 'bin': ?}",
                AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromUtf8String("xyz")));
        Map<String, AttributeValue> item = ddb.getItem(
                        b -> b.tableName(hash).key(key("lit")).consistentRead(true))
                .item();
        assertEquals("it's", item.get("str").s());
        assertEquals("-150", item.get("num").n());
        assertTrue(item.get("yes").bool());
        assertTrue(item.get("nothing").nul());
        assertEquals("1", item.get("map").m().get("inner").l().get(0).n());
        assertEquals("two", item.get("map").m().get("inner").l().get(1).s());
        assertEquals(Set.of("a", "b"), new HashSet<>(item.get("ss").ss()));
        assertEquals(Set.of("1", "2"), new HashSet<>(item.get("ns").ns()));
        assertEquals("xyz", item.get("bin").b().asUtf8String());

        DuplicateItemException e = assertThrows(
                DuplicateItemException.class, () -> run("INSERT INTO \"" + hash + "\" VALUE {'pk': 'lit'}"));
        assertEquals(
                "Duplicate primary key exists in table", e.awsErrorDetails().errorMessage());
        assertEquals(
                "it's",
                ddb.getItem(b -> b.tableName(hash).key(key("lit")).consistentRead(true))
                        .item()
                        .get("str")
                        .s());
    }

    @Test
    void whereOnThePartitionKeyUsesTheSortKeyConditionAndFiltersTheRest() {
        String t = "\"" + composite + "\"";
        assertEquals(
                Set.of("3", "4", "5"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND sk BETWEEN 3 AND 5")
                        .items()));
        assertEquals(
                Set.of("8", "9", "10"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = ? AND 7 < sk", s("p"))
                        .items()));
        assertEquals(
                Set.of("2", "4"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND sk <= 5 AND colour = 'red'")
                        .items()));
        assertEquals(
                Set.of("1", "10"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND (sk = 1 OR sk = 10)")
                        .items()));
        assertEquals(
                Set.of("3", "6"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND sk IN (3, 6, 42)")
                        .items()));
        assertEquals(
                Set.of("9", "10"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND info.depth >= 90")
                        .items()));
        assertEquals(
                Set.of("7"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND contains(tags, 't7')")
                        .items()));
        assertEquals(
                Set.of("1", "2", "3"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND NOT sk > 3")
                        .items()));
        assertEquals(
                Set.of("3", "4"),
                sortKeys(run("SELECT * FROM " + t + " WHERE pk = 'p' AND sk <> 5 AND sk BETWEEN 3 AND 5")
                        .items()));
        assertTrue(run("SELECT * FROM " + t + " WHERE pk = 'p' AND colour IS MISSING")
                .items()
                .isEmpty());
        assertEquals(
                10,
                run("SELECT * FROM " + t + " WHERE pk = 'p' AND colour IS NOT MISSING AND size(tags) = 2")
                        .items()
                        .size());
        assertTrue(run("SELECT * FROM " + t + " WHERE pk = 'nobody'").items().isEmpty());
    }

    @Test
    void whereWithoutThePartitionKeyScans() {
        String t = "\"" + composite + "\"";
        assertEquals(
                Set.of("1", "3", "5", "7", "9"),
                sortKeys(run("SELECT * FROM " + t + " WHERE colour = 'blue'").items()));
        assertEquals(
                Set.of("10"),
                sortKeys(run("SELECT * FROM " + t + " WHERE begins_with(colour, 'r') AND sk > 8")
                        .items()));
        assertEquals(10, run("SELECT * FROM " + t).items().size());
    }

    @Test
    void projectionAnswersEachPathUnderItsLastName() {
        List<Map<String, AttributeValue>> items = run("SELECT sk, info.depth FROM \"" + composite
                        + "\" WHERE pk = 'p' AND sk = 4")
                .items();
        assertEquals(1, items.size());
        assertEquals(Map.of("sk", n("4"), "depth", n("40")), items.get(0));
    }

    @Test
    void selectFromAnIndexQueriesIt() {
        List<Map<String, AttributeValue>> items = run("SELECT * FROM \"" + composite
                        + "\".\"by-colour\" WHERE colour = 'red'")
                .items();
        assertEquals(Set.of("2", "4", "6", "8", "10"), sortKeys(items));
    }

    @Test
    void limitAndNextTokenPageThroughEveryItemOnce() {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ExecuteStatementResponse page =
                    ddb.executeStatement(b -> b.statement("SELECT * FROM \"" + composite + "\" WHERE pk = 'p'")
                            .limit(3)
                            .nextToken(next)
                            .consistentRead(true));
            assertTrue(page.items().size() <= 3);
            all.addAll(page.items());
            token = page.nextToken();
            pages++;
        } while (token != null && pages < 20);
        assertEquals(10, all.size());
        assertEquals(10, sortKeys(all).size());
        assertThrows(
                DynamoDbException.class,
                () -> ddb.executeStatement(
                        b -> b.statement("SELECT * FROM \"" + composite + "\"").nextToken("!!not a token")));
    }

    @Test
    void partitionKeyInReadsEachPartitionAndPagesAcrossThem() {
        for (String pk : List.of("in-1", "in-2", "in-3"))
            ddb.putItem(b -> b.tableName(hash).item(Map.of("pk", s(pk), "w", n("1"))));
        String statement =
                "SELECT pk FROM \"" + hash + "\" WHERE pk IN ('in-3', 'in-none', 'in-1', 'in-2', 'in-1') AND w = 1";
        Set<String> all = new TreeSet<>();
        int returned = 0;
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ExecuteStatementResponse page =
                    ddb.executeStatement(b -> b.statement(statement).limit(1).nextToken(next));
            assertTrue(page.items().size() <= 1);
            for (Map<String, AttributeValue> item : page.items())
                all.add(item.get("pk").s());
            returned += page.items().size();
            token = page.nextToken();
            pages++;
        } while (token != null && pages < 20);
        assertEquals(Set.of("in-1", "in-2", "in-3"), all);
        assertEquals(3, returned);
        assertEquals(3, run(statement).items().size());
    }

    @Test
    void updateSetsRemovesAndComputesThroughTheUpdateExpressionEvaluator() {
        ddb.putItem(b -> b.tableName(hash)
                .item(Map.of(
                        "pk",
                        s("upd"),
                        "count",
                        n("1"),
                        "list",
                        AttributeValue.fromL(List.of(n("1"))),
                        "gone",
                        s("x"),
                        "ss",
                        AttributeValue.fromSs(List.of("a", "b")))));
        run("UPDATE \"" + hash
                + "\" SET count = count + 2 SET list = list_append(list, [2]), fresh = if_not_exists(fresh, 'new')"
                + " REMOVE gone SET ss = set_add(ss, <<'c'>>) WHERE pk = 'upd'");
        Map<String, AttributeValue> item = ddb.getItem(
                        b -> b.tableName(hash).key(key("upd")).consistentRead(true))
                .item();
        assertEquals("3", item.get("count").n());
        assertEquals(List.of(n("1"), n("2")), item.get("list").l());
        assertEquals("new", item.get("fresh").s());
        assertNull(item.get("gone"));
        assertEquals(Set.of("a", "b", "c"), new HashSet<>(item.get("ss").ss()));

        run("UPDATE \"" + hash + "\" SET ss = set_delete(ss, <<'a'>>) WHERE pk = 'upd'");
        assertEquals(
                Set.of("b", "c"),
                new HashSet<>(ddb.getItem(b -> b.tableName(hash).key(key("upd")).consistentRead(true))
                        .item()
                        .get("ss")
                        .ss()));

        List<Map<String, AttributeValue>> returned = run("UPDATE \"" + hash
                        + "\" SET count = 10 WHERE pk = 'upd' RETURNING MODIFIED OLD *")
                .items();
        assertEquals(List.of(Map.of("count", n("3"))), returned);
    }

    @Test
    void updateAndDeleteNeedTheWholeKeyAndAnExistingItem() {
        DynamoDbException noKey =
                assertThrows(DynamoDbException.class, () -> run("UPDATE \"" + hash + "\" SET a = 1 WHERE a = 2"));
        assertEquals("ValidationException", noKey.awsErrorDetails().errorCode());
        assertThrows(DynamoDbException.class, () -> run("DELETE FROM \"" + composite + "\" WHERE pk = 'p'"));
        assertThrows(
                ConditionalCheckFailedException.class,
                () -> run("UPDATE \"" + hash + "\" SET a = 1 WHERE pk = 'absent'"));
        assertFalse(ddb.getItem(b -> b.tableName(hash).key(key("absent")).consistentRead(true))
                .hasItem());

        // Deleting what is not there succeeds; an existing item is held to the rest of the WHERE.
        run("DELETE FROM \"" + hash + "\" WHERE pk = 'absent' AND a = 1");
        ddb.putItem(b -> b.tableName(hash).item(Map.of("pk", s("del"), "a", n("1"))));
        ConditionalCheckFailedException failed = assertThrows(
                ConditionalCheckFailedException.class,
                () -> ddb.executeStatement(b -> b.statement("DELETE FROM \"" + hash + "\" WHERE pk = 'del' AND a = 2")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals(n("1"), failed.item().get("a"));
        List<Map<String, AttributeValue>> old = run("DELETE FROM \"" + hash
                        + "\" WHERE pk = 'del' AND a = 1 RETURNING ALL OLD *")
                .items();
        assertEquals(List.of(Map.of("pk", s("del"), "a", n("1"))), old);
        assertFalse(ddb.getItem(b -> b.tableName(hash).key(key("del")).consistentRead(true))
                .hasItem());
    }

    @Test
    void malformedStatementsParametersAndTablesAreRejected() {
        DynamoDbException syntax = assertThrows(DynamoDbException.class, () -> run("SELECTT * FROM \"" + hash + "\""));
        assertEquals("ValidationException", syntax.awsErrorDetails().errorCode());
        assertTrue(syntax.awsErrorDetails().errorMessage().startsWith("Statement wasn't well formed"));
        DynamoDbException params =
                assertThrows(DynamoDbException.class, () -> run("SELECT * FROM \"" + hash + "\" WHERE pk = ?"));
        assertEquals(
                "Number of parameters in request and statement don't match.",
                params.awsErrorDetails().errorMessage());
        assertThrows(DynamoDbException.class, () -> run("SELECT * FROM \"" + hash + "\" WHERE pk = 'a'", s("extra")));
        DynamoDbException emptySet = assertThrows(
                DynamoDbException.class,
                () -> run(
                        "SELECT * FROM \"" + hash + "\" WHERE pk = 'a' AND v = ?",
                        AttributeValue.builder().ss(List.of()).build()));
        assertEquals("ValidationException", emptySet.awsErrorDetails().errorCode());
        assertFalse(
                emptySet.awsErrorDetails().errorMessage().contains(":v"),
                emptySet.awsErrorDetails().errorMessage());
        assertThrows(ResourceNotFoundException.class, () -> run("SELECT * FROM \"no-such-table\" WHERE pk = 'a'"));
    }

    @Test
    void batchAnswersEachStatementOnItsOwn() {
        ddb.putItem(b -> b.tableName(hash).item(Map.of("pk", s("b1"), "v", s("one"))));
        List<BatchStatementResponse> reads = ddb.batchExecuteStatement(b -> b.statements(
                        BatchStatementRequest.builder()
                                .statement("SELECT v FROM \"" + hash + "\" WHERE pk = ?")
                                .parameters(s("b1"))
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("SELECT * FROM \"" + hash + "\" WHERE pk = 'b-none'")
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("SELECT * FROM \"no-such-table\" WHERE pk = 'x'")
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("SELECT * FROM \"" + hash + "\" WHERE v = 'one'")
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("SELECT * FROM")
                                .build()))
                .responses();
        assertEquals(5, reads.size());
        assertEquals(Map.of("v", s("one")), reads.get(0).item());
        assertEquals(hash, reads.get(0).tableName());
        assertNull(reads.get(1).error());
        assertFalse(reads.get(1).hasItem());
        assertEquals("ResourceNotFound", reads.get(2).error().codeAsString());
        assertEquals("ValidationError", reads.get(3).error().codeAsString());
        assertEquals("ValidationError", reads.get(4).error().codeAsString());

        List<BatchStatementResponse> writes = ddb.batchExecuteStatement(b -> b.statements(
                        BatchStatementRequest.builder()
                                .statement("INSERT INTO \"" + hash + "\" VALUE {'pk': 'b1'}")
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("INSERT INTO \"" + hash + "\" VALUE {'pk': 'b2'}")
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("UPDATE \"" + hash + "\" SET v = 'x' WHERE pk = 'b-none'")
                                .build()))
                .responses();
        assertEquals("DuplicateItem", writes.get(0).error().codeAsString());
        assertNull(writes.get(1).error());
        assertEquals("ConditionalCheckFailed", writes.get(2).error().codeAsString());
        assertTrue(ddb.getItem(b -> b.tableName(hash).key(key("b2")).consistentRead(true))
                .hasItem());

        DynamoDbException mixed = assertThrows(
                DynamoDbException.class,
                () -> ddb.batchExecuteStatement(b -> b.statements(
                        BatchStatementRequest.builder()
                                .statement("SELECT * FROM \"" + hash + "\" WHERE pk = 'b1'")
                                .build(),
                        BatchStatementRequest.builder()
                                .statement("DELETE FROM \"" + hash + "\" WHERE pk = 'b1'")
                                .build())));
        assertEquals("ValidationException", mixed.awsErrorDetails().errorCode());
        assertTrue(ddb.getItem(b -> b.tableName(hash).key(key("b1")).consistentRead(true))
                .hasItem());

        List<BatchStatementRequest> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++)
            tooMany.add(BatchStatementRequest.builder()
                    .statement("SELECT * FROM \"" + hash + "\" WHERE pk = 'x'")
                    .build());
        assertThrows(DynamoDbException.class, () -> ddb.batchExecuteStatement(b -> b.statements(tooMany)));
    }

    @Test
    void orderByTheSortKeyReversesAQuery() {
        List<String> order = new ArrayList<>();
        for (Map<String, AttributeValue> item : run("SELECT sk FROM \"" + composite
                        + "\" WHERE pk = 'p' AND sk > 6 ORDER BY sk DESC")
                .items()) order.add(item.get("sk").n());
        assertEquals(List.of("10", "9", "8", "7"), order);
        assertThrows(DynamoDbException.class, () -> run("SELECT * FROM \"" + composite + "\" ORDER BY sk"));
    }

    @Test
    void transactionsAreAllOrNothingAndNameTheDuplicate() {
        ddb.putItem(b -> b.tableName(hash).item(Map.of("pk", s("tx-old"), "v", n("1"))));
        TransactionCanceledException e = assertThrows(
                TransactionCanceledException.class,
                () -> ddb.executeTransaction(b -> b.transactStatements(
                        ParameterizedStatement.builder()
                                .statement("INSERT INTO \"" + hash + "\" VALUE {'pk': 'tx-new'}")
                                .build(),
                        ParameterizedStatement.builder()
                                .statement("INSERT INTO \"" + hash + "\" VALUE {'pk': 'tx-old'}")
                                .build())));
        assertEquals("None", e.cancellationReasons().get(0).code());
        assertEquals("DuplicateItem", e.cancellationReasons().get(1).code());
        assertFalse(ddb.getItem(b -> b.tableName(hash).key(key("tx-new")).consistentRead(true))
                .hasItem());

        ddb.putItem(b -> b.tableName(hash).item(Map.of("pk", s("tx-other"), "v", n("1"))));
        TransactionCanceledException check = assertThrows(
                TransactionCanceledException.class,
                () -> ddb.executeTransaction(b -> b.transactStatements(
                        ParameterizedStatement.builder()
                                .statement("EXISTS(SELECT * FROM \"" + hash + "\" WHERE pk = 'tx-old' AND v = 2)")
                                .build(),
                        ParameterizedStatement.builder()
                                .statement("UPDATE \"" + hash + "\" SET v = 5 WHERE pk = 'tx-other'")
                                .build())));
        assertEquals(
                "ConditionalCheckFailed", check.cancellationReasons().get(0).code());
        assertEquals("None", check.cancellationReasons().get(1).code());
        assertEquals(
                n("1"),
                ddb.getItem(b -> b.tableName(hash).key(key("tx-other")).consistentRead(true))
                        .item()
                        .get("v"));

        ddb.executeTransaction(b -> b.transactStatements(
                ParameterizedStatement.builder()
                        .statement("EXISTS(SELECT * FROM \"" + hash + "\" WHERE pk = 'tx-old' AND v = 1)")
                        .build(),
                ParameterizedStatement.builder()
                        .statement("INSERT INTO \"" + hash + "\" VALUE {'pk': 'tx-new', 'v': 7}")
                        .build()));
        ExecuteTransactionResponse read = ddb.executeTransaction(b -> b.transactStatements(
                ParameterizedStatement.builder()
                        .statement("SELECT v FROM \"" + hash + "\" WHERE pk = 'tx-new'")
                        .build(),
                ParameterizedStatement.builder()
                        .statement("SELECT * FROM \"" + hash + "\" WHERE pk = 'tx-none'")
                        .build()));
        assertEquals(Map.of("v", n("7")), read.responses().get(0).item());
        assertFalse(read.responses().get(1).hasItem());

        DynamoDbException mixed = assertThrows(
                DynamoDbException.class,
                () -> ddb.executeTransaction(b -> b.transactStatements(
                        ParameterizedStatement.builder()
                                .statement("SELECT * FROM \"" + hash + "\" WHERE pk = 'tx-new'")
                                .build(),
                        ParameterizedStatement.builder()
                                .statement("DELETE FROM \"" + hash + "\" WHERE pk = 'tx-new'")
                                .build())));
        assertEquals("ValidationException", mixed.awsErrorDetails().errorCode());
        assertNotNull(ddb.getItem(b -> b.tableName(hash).key(key("tx-new")).consistentRead(true))
                .item());
    }
}
