package eduledger.dynamodb.partiql;

import eduledger.dynamodb.error.DynamoDbError;
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
import eduledger.dynamodb.partiql.Ast.Statement;
import eduledger.dynamodb.partiql.Ast.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one PartiQL statement into {@link Ast}, binding {@code ?} parameters as it goes. Literals stay
 * in wire form, so the engine's own codec judges them exactly as it judges a request's attribute values.
 */
final class StatementParser {
    private static final String MALFORMED = "Statement wasn't well formed, can't be processed: ";
    private static final Set<String> FUNCTIONS = Set.of(
            "begins_with",
            "contains",
            "attribute_exists",
            "attribute_not_exists",
            "attribute_type",
            "size",
            "list_append",
            "if_not_exists",
            "set_add",
            "set_delete");

    private enum Kind {
        WORD,
        QUOTED,
        STRING,
        NUMBER,
        PUNCT,
        PARAM,
        END
    }

    private record Token(Kind kind, String text, int at) {
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean punct(String p) {
            return kind == Kind.PUNCT && text.equals(p);
        }
    }

    private final List<Token> tokens;
    private final List<Object> parameters;
    private int pos;
    private int nextParameter;

    private StatementParser(String text, List<Object> parameters) {
        this.tokens = tokenize(text);
        this.parameters = parameters == null ? List.of() : parameters;
    }

    static Statement parse(String text, List<Object> parameters) {
        StatementParser p = new StatementParser(text, parameters);
        Statement s = p.statement();
        if (p.peek().kind != Kind.END) throw p.unexpected();
        if (p.nextParameter != p.parameters.size())
            throw DynamoDbError.validation("Number of parameters in request and statement don't match.");
        return s;
    }

    // ---------------------------------------------------------------- statements

    private Statement statement() {
        Token t = peek();
        if (t.is("SELECT")) return select();
        if (t.is("INSERT")) return insert();
        if (t.is("UPDATE")) return update();
        if (t.is("DELETE")) return delete();
        if (t.is("EXISTS")) {
            next();
            expect("(");
            Ast.Select s = select();
            expect(")");
            return new Ast.Exists(s);
        }
        throw unexpected();
    }

    private Ast.Select select() {
        keyword("SELECT");
        List<PathExpr> projection = null;
        if (peek().punct("*")) {
            next();
        } else {
            projection = new ArrayList<>();
            do {
                projection.add(path());
            } while (accept(","));
        }
        keyword("FROM");
        Target target = target();
        Expr where = null;
        if (peek().is("WHERE")) {
            next();
            where = expr();
        }
        PathExpr orderBy = null;
        boolean descending = false;
        if (peek().is("ORDER")) {
            next();
            keyword("BY");
            orderBy = path();
            if (peek().is("ASC") || peek().is("DESC")) descending = next().is("DESC");
        }
        return new Ast.Select(target, projection, where, orderBy, descending);
    }

    private Ast.Insert insert() {
        keyword("INSERT");
        keyword("INTO");
        Target target = target();
        keyword("VALUE");
        return new Ast.Insert(target, value());
    }

    private Ast.Update update() {
        keyword("UPDATE");
        Target target = target();
        List<Action> actions = new ArrayList<>();
        while (peek().is("SET") || peek().is("REMOVE")) {
            boolean set = next().is("SET");
            do {
                PathExpr path = path();
                if (set) {
                    expect("=");
                    actions.add(new Action(path, additive()));
                } else {
                    actions.add(new Action(path, null));
                }
            } while (accept(","));
        }
        if (actions.isEmpty()) throw unexpected();
        keyword("WHERE");
        Expr where = expr();
        return new Ast.Update(target, actions, where, returning(true));
    }

    private Ast.Delete delete() {
        keyword("DELETE");
        keyword("FROM");
        Target target = target();
        keyword("WHERE");
        Expr where = expr();
        return new Ast.Delete(target, where, returning(false));
    }

    /** {@code RETURNING (ALL|MODIFIED) (OLD|NEW) *} as a ReturnValues name, or null. */
    private String returning(boolean update) {
        if (!peek().is("RETURNING")) return null;
        next();
        Token which = next();
        Token age = next();
        expect("*");
        boolean all = which.is("ALL");
        if (!all && !(update && which.is("MODIFIED"))) throw unexpected(which);
        if (!age.is("OLD") && !(update && age.is("NEW"))) throw unexpected(age);
        return (all ? "ALL_" : "UPDATED_") + age.text.toUpperCase(Locale.ROOT);
    }

