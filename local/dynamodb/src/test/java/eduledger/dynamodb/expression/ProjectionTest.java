package eduledger.dynamodb.expression;

import static eduledger.dynamodb.expression.Values.error;
import static eduledger.dynamodb.expression.Values.item;
import static eduledger.dynamodb.expression.Values.l;
import static eduledger.dynamodb.expression.Values.m;
import static eduledger.dynamodb.expression.Values.n;
import static eduledger.dynamodb.expression.Values.names;
import static eduledger.dynamodb.expression.Values.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.dynamodb.value.AttributeValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionTest {
    private static final Map<String, AttributeValue> ITEM = item(
            "pk", s("k"),
            "mymap", m("nested", s("deep"), "other", n("42"), "inside", m("x", n("1"), "y", n("2"))),
            "mylist", l(s("zero"), s("one"), s("two"), m("k", s("v"), "j", s("w"))),
            "status", s("active"));

    private static Map<String, AttributeValue> project(String expression) {
        Placeholders p = new Placeholders(names("#m", "mymap", "#n", "nested", "#l", "mylist", "#s", "status"), null);
        return Expressions.projection(expression, p).project(ITEM);
    }

    @Test
    void topLevelAttributes() {
        assertEquals(item("pk", s("k"), "status", s("active")), project("pk, #s"));
        assertEquals(item("pk", s("k")), project("pk, absent"));
        assertEquals(item(), project("absent"));
    }

    @Test
    void nestedMapsKeepOnlyTheRequestedKeys() {
        assertEquals(item("mymap", m("nested", s("deep"))), project("#m.#n"));
        assertEquals(item("mymap", m("nested", s("deep"), "inside", m("y", n("2")))), project("#m.#n, #m.inside.y"));
        assertEquals(item(), project("#m.absent"));
        assertEquals(item(), project("#s.sub_key"));
    }

    @Test
    void listElementsAreCompactedInIndexOrder() {
        assertEquals(item("mylist", l(s("zero"))), project("#l[0]"));
        assertEquals(item("mylist", l(s("one"), s("two"))), project("#l[2], #l[1]"));
        assertEquals(item("mylist", l(s("two"))), project("#l[2], #l[9]"));
        assertEquals(item("mylist", l(m("j", s("w")))), project("#l[3].j"));
        assertEquals(item("mymap", m("nested", s("deep")), "mylist", l(s("one"))), project("#m.#n, #l[1]"));
    }

    @Test
    void errors() {
        assertEquals(
                "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"",
                error(() -> Expressions.projection("!!", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status",
                error(() -> Expressions.projection("pk, status", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]",
                error(() -> Expressions.projection("a, a.b", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]",
                error(() -> Expressions.projection("a, a", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]",
                error(() -> Expressions.projection("a[0], a.b", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
                error(() -> Expressions.projection("#x", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: The expression can not be empty;",
                error(() -> Expressions.projection("", Placeholders.none())));
        assertEquals(
                "Invalid ProjectionExpression: Syntax error; token: \":v\", near: \":v\"",
                error(() -> Expressions.projection(":v", new Placeholders(null, Map.of(":v", s("x"))))));
    }

    @Test
    void attributesToGetProjectsTopLevelNamesVerbatim() {
        Projection p = Expressions.attributesToGet(List.of("pk", "status", "mymap.nested", "absent"));
        assertEquals(item("pk", s("k"), "status", s("active")), p.project(ITEM));
        // a dotted name is one attribute's name, not a path
        assertEquals(
                item("mymap.nested", s("literal")),
                p.project(item("mymap", m("nested", s("deep")), "mymap.nested", s("literal"))));
        assertEquals(
                "One or more parameter values were invalid: Duplicate value in attribute name: pk",
                error(() -> Expressions.attributesToGet(List.of("pk", "pk"))));
    }
}
