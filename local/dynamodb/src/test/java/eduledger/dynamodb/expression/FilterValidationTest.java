package eduledger.dynamodb.expression;

import static eduledger.dynamodb.expression.Values.b;
import static eduledger.dynamodb.expression.Values.bool;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.value.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a FilterExpression is refused, case by case, with the message DynamoDB gives. */
class FilterValidationTest {
    private static final String PREFIX = "Invalid FilterExpression: ";

    private static String fail(String expression) {
        return error(() -> Expressions.condition("FilterExpression", expression, Placeholders.none()));
    }

    private static String fail(String expression, AttributeValue a) {
        return error(
                () -> Expressions.condition("FilterExpression", expression, new Placeholders(null, Map.of(":a", a))));
    }

    @Test
    void syntaxErrors() {
        String[] expressions = {
            "things are not gonna be ok",
            "a > 4",
            "attribute_exists(Pictures-RearView)",
            "attribute_exists(\"Pictures.RearView\")",
            "attribute_exists(Pictures..RearView)",
            "attribute_exists(Pi#ctures.RearView)",
            "attribute_exists(asdf[a])",
            "a in b, c",
            "a > between",
            "a in b",
            "a in (b,c,)",
            "(a)between(b.(c.d))and(c)",
            "(a)between(b.c.d)and((c)",
            "#$.b > a",
            "a > :things.stuff",
            "b[:a] > a",
            "b[#_] > a",
            "\u00fc > a",
            "(a)between(b.c[4.5].#d)and(:a)",
            "size(a).b > a",
            "(size(a)).b > a",
            "size(a)[0] > a",
            "(size(a))[0] > a",
            "a = :v0 +",
            "NOT",
            "a BETWEEN b",
            "attribute_exists()",
            "a <> ",
            "a = b c",
        };
        for (String expression : expressions) {
            String message = fail(expression);
            assertTrue(message.startsWith(PREFIX + "Syntax error; token: "), expression + " -> " + message);
        }
    }

    @Test
    void parenthesizedOperandsAreAccepted() {
        Map<String, AttributeValue> item = item("a", n("5"), "b", n("1"), "c", n("9"));
        Placeholders none = Placeholders.none();
        assertTrue(Expressions.condition("FilterExpression", "(a)between(b)and(c)", none)
                .test(item));
        assertTrue(Expressions.condition("FilterExpression", "(a) > (b) AND ((a) < c)", none)
                .test(item));
        assertTrue(Expressions.condition("FilterExpression", "size((a)) <> (b) OR a IN ((b), (a))", none)
                .test(item));
    }

    @Test
    void redundantParentheses() {
        String[] expressions = {
            "a=a and a > ((views))", "a > whatever((:things), ((a)))", "a=a AND ((a=a AND a=a)) AND a=a",
            "a=a OR ((a=a OR a=a)) OR a=a", "a=a AND ((a=a AND (a=a AND a=a)))", "a=a OR ((a=a OR (a=a OR a=a)))",
        };
        for (String expression : expressions) {
            assertEquals(PREFIX + "The expression has redundant parentheses;", fail(expression), expression);
        }
    }

    @Test
    void unknownFunctions() {
        assertEquals(PREFIX + "Invalid function name; function: whatever", fail("a=a and whatever((:things)) > a"));
        assertEquals(
                PREFIX + "Invalid function name; function: attRIbute_exIsts", fail("attRIbute_exIsts((views), #a)"));
    }

    @Test
    void misusedFunctions() {
        String[][] cases = {
            {"a=a and attribute_exists((views), (#a)) > b", "attribute_exists"},
            {"attribute_not_exists(things) > b", "attribute_not_exists"},
            {"attribute_type(things, :a) > b", "attribute_type"},
            {"begins_with(things, a) > b", "begins_with"},
            {"contains(:things, c) > b", "contains"},
            {"size(contains(a, b)) > a", "contains"},
            {"size(things)", "size"},
            {"a between b and attribute_exists(things)", "attribute_exists"},
            {"a in (b, attribute_exists(things))", "attribute_exists"},
        };
        for (String[] c : cases) {
            assertEquals(
                    PREFIX + "The function is not allowed to be used this way in an expression; function: " + c[1],
                    fail(c[0]),
                    c[0]);
        }
    }

    @Test
    void reservedWordsOutrankOperandCounts() {
        assertEquals(
                PREFIX + "Attribute name is a reserved keyword; reserved keyword: views",
                fail("attribute_exists(views, #a)"));
        assertEquals(PREFIX + "Attribute name is a reserved keyword; reserved keyword: abOrT", fail(":a < abOrT"));
    }

