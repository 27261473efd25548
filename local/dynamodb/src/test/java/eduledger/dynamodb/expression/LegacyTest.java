package eduledger.dynamodb.expression;

import static eduledger.dynamodb.expression.Values.b;
import static eduledger.dynamodb.expression.Values.error;
import static eduledger.dynamodb.expression.Values.item;
import static eduledger.dynamodb.expression.Values.l;
import static eduledger.dynamodb.expression.Values.n;
import static eduledger.dynamodb.expression.Values.ns;
import static eduledger.dynamodb.expression.Values.s;
import static eduledger.dynamodb.expression.Values.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyTest {
    private static final Map<String, AttributeValue> ITEM =
            item("pk", s("k"), "status", s("active"), "age", n("30"), "tags", ss("red", "green"), "bin", b(1, 2, 3));

    private static LegacyCondition op(String operator, AttributeValue... values) {
        return new LegacyCondition(operator, List.of(values), null, null);
    }

    private static boolean test(String name, LegacyCondition condition) {
        return Expressions.legacyCondition("Expected", Map.of(name, condition), null)
                .test(ITEM);
    }

    private static String fail(String name, LegacyCondition condition) {
        return error(() -> Expressions.legacyCondition("Expected", Map.of(name, condition), null));
    }

    private static String failFilter(String name, LegacyCondition condition) {
        return error(() -> Expressions.legacyCondition("ScanFilter", Map.of(name, condition), null));
    }

    @Test
    void existsAndValueForms() {
        assertTrue(test("absent", new LegacyCondition(null, null, false, null)));
        assertFalse(test("pk", new LegacyCondition(null, null, false, null)));
        assertTrue(test("status", new LegacyCondition(null, null, true, s("active"))));
        assertTrue(test("status", new LegacyCondition(null, null, null, s("active"))));
        assertFalse(test("status", new LegacyCondition(null, null, true, s("other"))));
        assertEquals(
                "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: status",
                fail("status", new LegacyCondition(null, null, true, null)));
        assertEquals(
                "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: status",
                fail("status", new LegacyCondition(null, null, false, s("x"))));
        assertEquals(
                "One or more parameter values were invalid: Exists and ComparisonOperator cannot be used together for Attribute: status",
                fail("status", new LegacyCondition("EQ", List.of(s("x")), true, null)));
        assertEquals(
                "One or more parameter values were invalid: AttributeValueList can only be used with a ComparisonOperator for Attribute: status",
                fail("status", new LegacyCondition(null, List.of(s("x")), null, null)));
    }

    @Test
    void everyComparisonOperator() {
        assertTrue(test("status", op("EQ", s("active"))));
        assertTrue(test("status", op("NE", s("x"))));
        assertTrue(test("absent", op("NE", s("x"))));
        assertTrue(test("age", op("LT", n("31"))));
        assertTrue(test("age", op("LE", n("30"))));
        assertTrue(test("age", op("GT", n("29"))));
        assertTrue(test("age", op("GE", n("30"))));
        assertFalse(test("age", op("GT", s("1"))));
        assertTrue(test("pk", op("NOT_NULL")));
        assertTrue(test("absent", op("NULL")));
        assertFalse(test("pk", op("NULL")));
        assertTrue(test("tags", op("CONTAINS", s("red"))));
        assertTrue(test("status", op("CONTAINS", s("tiv"))));
        assertTrue(test("tags", op("NOT_CONTAINS", s("blue"))));
        assertFalse(test("tags", op("NOT_CONTAINS", s("red"))));
        assertTrue(test("status", op("BEGINS_WITH", s("act"))));
        assertTrue(test("bin", op("BEGINS_WITH", b(1, 2))));
        assertTrue(test("age", op("IN", n("1"), n("30"))));
        assertTrue(test("age", op("BETWEEN", n("30"), n("40"))));
        assertFalse(test("age", op("BETWEEN", n("31"), n("40"))));
    }

    @Test
    void argumentCountsAndTypes() {
        assertEquals(
                "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
                failFilter("a", op("EQ")));
        assertEquals(
                "One or more parameter values were invalid: Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a",
                fail("a", new LegacyCondition("EQ", null, null, null)));
        assertEquals(
                "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
                fail("a", op("EQ")));
        assertEquals(
                "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator",
                fail("a", op("EQ", s("x"), s("y"))));
        assertEquals(
                "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator",
                fail("a", op("NULL", s("x"))));
        assertEquals(
                "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator",
                fail("a", op("BETWEEN", n("1"))));
        assertEquals(
                "One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator",
                fail("a", op("IN")));
        assertEquals(
                "One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type",
                failFilter("a", op("LT", ss("x"))));
        assertEquals(
                "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
                failFilter("a", op("BEGINS_WITH", n("1"))));
        assertEquals(
                "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L AttributeValue type",
                failFilter("a", op("CONTAINS", l())));
        assertEquals(
                "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type",
                fail("a", op("BETWEEN", n("1"), s("2"))));
        assertEquals(
                "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                fail("a", op("BETWEEN", n("5"), n("1"))));
        assertEquals(
                "1 validation error detected: Value null at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null",
                failFilter("a", new LegacyCondition(null, List.of(s("x")), null, null)));
        // Expected checks no operand types: a set simply never orders below anything
        assertFalse(test("tags", op("LT", ss("x"))));
        assertEquals(
                "1 validation error detected: Value 'LIKE' at 'expected.a.member.comparisonOperator' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
                fail("a", op("LIKE", s("x"))));
    }

    @Test
    void conditionalOperator() {
        Map<String, LegacyCondition> conditions = new LinkedHashMap<>();
        conditions.put("status", op("EQ", s("active")));
        conditions.put("age", op("EQ", n("1")));
        assertFalse(Expressions.legacyCondition("ScanFilter", conditions, null).test(ITEM));
        assertFalse(Expressions.legacyCondition("ScanFilter", conditions, "AND").test(ITEM));
        assertTrue(Expressions.legacyCondition("ScanFilter", conditions, "OR").test(ITEM));
        assertTrue(Expressions.legacyCondition("QueryFilter", Map.of(), null).test(ITEM));
        assertTrue(Expressions.legacyCondition("QueryFilter", null, null).test(ITEM));
        assertEquals(
                "1 validation error detected: Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]",
                error(() -> Expressions.legacyCondition("ScanFilter", conditions, "XOR")));
        assertEquals(
                "ConditionalOperator cannot be used without Filter or Expected",
                error(() -> Expressions.legacyCondition("ScanFilter", null, "AND")));
        assertEquals(
                "ConditionalOperator can only be used when Filter or Expected has two or more elements",
                error(() -> Expressions.legacyCondition("Expected", Map.of("a", op("NOT_NULL")), "OR")));
    }

    private static Map<String, AttributeValue> update(Map<String, AttributeValue> item, Object... nameActionValue) {
        Map<String, LegacyUpdate> updates = new LinkedHashMap<>();
        for (int i = 0; i < nameActionValue.length; i += 3) {
            updates.put((String) nameActionValue[i], new LegacyUpdate((String) nameActionValue[i + 1], (AttributeValue)
                    nameActionValue[i + 2]));
        }
        return Expressions.legacyUpdate(updates).apply(item);
    }

    @Test
    void attributeUpdates() {
        Map<String, AttributeValue> before =
                item("pk", s("k"), "count", n("1"), "tags", ss("a", "b"), "gone", s("x"), "list", l(s("a")));
        Map<String, AttributeValue> after = update(
                before, "data", "PUT", s("new"), "count", "ADD", n("2"), "tags", "DELETE", ss("a"), "gone", "DELETE",
                null, "list", "ADD", l(s("b")), "fresh", null, n("7"), "nums", "ADD", ns("1"));
        assertEquals(
                item(
                        "pk",
                        s("k"),
                        "count",
                        n("3"),
                        "tags",
                        ss("b"),
                        "list",
                        l(s("a"), s("b")),
                        "data",
                        s("new"),
                        "fresh",
                        n("7"),
                        "nums",
                        ns("1")),
                after);
        assertEquals(item("pk", s("k")), update(item("pk", s("k"), "tags", ss("a")), "tags", "DELETE", ss("a")));
        assertEquals(
                "Type mismatch for attribute to update",
                error(() -> update(item("count", s("x")), "count", "ADD", n("1"))));
    }

    @Test
    void attributeUpdatesValidation() {
        assertEquals(
                "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified",
                error(() -> update(item(), "a", "PUT", null)));
        assertEquals(
                "One or more parameter values were invalid: ADD action is not supported for the type S",
                error(() -> update(item(), "a", "ADD", s("x"))));
        assertEquals(
                "One or more parameter values were invalid: DELETE action with value is not supported for the type N",
                error(() -> update(item(), "a", "DELETE", n("1"))));
        assertEquals(
                "1 validation error detected: Value 'MERGE' at 'attributeUpdates.a.member.action' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [ADD, PUT, DELETE]",
                error(() -> update(item(), "a", "MERGE", s("x"))));
        Map<String, LegacyUpdate> updates = new LinkedHashMap<>();
        updates.put("b", new LegacyUpdate("PUT", s("x")));
        updates.put("a", new LegacyUpdate("DELETE", null));
        assertEquals(
                List.of("b", "a"), List.copyOf(Expressions.legacyUpdate(updates).topLevelAttributes()));
    }
}
