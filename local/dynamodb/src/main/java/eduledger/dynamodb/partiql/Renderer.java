package eduledger.dynamodb.partiql;

import eduledger.dynamodb.partiql.Ast.Action;
import eduledger.dynamodb.partiql.Ast.Between;
import eduledger.dynamodb.partiql.Ast.Binary;
import eduledger.dynamodb.partiql.Ast.Call;
import eduledger.dynamodb.partiql.Ast.Expr;
import eduledger.dynamodb.partiql.Ast.In;
import eduledger.dynamodb.partiql.Ast.Is;
import eduledger.dynamodb.partiql.Ast.Lit;
import eduledger.dynamodb.partiql.Ast.Not;
import eduledger.dynamodb.partiql.Ast.PathExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes PartiQL expressions as DynamoDB expressions with {@code #n} / {@code :v} placeholders, so the
 * engine's own expression parser and evaluators give them their meaning. Every name and value a
 * renderer hands out ends up in an expression of the same request (the engine rejects unused ones).
 */
final class Renderer {
    final LinkedHashMap<String, String> names = new LinkedHashMap<>();
    final LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> nameSlots = new HashMap<>();

    String name(String attribute) {
        return nameSlots.computeIfAbsent(attribute, a -> {
            String slot = "#n" + names.size();
            names.put(slot, a);
            return slot;
        });
    }

    String value(Object wire) {
        String slot = ":v" + values.size();
        values.put(slot, wire);
        return slot;
    }

    String path(PathExpr p) {
        StringBuilder b = new StringBuilder();
        for (Object seg : p.segments()) {
            if (seg instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                if (b.length() > 0) b.append('.');
                b.append(name((String) seg));
            }
        }
        return b.toString();
    }

    String expr(Expr e) {
        if (e instanceof PathExpr p) return path(p);
        if (e instanceof Lit l) return value(l.wire());
        if (e instanceof Binary b) {
            if (b.op().equals("OR")) return expr(b.left()) + " OR " + expr(b.right());
            if (b.op().equals("AND")) return grouped(b.left(), "OR") + " AND " + grouped(b.right(), "OR");
            return expr(b.left()) + " " + b.op() + " " + expr(b.right());
        }
        if (e instanceof Not n) return "NOT " + grouped(n.operand(), "OR", "AND");
        if (e instanceof Between b) return expr(b.operand()) + " BETWEEN " + expr(b.low()) + " AND " + expr(b.high());
        if (e instanceof In in) {
            StringBuilder s = new StringBuilder(expr(in.operand())).append(" IN (");
            for (int i = 0; i < in.values().size(); i++) {
                if (i > 0) s.append(", ");
                s.append(expr(in.values().get(i)));
            }
            return s.append(')').toString();
        }
        if (e instanceof Is is) {
            String operand = expr(is.operand());
            if (is.missing()) return (is.negated() ? "attribute_exists(" : "attribute_not_exists(") + operand + ")";
            String isNull = "attribute_type(" + operand + ", " + value(Map.of("S", "NULL")) + ")";
            return is.negated() ? "attribute_exists(" + operand + ") AND NOT " + isNull : isNull;
        }
        Call c = (Call) e;
        StringBuilder s = new StringBuilder(c.name()).append('(');
        for (int i = 0; i < c.args().size(); i++) {
            if (i > 0) s.append(", ");
            s.append(expr(c.args().get(i)));
        }
        return s.append(')').toString();
    }

    /** A condition made of terms joined by AND; null when there are none. */
    String conjunction(List<Expr> terms) {
        if (terms.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (Expr t : terms) {
            if (b.length() > 0) b.append(" AND ");
            b.append(grouped(t, "OR"));
        }
        return b.toString();
    }

    /**
     * An operand in parentheses only when its operator binds more loosely than where it stands: the
     * engine, like DynamoDB, rejects parentheses that group nothing.
     */
    private String grouped(Expr e, String... looser) {
        if (e instanceof Binary b) {
            for (String op : looser) if (b.op().equals(op)) return "(" + expr(e) + ")";
        }
        return expr(e);
    }

    /** SET and REMOVE actions as an UpdateExpression; set_add / set_delete become ADD / DELETE. */
    String update(List<Action> actions) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        List<String> add = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        for (Action a : actions) {
            String path = path(a.path());
            if (a.value() == null) {
                remove.add(path);
            } else if (a.value() instanceof Call c
                    && (c.name().equals("set_add") || c.name().equals("set_delete"))
                    && c.args().size() == 2) {
                (c.name().equals("set_add") ? add : delete)
                        .add(path + " " + expr(c.args().get(1)));
            } else {
                set.add(path + " = " + expr(a.value()));
            }
        }
        StringBuilder b = new StringBuilder();
        clause(b, "SET", set);
        clause(b, "REMOVE", remove);
        clause(b, "ADD", add);
        clause(b, "DELETE", delete);
        return b.toString();
    }

    private static void clause(StringBuilder b, String keyword, List<String> parts) {
        if (parts.isEmpty()) return;
        if (b.length() > 0) b.append(' ');
        b.append(keyword).append(' ').append(String.join(", ", parts));
    }

    /** Adds the placeholders to a request body, leaving out empty maps (the engine rejects them). */
    void into(Map<String, Object> body) {
        if (!names.isEmpty()) body.put("ExpressionAttributeNames", new LinkedHashMap<>(names));
        if (!values.isEmpty()) body.put("ExpressionAttributeValues", new LinkedHashMap<>(values));
    }
}