    @Test
    void undefinedPlaceholdersInWrittenOrder() {
        String[][] cases = {
            {"attribute_exists(#Pictures.RearView, :a) and a=a", "name", "#Pictures"},
            {"begins_with(Pictures.#RearView)", "name", "#RearView"},
            {"(#P between :lo and :hi) and (#PC in (:cat1, :cat2))", "name", "#P"},
            {"#4g > a", "name", "#4g"},
            {"(a)between(b.c[45].#d)and(:a)", "name", "#d"},
            {"begins_with(:hello, #a, #b)", "value", ":hello"},
            {":a < :b", "value", ":a"},
        };
        for (String[] c : cases) {
            String expected = c[1].equals("name")
                    ? "An expression attribute name used in the document path is not defined; attribute name: " + c[2]
                    : "An expression attribute value used in expression is not defined; attribute value: " + c[2];
            assertEquals(PREFIX + expected, fail(c[0]), c[0]);
        }
    }

    @Test
    void operandCounts() {
        String[][] cases = {
            {"attribute_exists(things, a) and a=a", "attribute_exists", "2"},
            {"attribute_not_exists(things, b)", "attribute_not_exists", "2"},
            {"attribute_type(things)", "attribute_type", "1"},
            {"begins_with(things)", "begins_with", "1"},
            {"begins_with(things, size(a), b)", "begins_with", "3"},
            {"contains(things)", "contains", "1"},
            {"size(things, a) > b", "size", "2"},
        };
        for (String[] c : cases) {
            assertEquals(
                    PREFIX + "Incorrect number of operands for operator or function; operator or function: " + c[1]
                            + ", number of operands: " + c[2],
                    fail(c[0]),
                    c[0]);
        }
    }

    @Test
    void operandTypes() {
        AttributeValue[] notString = {n("1"), bool(true), nul(), l(), m(), ss("1"), ns("1")};
        for (AttributeValue v : notString) {
            assertEquals(
                    PREFIX
                            + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: "
                            + v.type(),
                    fail("begins_with(a, :a)", v));
            assertEquals(
                    PREFIX
                            + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: "
                            + v.type(),
                    fail("begins_with(:a, a)", v));
            assertEquals(
                    PREFIX
                            + "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: "
                            + v.type(),
                    fail("attribute_type(a, :a)", v));
        }
        assertEquals(
                PREFIX
                        + "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: B",
                fail("attribute_type(a, :a)", b(1)));
        assertEquals(
                PREFIX
                        + "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N",
                fail("attribute_type(a, size(a)) and a=a and a=:a", n("1")));
        assertEquals(
                PREFIX
                        + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N",
                fail("begins_with(a, size(a)) and a=:a", n("1")));
        assertEquals(
                PREFIX + "Incorrect operand type for operator or function; operator or function: size, operand type: N",
                fail("size(size(a)) > :a", n("1")));
        assertEquals(
                PREFIX + "Incorrect operand type for operator or function; operator or function: size, operand type: N",
                fail("attribute_not_exists(size(:a))", n("1")));
        assertEquals(
                PREFIX
                        + "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL",
                fail("size(:a) > a", bool(true)));
        assertEquals(
                PREFIX + "Operator or function requires a document path; operator or function: attribute_exists",
                fail("attribute_exists(:a) and a=a", s("1")));
        assertEquals(
                PREFIX + "Operator or function requires a document path; operator or function: attribute_not_exists",
                fail("attribute_not_exists(size(:a))", s("1")));
        assertEquals(
                PREFIX + "Invalid attribute type name found; type: 1, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                fail("attribute_type(a, :a)", s("1")));
    }

    @Test
    void identicalOperandsOfTheFirstFaultyCondition() {
        String[][] cases = {
            {"a = a AND #a = b AND :views > a", "=", "[a]"},
            {"#a <> a", "<>", "[a]"},
            {"a > #a", ">", "[a]"},
            {"((a=a) OR (a=a))", "=", "[a]"},
            {"contains(ab.bc[1].a, ab.bc[1].#a)", "contains", "[ab, bc, [1], a]"},
            {"attribute_type(ab.bc[1].#a, ab.bc[1].a)", "attribute_type", "[ab, bc, [1], a]"},
            {"begins_with(ab.bc[1].a, ab.bc[1].#a)", "begins_with", "[ab, bc, [1], a]"},
        };
        for (String[] c : cases) {
            String message = error(
                    () -> Expressions.condition("FilterExpression", c[0], new Placeholders(names("#a", "a"), null)));
            assertEquals(
                    PREFIX
                            + "The first operand must be distinct from the remaining operands for this operator or function; operator: "
                            + c[1] + ", first operand: " + c[2],
                    message,
                    c[0]);
        }
        // two identical constants are fine
        Expressions.condition("FilterExpression", ":a > :a", new Placeholders(null, Map.of(":a", n("1"))));
    }
}
