package eduledger.dynamodb.expression;

import static eduledger.dynamodb.expression.Values.b;
import static eduledger.dynamodb.expression.Values.bs;
import static eduledger.dynamodb.expression.Values.error;
import static eduledger.dynamodb.expression.Values.item;
import static eduledger.dynamodb.expression.Values.l;
import static eduledger.dynamodb.expression.Values.m;
import static eduledger.dynamodb.expression.Values.n;
import static eduledger.dynamodb.expression.Values.names;
import static eduledger.dynamodb.expression.Values.ns;
import static eduledger.dynamodb.expression.Values.s;
import static eduledger.dynamodb.expression.Values.ss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.value.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpdateTest {
    private static Map<String, AttributeValue> values(Object... kv) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) out.put((String) kv[i], (AttributeValue) kv[i + 1]);
        return out;
    }

    private static Update parse(String expression, Object... values) {
        return Expressions.update(
                expression,
                new Placeholders(
                        names("#m", "map", "#l", "list", "#c", "count"), values.length == 0 ? null : values(values)));
    }

    private static Map<String, AttributeValue> apply(
            Map<String, AttributeValue> item, String expression, Object... values) {
        return parse(expression, values).apply(item);
    }

    private static String fail(String expression, Object... values) {
        return error(() -> parse(expression, values));
    }

    private static String failApplying(Map<String, AttributeValue> item, String expression, Object... values) {
        Update update = parse(expression, values);
        return error(() -> update.apply(item));
    }

    @Test
    void setTopLevelAndNestedAttributes() {
        Map<String, AttributeValue> before = item("pk", s("k"), "map", m("a", n("1")));
        Map<String, AttributeValue> after =
                apply(before, "SET x = :x, #m.b = :b, #m.a = :a", ":x", s("new"), ":b", s("b"), ":a", n("2"));
        assertEquals(item("pk", s("k"), "map", m("a", n("2"), "b", s("b")), "x", s("new")), after);
        // the input item is left untouched
        assertEquals(item("pk", s("k"), "map", m("a", n("1"))), before);
    }

    @Test
    void setIntoAMissingParentIsInvalid() {
        String message = failApplying(item("pk", s("k")), "SET a.b.c = :v", ":v", s("x"));
        assertEquals("The document path provided in the update expression is invalid for update", message);
        assertEquals(
                "The document path provided in the update expression is invalid for update",
                failApplying(item("a", s("scalar")), "SET a.b = :v", ":v", s("x")));
        assertEquals(
                "The document path provided in the update expression is invalid for update",
                failApplying(item("a", m()), "SET a[0] = :v", ":v", s("x")));
    }

    @Test
    void setListIndexReplacesOrAppendsPastTheEnd() {
        Map<String, AttributeValue> item = item("list", l(s("a"), s("b")));
        assertEquals(item("list", l(s("a"), s("z"))), apply(item, "SET #l[1] = :v", ":v", s("z")));
        assertEquals(item("list", l(s("a"), s("b"), s("z"))), apply(item, "SET #l[5] = :v", ":v", s("z")));
        assertEquals(item("list", l(s("first"))), apply(item("list", l()), "SET #l[0] = :v", ":v", s("first")));
        assertEquals(
                item("list", l(m("k", n("2")))),
                apply(item("list", l(m("k", n("1")))), "SET #l[0].k = :v", ":v", n("2")));
    }

    @Test
    void arithmetic() {
        Map<String, AttributeValue> item = item("count", n("10"), "map", m("c", n("1.5")));
        assertEquals(n("13"), apply(item, "SET #c = #c + :v", ":v", n("3")).get("count"));
        assertEquals(n("7"), apply(item, "SET #c = #c - :v", ":v", n("3")).get("count"));
        assertEquals(n("-8.5"), apply(item, "SET #c = #m.c - #c").get("count"));
        assertEquals(
                m("c", n("2.5")),
                apply(item, "SET #m.c = #m.c + :v", ":v", n("1")).get("map"));
    }

    @Test
    void arithmeticNeedsNumbersAndExistingOperands() {
        assertEquals(
                "An operand in the update expression has an incorrect data type",
                failApplying(item("a", s("x")), "SET a = a + :v", ":v", n("1")));
        assertEquals(
                "The provided expression refers to an attribute that does not exist in the item",
                failApplying(item(), "SET a = a + :v", ":v", n("1")));
        assertEquals(
                "The provided expression refers to an attribute that does not exist in the item",
                failApplying(item(), "SET a = b"));
        assertEquals(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S",
                fail("SET a = a + :v", ":v", s("x")));
        assertEquals(
                "Number overflow. Attempting to store a number with magnitude larger than supported range",
                failApplying(item("a", n("9.9E125")), "SET a = a + :v", ":v", n("9.9E125")));
    }

    @Test
    void ifNotExists() {
        Update update = parse("SET a = if_not_exists(a, :d), b = if_not_exists(b, c)", ":d", n("0"));
        assertEquals(item("a", n("0"), "c", s("fallback"), "b", s("fallback")), update.apply(item("c", s("fallback"))));
        assertEquals(
                item("a", n("5"), "b", s("kept"), "c", s("fallback")),
                update.apply(item("a", n("5"), "b", s("kept"), "c", s("fallback"))));
        assertEquals(
                n("1"),
                apply(item(), "SET #c = if_not_exists(#c, :z) + :one", ":z", n("0"), ":one", n("1"))
                        .get("count"));
        assertEquals(
                "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists",
                fail("SET a = if_not_exists(:d, a)", ":d", n("0")));
    }

    @Test
    void listAppend() {
        Map<String, AttributeValue> item = item("list", l(s("a")));
        assertEquals(
                l(s("a"), s("b"), s("c")),
                apply(item, "SET #l = list_append(#l, :v)", ":v", l(s("b"), s("c")))
                        .get("list"));
        assertEquals(
                l(s("z"), s("a")),
                apply(item, "SET #l = list_append(:v, #l)", ":v", l(s("z"))).get("list"));
        assertEquals(
                "An operand in the update expression has an incorrect data type",
                failApplying(item("list", s("no")), "SET #l = list_append(#l, :v)", ":v", l(s("b"))));
        assertEquals(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S",
                fail("SET a = list_append(a, :v)", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1",
                fail("SET a = list_append(a)"));
    }

    @Test
    void removeAttributesMapKeysAndListElements() {
        Map<String, AttributeValue> item = item(
                "pk",
                s("k"),
                "gone",
                s("x"),
                "map",
                m("a", n("1"), "b", n("2")),
                "list",
                l(s("0"), s("1"), s("2"), s("3")));
        Map<String, AttributeValue> after = apply(item, "REMOVE gone, #m.a, #l[1], #l[3], absent, #m.absent, #l[9]");
        assertEquals(item("pk", s("k"), "map", m("b", n("2")), "list", l(s("0"), s("2"))), after);
        assertEquals(
                l(s("0")),
                apply(item("list", l(s("0"), s("1"))), "REMOVE #l[1]").get("list"));
        assertEquals(
                "The document path provided in the update expression is invalid for update",
                failApplying(item(), "REMOVE a.b"));
    }

    @Test
    void addNumbersAndSets() {
        assertEquals(
                n("13"),
                apply(item("count", n("10")), "ADD #c :v", ":v", n("3")).get("count"));
        assertEquals(n("10"), apply(item(), "ADD #c :v", ":v", n("10")).get("count"));
        assertEquals(
                ss("a", "b", "c"),
                apply(item("tags", ss("a", "b")), "ADD tags :v", ":v", ss("b", "c"))
                        .get("tags"));
        assertEquals(
                ns("1", "2"), apply(item(), "ADD nums :v", ":v", ns("1", "2")).get("nums"));
        assertEquals(
                bs(b(1), b(2)),
                apply(item("bins", bs(b(1))), "ADD bins :v", ":v", bs(b(2))).get("bins"));
        assertEquals(
                m("n", n("2")),
                apply(item("map", m("n", n("1"))), "ADD #m.n :v", ":v", n("1")).get("map"));
    }

    @Test
    void addAndDeleteOperandTypes() {
        assertEquals(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
                fail("ADD a :v", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND",
                fail("ADD a :v", ":v", l()));
        assertEquals(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND",
                fail("DELETE a :v", ":v", n("1")));
        assertEquals(
                "An operand in the update expression has an incorrect data type",
                failApplying(item("a", s("x")), "ADD a :v", ":v", n("1")));
        assertEquals(
                "An operand in the update expression has an incorrect data type",
                failApplying(item("a", ss("x")), "ADD a :v", ":v", ns("1")));
        assertEquals(
                "An operand in the update expression has an incorrect data type",
                failApplying(item("a", ns("1")), "DELETE a :v", ":v", ss("1")));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"", fail("ADD a b"));
    }

    @Test
    void deleteFromSetsRemovesTheAttributeWhenEmptied() {
        assertEquals(
                ss("a", "c"),
                apply(item("tags", ss("a", "b", "c")), "DELETE tags :v", ":v", ss("b", "z"))
                        .get("tags"));
        Map<String, AttributeValue> emptied =
                apply(item("pk", s("k"), "tags", ss("a", "b")), "DELETE tags :v", ":v", ss("a", "b"));
        assertEquals(item("pk", s("k")), emptied);
        assertEquals(item("pk", s("k")), apply(item("pk", s("k")), "DELETE tags :v", ":v", ss("a")));
        assertEquals(
                ns("2"),
                apply(item("nums", ns("1", "2")), "DELETE nums :v", ":v", ns("1.0"))
                        .get("nums"));
    }

    @Test
    void clausesInAnyOrderEachAtMostOnce() {
        Map<String, AttributeValue> after = apply(
                item("a", n("1"), "b", s("x"), "c", ss("p", "q")),
                "delete c :s remove b ADD a :one Set d = :d",
                ":s",
                ss("p"),
                ":one",
                n("1"),
                ":d",
                s("new"));
        assertEquals(item("a", n("2"), "c", ss("q"), "d", s("new")), after);
        assertEquals(
                "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                fail("SET a = :v SET b = :v", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;",
                fail("REMOVE a remove b"));
    }

    @Test
    void overlappingAndConflictingPaths() {
        assertEquals(
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
                fail("SET a = :v, a = :w", ":v", s("x"), ":w", s("y")));
        assertEquals(
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]",
                fail("SET a.b = :v REMOVE a", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, [1], c]",
                fail("REMOVE a[1], a[1].c"));
        assertEquals(
                "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
                fail("SET a.b = :v REMOVE a[0]", ":v", s("x")));
        // siblings are fine
        assertEquals(
                item("a", m("b", s("x"), "c", s("x"))), apply(item("a", m()), "SET a.b = :v, a.c = :v", ":v", s("x")));
    }

    @Test
    void syntaxAndPlaceholderErrors() {
        assertEquals(
                "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"",
                fail("INVALID SYNTAX HERE"));
        assertEquals("Invalid UpdateExpression: The expression can not be empty;", fail(""));
        // the quoted text keeps the expression's own spacing
        assertEquals(
                "Invalid UpdateExpression: Syntax error; token: \"SET\", near: \"ADD  SET #c\"",
                fail("ADD  SET #c = :v", ":v", n("1")));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"1\", near: \"= 1\"", fail("SET a = 1"));
        assertEquals("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"", fail("SET"));
        assertEquals(
                "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \",\"",
                fail("SET a = :v,", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":v + :v\"",
                fail("SET a = a + :v + :v", ":v", n("1")));
        assertEquals(
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
                error(() -> Expressions.update("SET attr1 = :v", new Placeholders(null, null))));
        assertEquals(
                "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                fail("SET #x = :v", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
                fail("SET status = :v, name = :v", ":v", s("x")));
        assertEquals(
                "Invalid UpdateExpression: The function is not allowed in an update expression; function: size",
                fail("SET a = size(b)"));
        assertEquals("Invalid UpdateExpression: Invalid function name; function: upper", fail("SET a = upper(b)"));
    }

    @Test
    void topLevelAttributesNameEveryTouchedAttribute() {
        Update update = parse("SET #m.a = :v, b = :v REMOVE #l[0] ADD #c :n", ":v", s("x"), ":n", n("1"));
        assertEquals(Set.of("map", "b", "list", "count"), update.topLevelAttributes());
        assertFalse(update.topLevelAttributes().contains("a"));
    }

    @Test
    void updatedPathsProjectWhatTheUpdateWrote() {
        Update update = parse("SET #m.a = :v, b = :v REMOVE #l[0]", ":v", s("x"));
        Map<String, AttributeValue> before = item(
                "pk",
                s("k"),
                "map",
                m("a", s("old"), "z", s("kept")),
                "b",
                s("old"),
                "list",
                l(s("first"), s("second")),
                "other",
                s("o"));
        Map<String, AttributeValue> after = update.apply(before);
        assertEquals(
                item("map", m("a", s("old")), "b", s("old"), "list", l(s("first"))),
                update.updatedPaths().project(before));
        assertEquals(
                item("map", m("a", s("x")), "b", s("x"), "list", l(s("second"))),
                update.updatedPaths().project(after));
        Map<String, LegacyUpdate> legacy = new java.util.LinkedHashMap<>();
        legacy.put("b", new LegacyUpdate("PUT", s("y")));
        assertEquals(
                item("b", s("y")),
                Expressions.legacyUpdate(legacy).updatedPaths().project(item("b", s("y"), "c", s("z"))));
    }

    @Test
    void nestedAttributesNameEveryAttributeReachedIntoByAPath() {
        Update update = parse("SET e = list_append(a, b), f = d[1], g.h = if_not_exists(i.j, :v) REMOVE k", ":v", l());
        assertEquals(Set.of("d", "g", "i"), update.nestedAttributes());
        assertEquals(Set.of(), parse("SET a = b + :v", ":v", n("1")).nestedAttributes());
    }

    @Test
    void pathsIntoTheWrongKindOfValueAreInvalidForEveryAction() {
        Map<String, AttributeValue> item = item("b", s("scalar"), "c", m("1", s("a")), "d", l(s("a"), s("b")));
        String[] expressions = {
            "SET b.a = :a", "SET b[1] = :a", "SET y.a = :a", "SET y[1] = :a", "SET c[1] = :a", "SET d.#one = :a",
            "REMOVE b.a", "REMOVE b[1]", "REMOVE y.a", "REMOVE y[1]", "REMOVE c[1]", "REMOVE d.#one",
            "DELETE b.a :a", "DELETE b[1] :a", "DELETE y.a :a", "DELETE y[1] :a", "DELETE c[1] :a", "DELETE d.#one :a",
            "ADD b.a :a", "ADD b[1] :a", "ADD y.a :a", "ADD y[1] :a", "ADD c[1] :a", "ADD d.#one :a",
        };
        for (String expression : expressions) {
            Update update = Expressions.update(
                    expression,
                    new Placeholders(expression.contains("#one") ? names("#one", "1") : null, Map.of(":a", ss("a"))));
            assertEquals(
                    "The document path provided in the update expression is invalid for update",
                    error(() -> update.apply(item)),
                    expression);
        }
    }

    @Test
    void faultsAreReportedInDynamoDbsOrder() {
        Placeholders p = new Placeholders(names("#a", "a", "#b", "b"), Map.of(":a", s("a"), ":b", s("a")));
        assertEquals(
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt",
                error(() -> Expressions.update(" set #c = :c set abOrt = true ", p)));
        assertEquals(
                "Invalid UpdateExpression: Invalid function name; function: if_not_exist",
                error(() -> Expressions.update("set #c = if_not_exist(:c) set c = d", p)));
        assertEquals(
                "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                error(() -> Expressions.update("set a = #c set c = :d", p)));
        assertEquals(
                "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c",
                error(() -> Expressions.update("SET #c = if_not_exists(:c)", p)));
        assertEquals(
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c",
                error(() -> Expressions.update("SET #a = if_not_exists(:c)", p)));
        Placeholders odd = new Placeholders(names("#c", "c", "#d", "[3]"), null);
        assertEquals(
                "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; "
                        + "path one: [c, [1], a], path two: [c]",
                error(() -> Expressions.update("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", odd)));
        assertEquals(
                "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; "
                        + "path one: [c, [3], [3]], path two: [c, [3], [3]]",
                error(() -> Expressions.update("set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", odd)));
        assertEquals(
                "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
                error(() -> Expressions.update(
                        "set b = list_append(:a, a), c = if_not_exists(a) add a.b :a",
                        new Placeholders(null, Map.of(":a", s("a"))))));
        assertEquals(
                "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists",
                error(() -> Expressions.update("set a = if_not_exists(if_not_exists(a, b), c)", Placeholders.none())));
    }

    @Test
    void updateSyntaxErrors() {
        String[] expressions = {
            "whatever",
            "set a",
            "add a",
            "delete a",
            "set a=set",
            "remove a = b",
            "add a = b",
            "delete a = b",
            "delete a b",
            "delete a if_not_exist(b)",
            "add abort b",
            "add a if_not_exist(b)",
            "remove a b",
            "set a b",
            "set :a = b",
            "add :a b",
            "delete :a b",
            "remove :a",
            "set a = b / c",
            "set a = b * c",
            "set a[1] = \"eight\"",
            "set a[1] = 1",
            "SET a = if_not_exist(a, 100)",
            "SET if_not_exist(a, b) = a",
            "set (a = (b + c))",
            "set a = (b.c).d + e",
            "set a = (b.c)[0] + e",
            "set a = b + c + d",
        };
        for (String expression : expressions) {
            String message = error(() -> Expressions.update(expression, Placeholders.none()));
            assertTrue(
                    message.startsWith("Invalid UpdateExpression: Syntax error; token: "),
                    expression + " -> " + message);
        }
        assertEquals(item("a", n("7"), "b", n("4")), apply(item("b", n("4")), "SET a = (b + :v)", ":v", n("3")));
    }
}