    private Target target() {
        String table = name();
        String index = null;
        if (peek().punct(".")) {
            next();
            index = name();
        }
        return new Target(table, index);
    }

    private String name() {
        Token t = next();
        if (t.kind == Kind.QUOTED || t.kind == Kind.WORD) return t.text;
        throw unexpected(t);
    }

    // ---------------------------------------------------------------- expressions

    private Expr expr() {
        Expr left = and();
        while (peek().is("OR")) {
            next();
            left = new Binary("OR", left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = not();
        while (peek().is("AND")) {
            next();
            left = new Binary("AND", left, not());
        }
        return left;
    }

    private Expr not() {
        if (peek().is("NOT")) {
            next();
            return new Not(not());
        }
        return predicate();
    }

    private Expr predicate() {
        Expr left = additive();
        Token t = peek();
        if (t.kind == Kind.PUNCT
                && Set.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(t.text)) {
            next();
            return new Binary(t.text.equals("!=") ? "<>" : t.text, left, additive());
        }
        boolean negated = false;
        if (t.is("NOT") && (peek(1).is("BETWEEN") || peek(1).is("IN"))) {
            next();
            negated = true;
            t = peek();
        }
        if (t.is("BETWEEN")) {
            next();
            Expr low = additive();
            keyword("AND");
            Expr b = new Between(left, low, additive());
            return negated ? new Not(b) : b;
        }
        if (t.is("IN")) {
            next();
            String close;
            if (accept("(")) close = ")";
            else if (accept("[")) close = "]";
            else throw unexpected();
            List<Expr> values = new ArrayList<>();
            do {
                values.add(additive());
            } while (accept(","));
            expect(close);
            Expr in = new In(left, values);
            return negated ? new Not(in) : in;
        }
        if (t.is("IS")) {
            next();
            boolean not = false;
            if (peek().is("NOT")) {
                next();
                not = true;
            }
            Token what = next();
            if (what.is("MISSING")) return new Is(left, true, not);
            if (what.is("NULL")) return new Is(left, false, not);
            throw unexpected(what);
        }
        return left;
    }

    private Expr additive() {
        Expr left = primary();
        while (peek().punct("+") || peek().punct("-")) {
            String op = next().text;
            left = new Binary(op, left, primary());
        }
        return left;
    }

    private Expr primary() {
        Token t = peek();
        if (t.punct("(")) {
            next();
            Expr e = expr();
            expect(")");
            return e;
        }
        if (t.kind == Kind.WORD && peek(1).punct("(") && FUNCTIONS.contains(t.text.toLowerCase(Locale.ROOT))) {
            next();
            next();
            List<Expr> args = new ArrayList<>();
            if (!peek().punct(")")) {
                do {
                    args.add(additive());
                } while (accept(","));
            }
            expect(")");
            return new Call(t.text.toLowerCase(Locale.ROOT), args);
        }
        if (t.kind == Kind.QUOTED || (t.kind == Kind.WORD && !isLiteralWord(t))) return path();
        return value();
    }

    private static boolean isLiteralWord(Token t) {
        return t.is("TRUE") || t.is("FALSE") || t.is("NULL") || t.is("MISSING");
    }

    private PathExpr path() {
        List<Object> segments = new ArrayList<>();
        segments.add(name());
        while (true) {
            if (peek().punct(".")) {
                next();
                segments.add(name());
            } else if (peek().punct("[")) {
                next();
                Token n = next();
                if (n.kind != Kind.NUMBER) throw unexpected(n);
                try {
                    segments.add(Integer.parseInt(n.text));
                } catch (NumberFormatException e) {
                    throw unexpected(n);
                }
                expect("]");
            } else {
                return new PathExpr(segments);
            }
        }
    }

    /** A literal value or parameter, in wire form. */
    private Lit value() {
        Token t = next();
        switch (t.kind) {
            case STRING:
                return new Lit(wire("S", t.text));
            case NUMBER:
                return new Lit(wire("N", t.text));
            case PARAM:
                if (nextParameter >= parameters.size())
                    throw DynamoDbError.validation("Number of parameters in request and statement don't match.");
                return new Lit(parameters.get(nextParameter++));
            case WORD:
                if (t.is("TRUE") || t.is("FALSE")) return new Lit(wire("BOOL", t.is("TRUE")));
                if (t.is("NULL")) return new Lit(wire("NULL", true));
                throw unexpected(t);
            case PUNCT:
                break;
            default:
                throw unexpected(t);
        }
        if (t.text.equals("-") && peek().kind == Kind.NUMBER) return new Lit(wire("N", "-" + next().text));
        if (t.text.equals("{")) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            if (!accept("}")) {
                do {
                    Token k = next();
                    if (k.kind != Kind.STRING && k.kind != Kind.QUOTED) throw unexpected(k);
                    expect(":");
                    m.put(k.text, value().wire());
                } while (accept(","));
                expect("}");
            }
            return new Lit(wire("M", m));
        }
        if (t.text.equals("[")) {
            List<Object> l = new ArrayList<>();
            if (!accept("]")) {
                do {
                    l.add(value().wire());
                } while (accept(","));
                expect("]");
            }
            return new Lit(wire("L", l));
        }
        if (t.text.equals("<<")) return set(t);
        throw unexpected(t);
    }

    /** {@code <<...>>}: a string, number or binary set, by its members' type. */
    private Lit set(Token open) {
        List<Object> members = new ArrayList<>();
        String type = null;
        if (!accept(">>")) {
            do {
                Token at = peek();
                Object v = value().wire();
                if (!(v instanceof Map<?, ?> m) || m.size() != 1) throw unexpected(at);
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                String memberType = (String) e.getKey();
                if (!memberType.equals("S") && !memberType.equals("N") && !memberType.equals("B"))
                    throw DynamoDbError.validation("Unsupported set element type: " + memberType);
                if (type != null && !type.equals(memberType))
                    throw DynamoDbError.validation("Set elements must all be of the same type");
                type = memberType;
                members.add(e.getValue());
            } while (accept(","));
            expect(">>");
        }
        if (type == null)
            throw DynamoDbError.validation(
                    "One or more parameter values were invalid: An number set  may not be empty");
        return new Lit(wire(type + "S", members));
    }

    private static Map<String, Object> wire(String type, Object value) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put(type, value);
        return m;
    }

