package eduledger.dynamodb.partiql;

import java.util.List;

/** The statements and expressions of the PartiQL subset DynamoDB accepts, with parameters already bound. */
final class Ast {
    private Ast() {}

    sealed interface Expr permits PathExpr, Lit, Call, Binary, Not, Between, In, Is {}

    /** A document path; each segment is a {@link String} name or an {@link Integer} list index. */
    record PathExpr(List<Object> segments) implements Expr {
        String first() {
            return (String) segments.get(0);
        }

        boolean isTopLevel() {
            return segments.size() == 1;
        }

        /** The name a projected path answers under: its last name segment. */
        String lastName() {
            for (int i = segments.size() - 1; i >= 0; i--) {
                if (segments.get(i) instanceof String s) return s;
            }
            return first();
        }
    }

    /** A literal or bound parameter, kept in wire form ({@code {"S": "x"}}) so the engine validates it. */
    record Lit(Object wire) implements Expr {}

    record Call(String name, List<Expr> args) implements Expr {}

    /** {@code op} is one of = <> < <= > >= AND OR + -. */
    record Binary(String op, Expr left, Expr right) implements Expr {}

    record Not(Expr operand) implements Expr {}

    record Between(Expr operand, Expr low, Expr high) implements Expr {}

    record In(Expr operand, List<Expr> values) implements Expr {}

    /** {@code IS [NOT] MISSING} or {@code IS [NOT] NULL}. */
    record Is(Expr operand, boolean missing, boolean negated) implements Expr {}

    /** A table, or one of its indexes. */
    record Target(String table, String index) {}

    sealed interface Statement permits Select, Insert, Update, Delete, Exists {
        Target target();
    }

    /**
     * {@code projection} is null for {@code SELECT *}; {@code orderBy} is null without ORDER BY, and
     * {@code descending} says which way it sorts.
     */
    record Select(Target target, List<PathExpr> projection, Expr where, PathExpr orderBy, boolean descending)
            implements Statement {}

    record Insert(Target target, Expr value) implements Statement {}

    /** One SET assignment or REMOVE path ({@code value} null), in statement order. */
    record Action(PathExpr path, Expr value) {}

    record Update(Target target, List<Action> actions, Expr where, String returning) implements Statement {}

    record Delete(Target target, Expr where, String returning) implements Statement {}

    /** {@code EXISTS(SELECT ...)}: a condition check inside a transaction. */
    record Exists(Select select) implements Statement {
        public Target target() {
            return select.target();
        }
    }
}
