package eduledger.dynamodb.expression;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for all of DynamoDB's expression kinds. Syntax errors are thrown at once;
 * semantic errors (reserved words, undefined placeholders, misused functions, ...) are collected while
 * parsing and the first of each kind is reported once the whole text has parsed, as DynamoDB does.
 */
final class Parser {
    static final int MAX_EXPRESSION_BYTES = 4096;
    static final int MAX_OPERATORS = 300;
    static final int MAX_PATH_DEPTH = 32;
    static final int MAX_IN_OPERANDS = 100;

    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE");
    private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");

    enum Mode { CONDITION, KEY_CONDITION, UPDATE, PROJECTION }

    private final String parameter;
    private final String source;
    private final List<Token> tokens;
    private final Placeholders placeholders;
    private final Mode mode;
    private int pos;
    private int operators;

    private DynamoDbError reservedWord;
    private DynamoDbError undefinedName;
    private DynamoDbError undefinedValue;
    private DynamoDbError semantic;

    Parser(String parameter, String source, Placeholders placeholders, Mode mode) {
        this.parameter = parameter;
        this.placeholders = placeholders == null ? Placeholders.none() : placeholders;
        this.mode = mode;
        if (source == null || source.isEmpty()) throw Errors.invalid(parameter, "The expression can not be empty;");
        int bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXPRESSION_BYTES) {
            throw Errors.invalid(parameter, "Expression size has exceeded the maximum allowed size; expression size: " + bytes);
        }
        this.source = source;
        this.tokens = Lexer.tokenize(source);
        if (tokens.size() == 1) throw Errors.invalid(parameter, "The expression can not be empty;");
    }

    String parameter() {
        return parameter;
    }

    // ---------------------------------------------------------------- entry points

    Node parseConditionExpression() {
        Node node = parseOr();
        finish();
        return node;
    }

    List<Path> parseProjectionExpression() {
        List<Path> paths = new ArrayList<>();
        paths.add(parsePath());
        while (peek().is(Token.Kind.COMMA)) {
            next();
            paths.add(parsePath());
        }
        finish();
        return paths;
    }

    UpdatePlan parseUpdateExpression() {
        List<UpdatePlan.Action> actions = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        do {
            Token clause = next();
            String keyword = clause.is(Token.Kind.IDENT) ? clause.text().toUpperCase(java.util.Locale.ROOT) : "";
            switch (keyword) {
                case "SET", "REMOVE", "ADD", "DELETE" -> {
                }
                default -> throw syntax(clause);
            }
            if (!seen.add(keyword)) {
                semantic("The \"" + keyword + "\" section can only be used once in an update expression;");
            }
            do {
                actions.add(parseUpdateAction(keyword));
                if (!peek().is(Token.Kind.COMMA)) break;
                next();
            } while (true);
        } while (!peek().is(Token.Kind.EOF));
        finish();
        List<Path> paths = new ArrayList<>(actions.size());
        for (UpdatePlan.Action action : actions) paths.add(action.path());
        Path.checkDisjoint(parameter, paths);
        return new UpdatePlan(actions);
    }

    private UpdatePlan.Action parseUpdateAction(String keyword) {
        Path path = parsePath();
        switch (keyword) {
            case "SET": {
                expect(Token.Kind.EQ);
                Operand value = parseSetValue();
                return new UpdatePlan.Action(UpdatePlan.Kind.SET, path, value);
            }
            case "REMOVE":
                return new UpdatePlan.Action(UpdatePlan.Kind.REMOVE, path, null);
            default: {
                Token t = next();
                if (!t.is(Token.Kind.VALUE)) throw syntax(t);
                AttributeValue v = resolveValue(t);
                if (v != null) {
                    boolean add = keyword.equals("ADD");
                    boolean ok = v instanceof AttributeValue.StrSet || v instanceof AttributeValue.NumSet || v instanceof AttributeValue.BinSet
                            || (add && v instanceof AttributeValue.Num);
                    if (!ok) {
                        semantic("Incorrect operand type for operator or function; operator: " + keyword + ", operand type: "
                                + Errors.longTypeName(v) + ", typeSet: ALLOWED_FOR_" + keyword + "_OPERAND");
                    }
                }
                Operand value = new Operand.Const(v == null ? AttributeValue.Null.INSTANCE : v);
                return new UpdatePlan.Action(keyword.equals("ADD") ? UpdatePlan.Kind.ADD : UpdatePlan.Kind.DELETE, path, value);
            }
        }
    }

    private Operand parseSetValue() {
        Operand left = parseOperand();
        Token t = peek();
        if (t.is(Token.Kind.PLUS) || t.is(Token.Kind.MINUS)) {
            next();
            countOperator();
            Operand right = parseOperand();
            checkArithmeticOperand(left, t.text());
            checkArithmeticOperand(right, t.text());
            return new Operand.Arithmetic(left, right, t.is(Token.Kind.PLUS));
        }
        return left;
    }

    private void checkArithmeticOperand(Operand operand, String operator) {
        if (operand instanceof Operand.Const c && !(c.value() instanceof AttributeValue.Num)) {
            semantic("Incorrect operand type for operator or function; operator or function: " + operator + ", operand type: " + c.value().type());
        }
    }

    // ---------------------------------------------------------------- conditions

    private Node parseOr() {
        Node left = parseAnd();
        while (peek().isKeyword("OR")) {
            next();
            countOperator();
            left = new Node.Or(left, parseAnd());
        }
        return left;
    }

    private Node parseAnd() {
        Node left = parseNot();
        while (peek().isKeyword("AND")) {
            next();
            countOperator();
            left = new Node.And(left, parseNot());
        }
        return left;
    }

    private Node parseNot() {
        if (peek().isKeyword("NOT")) {
            next();
            countOperator();
            return new Node.Not(parseNot());
        }
        return parsePrimary();
    }

    private Node parsePrimary() {
        Token t = peek();
        if (t.is(Token.Kind.LPAREN)) {
            next();
            Node inner = parseOr();
            expect(Token.Kind.RPAREN);
            return inner;
        }
        Operand left;
        if (t.is(Token.Kind.IDENT) && peekAt(1).is(Token.Kind.LPAREN) && !isKeyword(t)) {
            Call call = parseCall();
            Node predicate = predicate(call);
            if (predicate != null) {
                if (isComparisonStart(peek())) {
                    semantic("The function is not allowed to be used this way in an expression; function: " + call.name);
                    next();
                    parseOperand();
                }
                return predicate;
            }
            if (!isComparisonStart(peek())) {
                // A value-producing call standing alone is well-formed syntax but not a condition.
                if (call.name.equals("size")) {
                    semantic("The function is not allowed to be used this way in an expression; function: size");
                } else {
                    operand(call);
                }
                return new Node.Exists(new Path("_"), true);
            }
            left = operand(call);
        } else {
            left = parseOperand();
        }
        Token op = next();
        switch (op.kind()) {
            case EQ: return compare(Node.Comparator.EQ, left);
            case NE: return compare(Node.Comparator.NE, left);
            case LT: return compare(Node.Comparator.LT, left);
            case LE: return compare(Node.Comparator.LE, left);
            case GT: return compare(Node.Comparator.GT, left);
            case GE: return compare(Node.Comparator.GE, left);
            default:
                break;
        }
        if (op.isKeyword("BETWEEN")) {
            countOperator();
            Operand lower = parseOperand();
            Token and = next();
            if (!and.isKeyword("AND")) throw syntax(and);
            Operand upper = parseOperand();
            if (lower instanceof Operand.Const lo && upper instanceof Operand.Const hi
                    && eduledger.dynamodb.value.Values.comparable(lo.value(), hi.value())
                    && eduledger.dynamodb.value.Values.compare(lo.value(), hi.value()) > 0) {
                semantic("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                        + Errors.render(lo.value()) + ", upper bound operand: AttributeValue: " + Errors.render(hi.value()));
            }
            return new Node.Between(left, lower, upper);
        }
        if (op.isKeyword("IN")) {
            countOperator();
            expect(Token.Kind.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            candidates.add(parseOperand());
            while (peek().is(Token.Kind.COMMA)) {
                next();
                candidates.add(parseOperand());
            }
            expect(Token.Kind.RPAREN);
            if (candidates.size() > MAX_IN_OPERANDS) {
                semantic("The IN operator is provided with too many operands; number of operands: " + candidates.size());
            }
            return new Node.In(left, candidates);
        }
        throw syntax(op);
    }

    private Node compare(Node.Comparator comparator, Operand left) {
        countOperator();
        Operand right = parseOperand();
        if (left.equals(right) && !(left instanceof Operand.Const)) {
            semantic("The first operand must be distinct from the remaining operands for this operator or function; operator: "
                    + comparator.symbol + ", first operand: " + describe(left));
        }
        return new Node.Compare(comparator, left, right);
    }

    private static String describe(Operand operand) {
        if (operand instanceof Operand.PathRef p) return p.path().describe();
        if (operand instanceof Operand.Size s) return "size(" + s.path().describe() + ")";
        return operand.toString();
    }

    private static boolean isComparisonStart(Token t) {
        switch (t.kind()) {
            case EQ, NE, LT, LE, GT, GE:
                return true;
            default:
                return t.isKeyword("BETWEEN") || t.isKeyword("IN");
        }
    }

    // ---------------------------------------------------------------- operands and functions

    private record Call(String name, List<Operand> args) {
    }

    /** A function call whose arguments are operands; nested calls are resolved as operands. */
    private Call parseCall() {
        Token nameToken = next();
        next(); // (
        countOperator();
        List<Operand> args = new ArrayList<>();
        if (!peek().is(Token.Kind.RPAREN)) {
            args.add(parseOperand());
            while (peek().is(Token.Kind.COMMA)) {
                next();
                args.add(parseOperand());
            }
        }
        expect(Token.Kind.RPAREN);
        return new Call(nameToken.text(), args);
    }

    private Operand parseOperand() {
        Token t = peek();
        if (t.is(Token.Kind.VALUE)) {
            next();
            AttributeValue v = resolveValue(t);
            return new Operand.Const(v == null ? AttributeValue.Null.INSTANCE : v);
        }
        if (t.is(Token.Kind.IDENT) && peekAt(1).is(Token.Kind.LPAREN) && !isKeyword(t)) {
            Call call = parseCall();
            if (isPredicateName(call.name)) {
                semantic("The function is not allowed to be used this way in an expression; function: " + call.name);
                return new Operand.Const(AttributeValue.Null.INSTANCE);
            }
            return operand(call);
        }
        return new Operand.PathRef(parsePath());
    }

    private static boolean isPredicateName(String name) {
        switch (name) {
            case "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains":
                return true;
            default:
                return false;
        }
    }

    /** The call as a condition, or null when the function yields a value instead. */
    private Node predicate(Call call) {
        if (!isPredicateName(call.name)) return null;
        if (mode == Mode.UPDATE || mode == Mode.PROJECTION) {
            semantic("The function is not allowed in an update expression; function: " + call.name);
            return new Node.Exists(new Path("_"), true);
        }
        List<Operand> args = call.args;
        switch (call.name) {
            case "attribute_exists":
            case "attribute_not_exists": {
                if (!arity(call, 1)) return new Node.Exists(new Path("_"), true);
                Path path = requirePath(call, args.get(0));
                return new Node.Exists(path == null ? new Path("_") : path, call.name.equals("attribute_exists"));
            }
            case "attribute_type": {
                if (!arity(call, 2)) return new Node.Exists(new Path("_"), true);
                Path path = requirePath(call, args.get(0));
                if (args.get(1) instanceof Operand.Const c) {
                    if (!(c.value() instanceof AttributeValue.Str s)) {
                        operandType(call.name, c.value());
                    } else if (!TYPE_NAMES.contains(s.value())) {
                        semantic("Invalid attribute type name found; type: " + s.value() + ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
                    }
                }
                return new Node.AttributeType(path == null ? new Path("_") : path, args.get(1));
            }
            case "begins_with": {
                if (!arity(call, 2)) return new Node.Exists(new Path("_"), true);
                for (Operand arg : args) {
                    if (arg instanceof Operand.Const c && !(c.value() instanceof AttributeValue.Str) && !(c.value() instanceof AttributeValue.Bin)) {
                        operandType(call.name, c.value());
                    }
                }
                return new Node.BeginsWith(args.get(0), args.get(1));
            }
            default: {
                if (!arity(call, 2)) return new Node.Exists(new Path("_"), true);
                return new Node.Contains(args.get(0), args.get(1));
            }
        }
    }

    /** The call as a value-producing operand. */
    private Operand operand(Call call) {
        Operand dummy = new Operand.Const(AttributeValue.Null.INSTANCE);
        List<Operand> args = call.args;
        switch (call.name) {
            case "size": {
                if (mode == Mode.UPDATE) {
                    semantic("The function is not allowed in an update expression; function: size");
                    return dummy;
                }
                if (!arity(call, 1)) return dummy;
                Path path = requirePath(call, args.get(0));
                return path == null ? dummy : new Operand.Size(path);
            }
            case "if_not_exists": {
                if (mode != Mode.UPDATE) {
                    semantic("The function is not allowed in a condition expression; function: if_not_exists");
                    return dummy;
                }
                if (!arity(call, 2)) return dummy;
                Path path = requirePath(call, args.get(0));
                return path == null ? dummy : new Operand.IfNotExists(path, args.get(1));
            }
            case "list_append": {
                if (mode != Mode.UPDATE) {
                    semantic("The function is not allowed in a condition expression; function: list_append");
                    return dummy;
                }
                if (!arity(call, 2)) return dummy;
                for (Operand arg : args) {
                    if (arg instanceof Operand.Const c && !(c.value() instanceof AttributeValue.ListValue)) operandType(call.name, c.value());
                }
                return new Operand.ListAppend(args.get(0), args.get(1));
            }
            default:
                semantic("Invalid function name; function: " + call.name);
                return dummy;
        }
    }

    private boolean arity(Call call, int expected) {
        if (call.args.size() == expected) return true;
        semantic("Incorrect number of operands for operator or function; operator or function: " + call.name
                + ", number of operands: " + call.args.size());
        return false;
    }

    private Path requirePath(Call call, Operand operand) {
        if (operand instanceof Operand.PathRef p) return p.path();
        semantic("Operator or function requires a document path; operator or function: " + call.name);
        return null;
    }

    private void operandType(String function, AttributeValue value) {
        semantic("Incorrect operand type for operator or function; operator or function: " + function + ", operand type: " + value.type());
    }

    // ---------------------------------------------------------------- paths and placeholders

    Path parsePath() {
        List<Object> elements = new ArrayList<>(4);
        elements.add(pathName(next()));
        while (true) {
            Token t = peek();
            if (t.is(Token.Kind.DOT)) {
                next();
                elements.add(pathName(next()));
            } else if (t.is(Token.Kind.LBRACKET)) {
                next();
                Token index = next();
                if (!index.is(Token.Kind.NUMBER)) throw syntax(index);
                int value;
                try {
                    value = Integer.parseInt(index.text());
                } catch (NumberFormatException e) {
                    throw syntax(index);
                }
                expect(Token.Kind.RBRACKET);
                elements.add(value);
            } else {
                break;
            }
        }
        if (elements.size() > MAX_PATH_DEPTH) {
            semantic("The document path has too many nesting levels; nesting levels: " + elements.size());
        }
        return new Path(elements);
    }

    private String pathName(Token t) {
        if (t.is(Token.Kind.IDENT) && !isKeyword(t)) {
            if (ReservedWords.isReserved(t.text()) && reservedWord == null) {
                reservedWord = Errors.invalid(parameter, "Attribute name is a reserved keyword; reserved keyword: " + t.text());
            }
            return t.text();
        }
        if (t.is(Token.Kind.NAME)) {
            String name = placeholders.name(t.text());
            if (name == null) {
                if (undefinedName == null) {
                    undefinedName = Errors.invalid(parameter, "An expression attribute name used in the document path is not defined; attribute name: " + t.text());
                }
                return t.text();
            }
            return name;
        }
        throw syntax(t);
    }

    private AttributeValue resolveValue(Token t) {
        AttributeValue v = placeholders.value(t.text());
        if (v == null && undefinedValue == null) {
            undefinedValue = Errors.invalid(parameter, "An expression attribute value used in expression is not defined; attribute value: " + t.text());
        }
        return v;
    }

    // ---------------------------------------------------------------- tokens and errors

    private boolean isKeyword(Token t) {
        return t.is(Token.Kind.IDENT) && KEYWORDS.contains(t.text().toUpperCase(java.util.Locale.ROOT));
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (pos < tokens.size() - 1) pos++;
        return t;
    }

    private void expect(Token.Kind kind) {
        Token t = next();
        if (!t.is(kind)) throw syntax(t);
    }

    private void countOperator() {
        operators++;
    }

    private void semantic(String detail) {
        if (semantic == null) semantic = Errors.invalid(parameter, detail);
    }

    private void finish() {
        Token t = peek();
        if (!t.is(Token.Kind.EOF)) throw syntax(t);
        if (operators > MAX_OPERATORS) {
            throw Errors.invalid(parameter, "The expression contains too many operators; operator count: " + operators);
        }
        if (reservedWord != null) throw reservedWord;
        if (undefinedName != null) throw undefinedName;
        if (undefinedValue != null) throw undefinedValue;
        if (semantic != null) throw semantic;
    }

    /** DynamoDB reports the offending token and the text around it: the token before it and the token itself. */
    private DynamoDbError syntax(Token t) {
        int index = tokens.indexOf(t);
        String near;
        if (t.is(Token.Kind.EOF)) {
            Token previous = index > 0 ? tokens.get(index - 1) : t;
            near = source.substring(previous.start(), previous.end());
            return Errors.invalid(parameter, "Syntax error; token: \"<EOF>\", near: \"" + near + "\"");
        }
        if (index > 0) {
            near = source.substring(tokens.get(index - 1).start(), t.end());
        } else {
            Token following = tokens.get(index + 1);
            near = source.substring(t.start(), following.is(Token.Kind.EOF) ? t.end() : following.end());
        }
        return Errors.invalid(parameter, "Syntax error; token: \"" + t.text() + "\", near: \"" + near + "\"");
    }
}
