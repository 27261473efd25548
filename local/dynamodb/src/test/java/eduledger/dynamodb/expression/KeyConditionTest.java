package eduledger.dynamodb.expression;

import static eduledger.dynamodb.expression.Values.error;
import static eduledger.dynamodb.expression.Values.n;
import static eduledger.dynamodb.expression.Values.names;
import static eduledger.dynamodb.expression.Values.s;
import static eduledger.dynamodb.expression.Values.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.dynamodb.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyConditionTest {
    private static final Map<String, AttributeValue> VALUES =
            Map.of(":pk", s("p"), ":lo", n("1"), ":hi", n("9"), ":s", s("pre"));

    private static KeyCondition key(String expression) {
        return Expressions.keyCondition(
                expression, new Placeholders(names("#pk", "pk", "#sk", "sk"), VALUES), "pk", "sk");
    }

    private static String fail(String expression) {
        return error(() -> key(expression));
    }

    @Test
    void partitionKeyOnly() {
        assertEquals(new KeyCondition("pk", s("p"), "sk", null, null, null), key("pk = :pk"));
        assertEquals(new KeyCondition("pk", s("p"), "sk", null, null, null), key("(#pk = :pk)"));
        assertEquals(new KeyCondition("pk", s("p"), "sk", null, null, null), key(":pk = pk"));
    }

    @Test
    void everySortOperator() {
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.EQ, n("1"), null),
                key("pk = :pk AND sk = :lo"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.LT, n("1"), null),
                key("pk = :pk AND sk < :lo"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.LE, n("1"), null),
                key("pk = :pk AND sk <= :lo"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.GT, n("1"), null),
                key("pk = :pk AND sk > :lo"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.GE, n("1"), null),
                key("pk = :pk AND sk >= :lo"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.GT, n("1"), null),
                key("pk = :pk AND :lo < sk"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.BETWEEN, n("1"), n("9")),
                key("#sk BETWEEN :lo AND :hi AND #pk = :pk"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.BEGINS_WITH, s("pre"), null),
                key("(pk = :pk) AND (begins_with(sk, :s))"));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.BEGINS_WITH, s("pre"), null),
                key("(pk = :pk AND (begins_with(sk, :s)))"));
    }

    @Test
    void schemaChecks() {
        assertEquals("Query condition missed key schema element: pk", fail("sk = :lo"));
        assertEquals("Query condition missed key schema element: sk", fail("pk = :pk AND extra = :lo"));
        assertEquals("Query key condition not supported", fail("pk < :pk"));
        assertEquals("Query key condition not supported", fail("begins_with(pk, :s)"));
        assertEquals(
                "KeyConditionExpressions must only contain one condition per key",
                fail("pk = :pk AND sk > :lo AND sk < :hi"));
        assertEquals(
                "Query key condition not supported",
                error(() ->
                        Expressions.keyCondition("pk = :pk AND sk = :lo", new Placeholders(null, VALUES), "pk", null)));
    }

    @Test
    void unsupportedOperators() {
        assertEquals("Invalid operator used in KeyConditionExpression: OR", fail("pk = :pk OR sk = :lo"));
        assertEquals("Invalid operator used in KeyConditionExpression: NOT", fail("pk = :pk AND NOT sk = :lo"));
        assertEquals("Invalid operator used in KeyConditionExpression: <>", fail("pk = :pk AND sk <> :lo"));
        assertEquals("Invalid operator used in KeyConditionExpression: IN", fail("pk = :pk AND sk IN (:lo)"));
        assertEquals(
                "Invalid operator used in KeyConditionExpression: attribute_exists",
                fail("pk = :pk AND attribute_exists(sk)"));
        assertEquals(
                "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                fail("pk = :pk AND begins_with(sk, :lo)"));
        assertEquals("Invalid KeyConditionExpression: The expression can not be empty;", fail(""));
        assertEquals("Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"", fail("pk ="));
    }

    @Test
    void legacyKeyConditions() {
        Map<String, LegacyCondition> conditions = new LinkedHashMap<>();
        conditions.put("pk", new LegacyCondition("EQ", List.of(s("p")), null, null));
        conditions.put("sk", new LegacyCondition("BETWEEN", List.of(n("1"), n("9")), null, null));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.BETWEEN, n("1"), n("9")),
                Expressions.legacyKeyConditions(conditions, "pk", "sk"));
        conditions.put("sk", new LegacyCondition("BEGINS_WITH", List.of(s("a")), null, null));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.BEGINS_WITH, s("a"), null),
                Expressions.legacyKeyConditions(conditions, "pk", "sk"));

        Map<String, LegacyCondition> onlySort = Map.of("sk", new LegacyCondition("GT", List.of(n("1")), null, null));
        assertEquals(
                "Query condition missed key schema element: pk",
                error(() -> Expressions.legacyKeyConditions(onlySort, "pk", "sk")));
        Map<String, LegacyCondition> notIndexable = new LinkedHashMap<>();
        notIndexable.put("pk", new LegacyCondition("EQ", List.of(s("p")), null, null));
        notIndexable.put("sk", new LegacyCondition("NE", List.of(n("1")), null, null));
        assertEquals(
                "Attempted conditional constraint is not an indexable operation",
                error(() -> Expressions.legacyKeyConditions(notIndexable, "pk", "sk")));
        Map<String, LegacyCondition> wrongCount = Map.of("pk", new LegacyCondition("EQ", List.of(), null, null));
        assertEquals(
                "The attempted filter operation is not supported for the provided filter argument count",
                error(() -> Expressions.legacyKeyConditions(wrongCount, "pk", "sk")));
        Map<String, LegacyCondition> setValue = Map.of("pk", new LegacyCondition("GT", List.of(ss("a")), null, null));
        assertEquals(
                "One or more parameter values were invalid: ComparisonOperator GT is not valid for SS AttributeValue type",
                error(() -> Expressions.legacyKeyConditions(setValue, "pk", "sk")));
    }

    @Test
    void shapeChecksThatNeedNoKeySchema() {
        assertEquals("KeyConditionExpressions cannot have conditions on nested attributes", fail("pk.foo = :pk"));
        assertEquals(
                "KeyConditionExpressions cannot have conditions on nested attributes",
                fail("pk = :pk AND begins_with(sk[0], :s)"));
        assertEquals("KeyConditionExpressions cannot contain nested operations", fail("pk = :pk AND size(sk) > :lo"));
        assertEquals(
                "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition",
                fail("pk = sk"));
        assertEquals(
                "Invalid condition in KeyConditionExpression: No key attribute specified",
                fail("pk = :pk AND :lo < :hi"));
        assertEquals(
                "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand",
                fail("pk = :pk AND :lo BETWEEN sk AND :hi"));
        assertEquals(
                "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand",
                fail("pk = :pk AND begins_with(:s, sk)"));
        assertEquals("Conditions can be of length 1 or 2 only", fail("pk = :pk AND sk = :lo AND extra = :hi"));
        assertEquals("Invalid KeyConditionExpression: The expression has redundant parentheses;", fail("((pk = :pk))"));
        assertEquals(
                "Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
                        + "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:pre}",
                fail("pk = :pk AND sk BETWEEN :lo AND :s"));
        assertEquals(
                "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: data",
                fail("data.foo = :pk"));
    }

    @Test
    void partitionOnlyTables() {
        Placeholders p = new Placeholders(null, VALUES);
        assertEquals(
                new KeyCondition("pk", s("p"), null, null, null, null),
                Expressions.keyCondition("pk = :pk", p, "pk", null));
        assertEquals(
                "Query key condition not supported",
                error(() ->
                        Expressions.keyCondition("pk = :pk AND sk = :lo", new Placeholders(null, VALUES), "pk", null)));
        assertEquals(
                "Query key condition not supported",
                error(() -> Expressions.keyCondition(
                        "pk BETWEEN :lo AND :hi", new Placeholders(null, VALUES), "pk", null)));
    }

    @Test
    void parsedOnceAndBoundToTheKeysLater() {
        KeyConditionExpression parsed = Expressions.parseKeyCondition(
                "#sk > :lo AND #pk = :pk", new Placeholders(names("#pk", "pk", "#sk", "sk"), VALUES));
        assertEquals(java.util.Set.of("pk", "sk"), parsed.attributes());
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.GT, n("1"), null),
                parsed.bind("pk", "sk"));
        assertEquals("Query condition missed key schema element: gsiPk", error(() -> parsed.bind("gsiPk", "sk")));
    }

    @Test
    void valuesMustHaveTheKeysTypes() {
        KeyConditionExpression parsed =
                Expressions.parseKeyCondition("pk = :pk AND sk BETWEEN :lo AND :hi", new Placeholders(null, VALUES));
        assertEquals(
                new KeyCondition("pk", s("p"), "sk", KeyCondition.SortOperator.BETWEEN, n("1"), n("9")),
                parsed.bind("pk", "S", "sk", "N"));
        assertEquals(
                "One or more parameter values were invalid: Condition parameter type does not match schema type",
                error(() -> parsed.bind("pk", "N", "sk", "N")));
        assertEquals(
                "One or more parameter values were invalid: Condition parameter type does not match schema type",
                error(() -> parsed.bind("pk", "S", "sk", "S")));
        Map<String, LegacyCondition> legacy = new LinkedHashMap<>();
        legacy.put("pk", new LegacyCondition("EQ", List.of(s("p")), null, null));
        legacy.put("sk", new LegacyCondition("GE", List.of(s("a")), null, null));
        assertEquals(
                "One or more parameter values were invalid: Condition parameter type does not match schema type",
                error(() -> Expressions.legacyKeyConditions(legacy, "pk", "S", "sk", "B")));
    }
}
