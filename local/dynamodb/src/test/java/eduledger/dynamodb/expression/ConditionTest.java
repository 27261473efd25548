package eduledger.dynamodb.expression;

import static eduledger.dynamodb.expression.Values.b;
import static eduledger.dynamodb.expression.Values.bool;
import static eduledger.dynamodb.expression.Values.bs;
import static eduledger.dynamodb.expression.Values.error;
import static eduledger.dynamodb.expression.Values.item;
import static eduledger.dynamodb.expression.Values.l;
import static eduledger.dynamodb.expression.Values.m;
import static eduledger.dynamodb.expression.Values.n;
import static eduledger.dynamodb.expression.Values.names;
import static eduledger.dynamodb.expression.Values.ns;
import static eduledger.dynamodb.expression.Values.nul;
import static eduledger.dynamodb.expression.Values.s;
import static eduledger.dynamodb.expression.Values.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private static final Map<String, AttributeValue> ITEM = item(
            "pk", s("user#1"),
            "name", s("Alice"),
            "age", n("30"),
            "score", n("7.5"),
            "bin", b(1, 2, 3, 250),
            "tags", ss("red", "green"),
            "nums", ns("1", "2", "3"),
            "bins", bs(b(1), b(2)),
            "list", l(s("a"), n("1"), m("k", s("v"))),
            "map", m("inside", m("deep", n("5")), "s", s("x")),
            "flag", bool(true),
            "nothing", nul());

    /** Values :v0, :v1, ... from the arguments; the names map is {#n: name} etc. as given. */
    private static Map<String, AttributeValue> values(AttributeValue... vs) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < vs.length; i++) out.put(":v" + i, vs[i]);
        return out;
    }

    private static boolean eval(String expression, AttributeValue... vs) {
        return Expressions.condition(
                        "ConditionExpression",
                        expression,
                        new Placeholders(
                                names("#n", "name", "#m", "map", "#l", "list"), vs.length == 0 ? null : values(vs)))
                .test(ITEM);
    }

    private static String fail(String expression, Placeholders placeholders) {
        return error(() -> Expressions.condition("ConditionExpression", expression, placeholders));
    }

    private static String fail(String expression, AttributeValue... vs) {
        return fail(expression, new Placeholders(names("#n", "name"), vs.length == 0 ? null : values(vs)));
    }

    @Test
    void comparatorsOnStringsNumbersAndBinaries() {
        assertTrue(eval("#n = :v0", s("Alice")));
        assertFalse(eval("#n = :v0", s("alice")));
        assertTrue(eval("#n <> :v0", s("Bob")));
        assertTrue(eval("age < :v0", n("30.5")));
        assertTrue(eval("age <= :v0", n("30")));
        assertFalse(eval("age > :v0", n("30")));
        assertTrue(eval("age >= :v0", n("3E1")));
        assertTrue(eval("score > :v0", n("7.49")));
        assertTrue(eval("#n < :v0", s("Bob")));
        assertTrue(eval("#n > :v0", s("ALICE")));
        assertTrue(eval("bin > :v0", b(1, 2, 3)));
        assertTrue(eval("bin < :v0", b(1, 2, 4)));
        // bytes compare unsigned: 250 sorts after 127
        assertTrue(eval("bin > :v0", b(1, 2, 3, 127)));
    }

    @Test
    void comparisonsOfDifferentTypesAreFalseNotErrors() {
        assertFalse(eval("age = :v0", s("30")));
        assertTrue(eval("age <> :v0", s("30")));
        assertFalse(eval("age < :v0", s("40")));
        assertFalse(eval("age BETWEEN :v0 AND :v1", s("1"), s("9")));
        // a stored set is not orderable either, but only a constant operand is refused up front
        assertFalse(eval("tags < #n"));
        assertFalse(eval("flag > age"));
    }

    @Test
    void absentAttributesCompareFalseExceptNotEqual() {
        assertFalse(eval("absent = :v0", s("x")));
        assertTrue(eval("absent <> :v0", s("x")));
        assertFalse(eval("absent < :v0", n("1")));
        assertFalse(eval("absent IN (:v0)", s("x")));
    }

    @Test
    void equalityCoversEveryType() {
        assertTrue(eval("tags = :v0", ss("green", "red")));
        assertTrue(eval("nums = :v0", ns("3", "2", "1.0")));
        assertTrue(eval("bins = :v0", bs(b(2), b(1))));
        assertTrue(eval("#l = :v0", l(s("a"), n("1.00"), m("k", s("v")))));
        assertFalse(eval("#l = :v0", l(n("1"), s("a"), m("k", s("v")))));
        assertTrue(eval("#m.inside = :v0", m("deep", n("5"))));
        assertTrue(eval("flag = :v0", bool(true)));
        assertTrue(eval("nothing = :v0", nul()));
        assertTrue(eval("age = :v0", n("30.000")));
    }

    @Test
    void betweenAndIn() {
        assertTrue(eval("age BETWEEN :v0 AND :v1", n("30"), n("31")));
        assertTrue(eval("age BETWEEN :v0 AND :v1", n("29"), n("30")));
        assertFalse(eval("age BETWEEN :v0 AND :v1", n("31"), n("40")));
        assertTrue(eval("#n BETWEEN :v0 AND :v1", s("A"), s("B")));
        assertTrue(eval("age IN (:v0, :v1)", n("1"), n("30")));
        assertFalse(eval("age IN (:v0, :v1)", n("1"), s("30")));
        assertTrue(eval("tags IN (:v0)", ss("red", "green")));
    }

    @Test
    void logicalOperatorsWithPrecedenceAndParentheses() {
        assertTrue(eval("age = :v0 OR age = :v1 AND #n = :v2", n("30"), n("1"), s("nobody")));
        assertFalse(eval("(age = :v0 OR age = :v1) AND #n = :v2", n("30"), n("1"), s("nobody")));
        assertTrue(eval("NOT age = :v0", n("1")));
        assertFalse(eval("NOT NOT age = :v0", n("1")));
        assertTrue(eval("not (age = :v0) and ((#n = :v1) OR (age = :v0))", n("1"), s("Alice")));
        assertTrue(eval("(attribute_exists(pk)) AND (NOT (#n = :v0))", s("Bob")));
        assertTrue(eval("(attribute_exists(pk) AND (#n = :v0))", s("Alice")));
    }

    @Test
    void existenceFunctions() {
        assertTrue(eval("attribute_exists(pk)"));
        assertTrue(eval("attribute_exists(#m.inside.deep)"));
        assertFalse(eval("attribute_exists(#m.inside.absent)"));
        assertTrue(eval("attribute_exists(#l[2].k)"));
        assertFalse(eval("attribute_exists(#l[3])"));
        assertTrue(eval("attribute_not_exists(absent)"));
        assertFalse(eval("attribute_not_exists(nothing)"));
        assertTrue(eval("attribute_not_exists(#n.part)"));
    }

    @Test
    void attributeType() {
        assertTrue(eval("attribute_type(#n, :v0)", s("S")));
        assertTrue(eval("attribute_type(tags, :v0)", s("SS")));
        assertTrue(eval("attribute_type(nothing, :v0)", s("NULL")));
        assertTrue(eval("attribute_type(flag, :v0)", s("BOOL")));
        assertTrue(eval("attribute_type(#m, :v0)", s("M")));
        assertFalse(eval("attribute_type(age, :v0)", s("S")));
        assertFalse(eval("attribute_type(absent, :v0)", s("S")));
        assertEquals(
                "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                fail("attribute_type(a, :v0)", s("STRING")));
    }

    @Test
    void beginsWith() {
        assertTrue(eval("begins_with(pk, :v0)", s("user#")));
        assertFalse(eval("begins_with(pk, :v0)", s("order#")));
        assertTrue(eval("begins_with(bin, :v0)", b(1, 2)));
        assertFalse(eval("begins_with(bin, :v0)", b(2)));
        assertFalse(eval("begins_with(age, :v0)", s("3")));
        assertEquals(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                fail("begins_with(a, :v0)", n("1")));
    }

    @Test
    void contains() {
        assertTrue(eval("contains(#n, :v0)", s("lic")));
        assertFalse(eval("contains(#n, :v0)", s("bob")));
        assertTrue(eval("contains(tags, :v0)", s("red")));
        assertFalse(eval("contains(tags, :v0)", s("blue")));
        assertTrue(eval("contains(nums, :v0)", n("2.0")));
        assertTrue(eval("contains(bins, :v0)", b(2)));
        assertTrue(eval("contains(bin, :v0)", b(2, 3)));
        assertTrue(eval("contains(#l, :v0)", n("1")));
        assertTrue(eval("contains(#l, :v0)", m("k", s("v"))));
        assertFalse(eval("contains(absent, :v0)", s("x")));
        assertFalse(eval("contains(age, :v0)", n("3")));
        assertTrue(eval("NOT contains(tags, :v0)", s("blue")));
    }

    @Test
    void size() {
        assertTrue(eval("size(#n) = :v0", n("5")));
        // a string's size counts UTF-8 bytes, not characters
        assertTrue(Expressions.condition(
                        "ConditionExpression", "size(w) = :v", new Placeholders(null, Map.of(":v", n("7"))))
                .test(item("w", s("h\u00e9\u20ac!"))));
        assertTrue(eval("size(bin) = :v0", n("4")));
        assertTrue(eval("size(tags) = :v0", n("2")));
        assertTrue(eval("size(#l) = :v0", n("3")));
        assertTrue(eval("size(#m) = :v0", n("2")));
        assertTrue(eval("size(#m.inside) < :v0", n("2")));
        assertTrue(eval("size(#n) BETWEEN :v0 AND :v1", n("1"), n("9")));
        // numbers have no size: comparisons with it are false
        assertFalse(eval("size(age) = :v0", n("2")));
        assertFalse(eval("size(absent) >= :v0", n("0")));
        assertTrue(eval(":v0 < size(#n)", n("1")));
        assertEquals(
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size",
                fail("size(a)"));
    }

    @Test
    void nameAndValuePlaceholders() {
        Placeholders p = new Placeholders(names("#a", "my attr", "#b", "x.y"), Map.of(":v", s("1")));
        Condition c = Expressions.condition("FilterExpression", "#a = :v AND attribute_exists(#b)", p);
        assertTrue(c.test(item("my attr", s("1"), "x.y", s("literal dotted name"))));
        assertFalse(c.test(item("my attr", s("1"), "x", m("y", s("nested")))));
        p.checkAllUsed();
    }

    @Test
    void syntaxErrorsNameTheTokenAndItsSurroundings() {
        assertEquals(
                "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :v0\"", fail("a == :v0", s("x")));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"= \"", fail("a = "));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"", fail("a ="));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"", fail("foo"));
        assertEquals(
                "Invalid ConditionExpression: Syntax error; token: \"!\", near: \"a !=\"", fail("a != :v0", s("x")));
        assertEquals("Invalid ConditionExpression: Syntax error; token: \"1\", near: \"= 1\"", fail("a = 1"));
        assertEquals(
                "Invalid ConditionExpression: Syntax error; token: \")\", near: \"b)\"",
                fail("(a = :v0 AND b)", s("x")));
        assertEquals(
                "Invalid ConditionExpression: Syntax error; token: \"+\", near: \":v0 + :v0\"",
                fail("a = :v0 + :v0", n("1")));
    }

    @Test
    void emptyAndOversizedExpressions() {
        assertEquals(
                "Invalid FilterExpression: The expression can not be empty;",
                error(() -> Expressions.condition("FilterExpression", "", Placeholders.none())));
        assertEquals(
                "Invalid FilterExpression: The expression can not be empty;",
                error(() -> Expressions.condition("FilterExpression", "   ", Placeholders.none())));
        String big = "a = :v0" + " ".repeat(4096);
        assertEquals(
                "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4103",
                fail(big, s("x")));
    }

    @Test
    void operatorLimit() {
        StringBuilder ok = new StringBuilder("a = :v0");
        for (int i = 1; i < 150; i++) ok.append(" OR a = :v0");
        assertTrue(Expressions.condition("ConditionExpression", ok.toString(), new Placeholders(null, values(s("x"))))
                .test(item("a", s("x"))));
        StringBuilder tooMany = new StringBuilder("a = :v0");
        for (int i = 1; i < 151; i++) tooMany.append(" OR a = :v0");
        assertEquals(
                "Invalid ConditionExpression: The expression contains too many operators; operator count: 301",
                fail(tooMany.toString(), s("x")));
    }

    @Test
    void inAcceptsAtMostOneHundredOperands() {
        StringBuilder list = new StringBuilder("a IN (:v0");
        for (int i = 1; i < 100; i++) list.append(", :v0");
        assertTrue(Expressions.condition("ConditionExpression", list + ")", new Placeholders(null, values(s("x"))))
                .test(item("a", s("x"))));
        assertEquals(
                "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101",
                fail(list + ", :v0)", s("x")));
    }

    @Test
    void pathDepthLimit() {
        String ok = "a" + ".b".repeat(31);
        assertFalse(eval("attribute_exists(" + ok + ")"));
        assertEquals(
                "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33",
                fail("attribute_exists(" + ok + ".c)"));
    }

    @Test
    void reservedWordsAreRefusedAsBareNamesInAnyCase() {
        assertEquals(
                "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
                fail("status = :v0", s("x")));
        assertEquals(
                "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Data",
                fail("a.Data = :v0", s("x")));
        assertEquals(573, ReservedWords.count());
        assertTrue(eval("#n = :v0", s("Alice")));
    }

    @Test
    void undefinedPlaceholders() {
        assertEquals(
                "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                fail("#x = :v0", s("x")));
        assertEquals(
                "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope",
                fail("a = :nope"));
        // a reserved word is reported before an undefined placeholder
        assertEquals(
                "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size",
                fail("#x = :nope OR size = :nope"));
    }

    @Test
    void functionMisuse() {
        assertEquals("Invalid ConditionExpression: Invalid function name; function: foo", fail("foo(a)"));
        assertEquals(
                "Invalid ConditionExpression: Invalid function name; function: Attribute_Exists",
                fail("Attribute_Exists(a)"));
        assertEquals(
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1",
                fail("begins_with(a)"));
        assertEquals(
                "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists",
                fail("attribute_exists(:v0)", s("x")));
        assertEquals(
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists",
                fail("attribute_exists(a) = :v0", bool(true)));
        assertEquals(
                "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists",
                fail("a = if_not_exists(b, :v0)", s("x")));
        assertEquals(
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]",
                fail("a = a"));
    }

    @Test
    void betweenBoundsMustBeOrdered() {
        assertEquals(
                "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}",
                fail("a BETWEEN :v0 AND :v1", n("5"), n("1")));
    }

    @Test
    void placeholdersReportUnusedNamesThenValues() {
        Placeholders p = new Placeholders(names("#a", "a", "#unused", "x"), Map.of(":v", s("1"), ":w", s("2")));
        Expressions.condition("ConditionExpression", "#a = :v", p);
        assertEquals(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
                error(p::checkAllUsed));
        Placeholders q = new Placeholders(null, Map.of(":v", s("1"), ":unused", s("2")));
        Expressions.condition("ConditionExpression", "a = :v", q);
        assertEquals(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
                error(q::checkAllUsed));
    }

    @Test
    void placeholderMapsMustBeNonEmptyAndWellFormed() {
        assertEquals(
                "ExpressionAttributeNames must not be empty",
                error(() -> new Placeholders(Map.of(), null).validateMaps()));
        assertEquals(
                "ExpressionAttributeValues must not be empty",
                error(() -> new Placeholders(null, Map.of()).validateMaps()));
        assertEquals(
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"",
                error(() -> new Placeholders(Map.of("a", "b"), null).validateMaps()));
        assertEquals(
                "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
                error(() -> new Placeholders(null, Map.of("v", s("x"))).validateMaps()));
        new Placeholders(Map.of("#a_1", "b"), Map.of(":v_1", s("x"))).validateMaps();
        assertEquals(
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#\"",
                error(() -> new Placeholders(Map.of("#", "b"), null).validateMaps()));
        assertEquals(
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#a-b\"",
                error(() -> new Placeholders(Map.of("#a-b", "b"), null).validateMaps()));
        // length is checked before syntax, and the names' message gives the size while the values' does not
        assertEquals(
                "ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 258",
                error(() -> new Placeholders(Map.of("#" + "a".repeat(255) + "-x", "b"), null).validateMaps()));
        new Placeholders(Map.of("#" + "a".repeat(254), "b"), null).validateMaps();
        assertEquals(
                "ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;",
                error(() -> new Placeholders(null, Map.of(":" + "a".repeat(255), s("x"))).validateMaps()));
        assertEquals(
                "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a",
                error(() -> new Placeholders(Map.of("#a", ""), null).validateMaps()));
    }

    @Test
    void parsedConditionsEvaluateRepeatedlyAgainstDifferentItems() {
        Condition c = Expressions.condition("FilterExpression", "age > :v0", new Placeholders(null, values(n("18"))));
        assertTrue(c.test(item("age", n("19"))));
        assertFalse(c.test(item("age", n("18"))));
        assertFalse(c.test(item()));
    }

    @Test
    void orderingOperatorsRefuseConstantsOfUnorderedTypes() {
        assertEquals(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: SS",
                fail("a < :v0", ss("z")));
        assertEquals(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL",
                fail("attribute_exists(b) OR a >= :v0", bool(true)));
        assertEquals(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: NULL",
                fail("a BETWEEN :v0 AND :v1", nul(), nul()));
        assertEquals(
                "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >, operand type: M",
                fail("size(a) > :v0", m()));
        // equality takes every type
        assertFalse(eval("age = :v0", bool(true)));
        assertTrue(eval("age <> :v0", l()));
    }

    @Test
    void betweenBoundsMustShareAType() {
        assertEquals(
                "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
                        + "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}",
                fail("a BETWEEN :v0 AND :v1", n("1"), s("a")));
    }

    @Test
    void redundantParentheses() {
        assertEquals(
                "Invalid ConditionExpression: The expression has redundant parentheses;", fail("((a = :v0))", s("x")));
        assertEquals(
                "Invalid ConditionExpression: The expression has redundant parentheses;",
                fail("((a = :v0)) AND b = :v0", s("x")));
        assertEquals(
                "Invalid ConditionExpression: The expression has redundant parentheses;",
                fail("NOT ((a = :v0))", s("x")));
        assertTrue(eval("((age = :v0) AND (#n = :v1))", n("30"), s("Alice")));
        assertTrue(eval("(age = :v0) AND (#n = :v1)", n("30"), s("Alice")));
    }

    @Test
    void identicalOperands() {
        assertEquals(
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]",
                error(() -> Expressions.condition(
                        "ConditionExpression", "contains(#a, #a)", new Placeholders(names("#a", "data"), null))));
        assertEquals(
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: <, first operand: [a, [1]]",
                fail("a[1] < a[1]"));
        // different paths may be compared
        assertTrue(eval("age > score"));
    }

    @Test
    void errorsAreReportedInDynamoDbsOrderOfChecks() {
        // redundant parentheses before an unknown function, before a misused one, before a reserved word
        assertEquals(
                "Invalid ConditionExpression: The expression has redundant parentheses;",
                fail("((status = :nope)) AND foo(a) AND size(b)"));
        assertEquals(
                "Invalid ConditionExpression: Invalid function name; function: foo",
                fail("status = :nope AND foo(a) AND size(b)"));
        assertEquals(
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size",
                fail("status = :nope AND size(b)"));
        assertEquals(
                "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
                fail("status = :nope AND #x = :v0", s("x")));
        // undefined names and values share one rank: the first one written is named
        assertEquals(
                "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope",
                fail("a = :nope AND #x = :v0", s("x")));
        assertEquals(
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1",
                fail("contains(a) AND b < :v0", bool(true)));
    }
}