    // ---------------------------------------------------------------- tokens

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind != Kind.END) pos++;
        return t;
    }

    private boolean accept(String punct) {
        if (peek().punct(punct)) {
            next();
            return true;
        }
        return false;
    }

    private void expect(String punct) {
        if (!accept(punct)) throw unexpected();
    }

    private void keyword(String word) {
        if (!peek().is(word)) throw unexpected();
        next();
    }

    private DynamoDbError unexpected() {
        return unexpected(peek());
    }

    private static DynamoDbError unexpected(Token t) {
        if (t.kind == Kind.END) return DynamoDbError.validation(MALFORMED + "Unexpected end of statement");
        String what = t.kind == Kind.WORD ? "keyword" : "token";
        return DynamoDbError.validation(
                MALFORMED + "Unexpected " + what + " '" + t.text + "' at position " + (t.at + 1));
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n)
                        throw DynamoDbError.validation(MALFORMED + "Unterminated "
                                + (c == '\'' ? "string" : "quoted identifier") + " at position " + (start + 1));
                    char d = s.charAt(i++);
                    if (d == c) {
                        if (i < n && s.charAt(i) == c) {
                            b.append(c);
                            i++;
                            continue;
                        }
                        break;
                    }
                    b.append(d);
                }
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, b.toString(), start));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                while (i < n && Character.isDigit(s.charAt(i))) i++;
                if (i < n && s.charAt(i) == '.') {
                    i++;
                    while (i < n && Character.isDigit(s.charAt(i))) i++;
                }
                if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int save = i++;
                    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
                    if (i < n && Character.isDigit(s.charAt(i))) {
                        while (i < n && Character.isDigit(s.charAt(i))) i++;
                    } else {
                        i = save;
                    }
                }
                out.add(new Token(Kind.NUMBER, s.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$'))
                    i++;
                out.add(new Token(Kind.WORD, s.substring(start, i), start));
            } else if (c == '?') {
                i++;
                out.add(new Token(Kind.PARAM, "?", start));
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                if (two.equals("<=")
                        || two.equals(">=")
                        || two.equals("<>")
                        || two.equals("!=")
                        || two.equals("<<")
                        || two.equals(">>")) {
                    i += 2;
                    out.add(new Token(Kind.PUNCT, two, start));
                } else if ("()[]{},.:*=<>+-".indexOf(c) >= 0) {
                    i++;
                    out.add(new Token(Kind.PUNCT, String.valueOf(c), start));
                } else {
                    throw DynamoDbError.validation(
                            MALFORMED + "Unexpected character '" + c + "' at position " + (start + 1));
                }
            }
        }
        out.add(new Token(Kind.END, "", n));
        return out;
    }
}
