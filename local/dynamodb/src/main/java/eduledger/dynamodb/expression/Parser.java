package eduledger.dynamodb.expression;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser for all of DynamoDB's expression kinds.
 *
 * <p>Syntax errors are thrown at once. Every other error is recorded in a bucket while parsing goes on,
 * and once the whole text has parsed the first error of the highest-ranking bucket is reported: DynamoDB
 * validates a parsed expression in a fixed order (for a condition: redundant parentheses, unknown
 * functions, misused functions, reserved words, then undefined placeholders, operand counts, identical
 * operands and operand types), so an expression with several faults names the same one DynamoDB names.
 */
final class Parser {
    static final int MAX_EXPRESSION_BYTES = 4096;
    static final int MAX_OPERATORS = 300;
    static final int MAX_PATH_DEPTH = 32;
    static final int MAX_IN_OPERANDS = 100;

    private static final Set<String> KEYWORDS =
            Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE");
    private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");
    private static final Set<String> ORDERED_TYPES = Set.of("S", "N", "B");
    private static final Node PLACEHOLDER_NODE = item -> false;
    private static final Operand PLACEHOLDER_OPERAND = new Operand.Const(AttributeValue.Null.INSTANCE);

    enum Mode {
        CONDITION,
        KEY_CONDITION,
        UPDATE,
        PROJECTION
    }

    /** Kinds of non-syntax errors, in no particular order; {@link #ranking} orders them per mode. */
    private enum Bucket {
        PARENS,
        UNKNOWN_FUNCTION,
        MISUSED_FUNCTION,
        RESERVED,
        SECTION,
        NAME,
        VALUE,
        NAME_OR_VALUE,
        DEPTH,
        OVERLAP,
        CONFLICT,
        OPERAND,
        OPERAND_COUNT,
        DISTINCT,
        FUNCTION,
        /** The first condition (comparison or function) found faulty, with its own highest-ranking fault. */
        CONDITION
    }

    private static final Bucket[] CONDITION_RANKING = {
        Bucket.PARENS, Bucket.UNKNOWN_FUNCTION, Bucket.MISUSED_FUNCTION, Bucket.RESERVED, Bucket.CONDITION,
        Bucket.NAME_OR_VALUE, Bucket.DEPTH, Bucket.OPERAND_COUNT, Bucket.DISTINCT, Bucket.FUNCTION
    };
    private static final Bucket[] UPDATE_RANKING = {
        Bucket.RESERVED, Bucket.UNKNOWN_FUNCTION, Bucket.MISUSED_FUNCTION, Bucket.SECTION, Bucket.NAME, Bucket.VALUE,
        Bucket.DEPTH, Bucket.OVERLAP, Bucket.CONFLICT, Bucket.OPERAND, Bucket.OPERAND_COUNT, Bucket.FUNCTION
    };
    private static final Bucket[] PROJECTION_RANKING = {
        Bucket.RESERVED, Bucket.NAME, Bucket.DEPTH, Bucket.OVERLAP, Bucket.CONFLICT
    };

    private final String parameter;
    private final String source;
    private final List<Token> tokens;
    private final Placeholders placeholders;
    private final Mode mode;
    private final EnumMap<Bucket, String> errors = new EnumMap<>(Bucket.class);
    private final List<Path> targets = new ArrayList<>();
    private int pos;
    private int operators;
    /** The node the most recent parenthesized group produced, to recognise {@code ((...))}. */
    private Node lastGroup;

    private Operand lastOperandGroup;
    /** Positions of opening parentheses already found not to start a parenthesized condition. */
    private final Set<Integer> failedGroups = new HashSet<>();

    private int farthestSyntaxIndex = -1;
    private DynamoDbError farthestSyntax;

    /** Parser state to return to when a parenthesized condition turns out to be a parenthesized operand. */
    private final class Snapshot {
        private final int savedPos = pos;
        private final int savedOperators = operators;
        private final EnumMap<Bucket, String> savedErrors = new EnumMap<>(errors);
        private final Node savedGroup = lastGroup;
        private final Operand savedOperandGroup = lastOperandGroup;

        void restore() {
            pos = savedPos;
            operators = savedOperators;
            errors.clear();
            errors.putAll(savedErrors);
            lastGroup = savedGroup;
            lastOperandGroup = savedOperandGroup;
        }
    }

    Parser(String parameter, String source, Placeholders placeholders, Mode mode) {
        this.parameter = parameter;
        this.placeholders = placeholders == null ? Placeholders.none() : placeholders;
        this.mode = mode;
        if (source == null || source.isEmpty()) throw Errors.invalid(parameter, "The expression can not be empty;");
        int bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXPRESSION_BYTES) {
            // Only the two condition parameters report the size they saw.
            boolean withSize = parameter.equals("ConditionExpression") || parameter.equals("FilterExpression");
            throw Errors.invalid(
                    parameter,
                    "Expression size has exceeded the maximum allowed size;"
                            + (withSize ? " expression size: " + bytes : ""));
        }
        this.source = source;
        this.tokens = Lexer.tokenize(source);
        if (tokens.size() == 1) throw Errors.invalid(parameter, "The expression can not be empty;");
    }

    // ---------------------------------------------------------------- entry points

    Node parseConditionExpression() {
        Node node = parseOr();
        finish();
        return node;
    }

    List<Path> parseProjectionExpression() {
        List<Path> paths = new ArrayList<>();
        paths.add(target(parsePath()));
        while (peek().is(Token.Kind.COMMA)) {
            next();
            paths.add(target(parsePath()));
        }
        finish();
        return paths;
    }

    UpdatePlan parseUpdateExpression() {
        List<UpdatePlan.Action> actions = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        do {
            Token clause = next();
            String keyword = clause.is(Token.Kind.IDENT) ? clause.text().toUpperCase(Locale.ROOT) : "";
            switch (keyword) {
                case "SET", "REMOVE", "ADD", "DELETE" -> {}
                default -> throw syntax(clause);
            }
            if (!seen.add(keyword)) {
                record(
                        Bucket.SECTION,
                        "The \"" + keyword + "\" section can only be used once in an update expression;");
            }
            while (true) {
                actions.add(parseUpdateAction(keyword));
                if (!peek().is(Token.Kind.COMMA)) break;
                next();
            }
        } while (!peek().is(Token.Kind.EOF));
        finish();
        return new UpdatePlan(actions);
    }

    private UpdatePlan.Action parseUpdateAction(String keyword) {
        Path path = parsePath();
        switch (keyword) {
            case "SET": {
                expect(Token.Kind.EQ);
                Operand value = parseSetValue();
                target(path);
                return new UpdatePlan.Action(UpdatePlan.Kind.SET, path, value);
            }
            case "REMOVE":
                target(path);
                return new UpdatePlan.Action(UpdatePlan.Kind.REMOVE, path, null);
            default: {
                Token t = next();
                if (!t.is(Token.Kind.VALUE)) throw syntax(t);
                target(path);
                AttributeValue v = resolveValue(t);
                if (v != null) {
                    boolean add = keyword.equals("ADD");
                    boolean ok = v instanceof AttributeValue.StrSet
                            || v instanceof AttributeValue.NumSet
                            || v instanceof AttributeValue.BinSet
                            || (add && v instanceof AttributeValue.Num);
                    if (!ok) {
                        record(
                                Bucket.OPERAND,
                                "Incorrect operand type for operator or function; operator: " + keyword
                                        + ", operand type: " + Errors.longTypeName(v) + ", typeSet: ALLOWED_FOR_"
                                        + keyword + "_OPERAND");
                    }
                }
                Operand value = new Operand.Const(v == null ? AttributeValue.Null.INSTANCE : v);
                return new UpdatePlan.Action(
                        keyword.equals("ADD") ? UpdatePlan.Kind.ADD : UpdatePlan.Kind.DELETE, path, value);
            }
        }
    }

    /** A SET right-hand side: an operand or one sum or difference of two, either optionally parenthesized. */
    private Operand parseSetValue() {
        if (peek().is(Token.Kind.LPAREN)) {
            next();
            Operand inner = parseArithmetic();
            expect(Token.Kind.RPAREN);
            return inner;
        }
        return parseArithmetic();
    }

    private Operand parseArithmetic() {
        Operand left = parseParenthesizedOperand();
        Token t = peek();
        if (t.is(Token.Kind.PLUS) || t.is(Token.Kind.MINUS)) {
            next();
            countOperator();
            Operand right = parseParenthesizedOperand();
            for (Operand operand : List.of(left, right)) {
                String type = typeOf(operand);
                if (type != null && !type.equals("N")) {
                    record(
                            Bucket.FUNCTION,
                            "Incorrect operand type for operator or function; operator or function: " + t.text()
                                    + ", operand type: " + type);
                }
            }
            return new Operand.Arithmetic(left, right, t.is(Token.Kind.PLUS));
        }
        return left;
    }

    private Operand parseParenthesizedOperand() {
        if (peek().is(Token.Kind.LPAREN)) {
            next();
            Operand inner = parseOperand();
            expect(Token.Kind.RPAREN);
            return inner;
        }
        return parseOperand();
    }

    /** Records an update or projection path, noting the first overlap and the first conflict with an earlier one. */
    private Path target(Path path) {
        for (Path earlier : targets) {
            Path.Relation relation = Path.relation(earlier, path);
            if (relation == Path.Relation.DISJOINT) continue;
            String detail = "; must remove or rewrite one of these paths; path one: " + earlier.describe()
                    + ", path two: " + path.describe();
            if (relation == Path.Relation.CONFLICT) {
                record(Bucket.CONFLICT, "Two document paths conflict with each other" + detail);
            } else {
                record(Bucket.OVERLAP, "Two document paths overlap with each other" + detail);
                break;
            }
        }
        targets.add(path);
        return path;
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
        if (t.is(Token.Kind.LPAREN) && !failedGroups.contains(pos)) {
            // Either a parenthesized condition or a comparison whose first operand is parenthesized:
            // try the former, and on a syntax error parse again as the latter. A position that failed
            // once is never retried, so nesting cannot make this exponential.
            int start = pos;
            Snapshot snapshot = new Snapshot();
            try {
                next();
                Node inner = parseOr();
                expect(Token.Kind.RPAREN);
                if (inner == lastGroup) record(Bucket.PARENS, "The expression has redundant parentheses;");
                lastGroup = inner;
                return inner;
            } catch (DynamoDbError syntaxError) {
                failedGroups.add(start);
                snapshot.restore();
            }
        }
        Operand left;
        if (isCall(t)) {
            Call call = parseCall();
            boolean compared = isComparisonStart(peek());
            if (isPredicateName(call.name)) {
                if (!compared) return predicate(call);
                record(
                        Bucket.MISUSED_FUNCTION,
                        "The function is not allowed to be used this way in an expression; function: " + call.name);
                left = PLACEHOLDER_OPERAND;
            } else if (!compared) {
                // A value-producing call standing alone is well-formed syntax but not a condition.
                if (call.name.equals("size")) {
                    record(
                            Bucket.MISUSED_FUNCTION,
                            "The function is not allowed to be used this way in an expression; function: size");
                } else {
                    operand(call);
                }
                return PLACEHOLDER_NODE;
            } else {
                left = operand(call);
            }
        } else {
            left = parseOperand();
        }
        Token op = next();
        switch (op.kind()) {
            case EQ:
                return compare(Node.Comparator.EQ, left);
            case NE:
                return compare(Node.Comparator.NE, left);
            case LT:
                return compare(Node.Comparator.LT, left);
            case LE:
                return compare(Node.Comparator.LE, left);
            case GT:
                return compare(Node.Comparator.GT, left);
            case GE:
                return compare(Node.Comparator.GE, left);
            default:
                break;
        }
        if (op.isKeyword("BETWEEN")) {
            countOperator();
            Operand lower = parseOperand();
            Token and = next();
            if (!and.isKeyword("AND")) throw syntax(and);
            Operand upper = parseOperand();
            checkOrdered("BETWEEN", left, lower, upper);
            if (lower instanceof Operand.Const lo
                    && upper instanceof Operand.Const hi
                    && ORDERED_TYPES.contains(lo.value().type())
                    && ORDERED_TYPES.contains(hi.value().type())) {
                String bounds = "lower bound operand: AttributeValue: " + Errors.render(lo.value())
                        + ", upper bound operand: AttributeValue: " + Errors.render(hi.value());
                if (!lo.value().type().equals(hi.value().type())) {
                    record(
                            Bucket.FUNCTION,
                            "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
                } else if (Values.compare(lo.value(), hi.value()) > 0) {
                    record(
                            Bucket.FUNCTION,
                            "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                                    + bounds);
                }
            }
            return conditionDone(new Node.Between(left, lower, upper));
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
                record(
                        Bucket.FUNCTION,
                        "The IN operator is provided with too many operands; number of operands: " + candidates.size());
            }
            return conditionDone(new Node.In(left, candidates));
        }
        throw syntax(op);
    }

    private Node compare(Node.Comparator comparator, Operand left) {
        countOperator();
        Operand right = parseOperand();
        checkDistinct(comparator.symbol, left, right);
        if (comparator != Node.Comparator.EQ && comparator != Node.Comparator.NE)
            checkOrdered(comparator.symbol, left, right);
        return conditionDone(new Node.Compare(comparator, left, right));
    }

    /** Ordering operators take only strings, numbers and binaries; a constant of another type is refused up front. */
    private void checkOrdered(String operator, Operand... operands) {
        for (Operand operand : operands) {
            if (operand instanceof Operand.Const c
                    && !ORDERED_TYPES.contains(c.value().type())
                    && operand != PLACEHOLDER_OPERAND) {
                record(
                        Bucket.FUNCTION,
                        "Incorrect operand type for operator or function; operator or function: " + operator
                                + ", operand type: " + c.value().type());
            }
        }
    }

    private void checkDistinct(String operator, Operand first, Operand second) {
        if (first instanceof Operand.PathRef a
                && second instanceof Operand.PathRef b
                && a.path().equals(b.path())) {
            record(
                    Bucket.DISTINCT,
                    "The first operand must be distinct from the remaining operands for this operator or function; operator: "
                            + operator + ", first operand: " + a.path().describe());
        }
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

    private record Call(String name, List<Operand> args) {}

    private boolean isCall(Token t) {
        return t.is(Token.Kind.IDENT) && peekAt(1).is(Token.Kind.LPAREN) && !isKeyword(t);
    }

    private Call parseCall() {
        Token nameToken = next();
        next(); // (
        countOperator();
        List<Operand> args = new ArrayList<>();
        args.add(parseOperand());
        while (peek().is(Token.Kind.COMMA)) {
            next();
            args.add(parseOperand());
        }
        expect(Token.Kind.RPAREN);
        return new Call(nameToken.text(), args);
    }

    private Operand parseOperand() {
        Token t = peek();
        if (t.is(Token.Kind.LPAREN)) {
            next();
            Operand inner = parseOperand();
            expect(Token.Kind.RPAREN);
            if (inner == lastOperandGroup && mode != Mode.UPDATE) {
                record(Bucket.PARENS, "The expression has redundant parentheses;");
            }
            lastOperandGroup = inner;
            return inner;
        }
        if (t.is(Token.Kind.VALUE)) {
            next();
            AttributeValue v = resolveValue(t);
            return v == null ? PLACEHOLDER_OPERAND : new Operand.Const(v);
        }
        if (isCall(t)) {
            Call call = parseCall();
            if (isPredicateName(call.name)) {
                if (mode == Mode.UPDATE) {
                    record(
                            Bucket.UNKNOWN_FUNCTION,
                            "The function is not allowed in an update expression; function: " + call.name);
                } else {
                    record(
                            Bucket.MISUSED_FUNCTION,
                            "The function is not allowed to be used this way in an expression; function: " + call.name);
                }
                return PLACEHOLDER_OPERAND;
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

    /** The type a constant or size() operand is known to have before evaluation, else null. */
    private static String typeOf(Operand operand) {
        if (operand == PLACEHOLDER_OPERAND) return null;
        if (operand instanceof Operand.Const c) return c.value().type();
        if (operand instanceof Operand.Size || operand instanceof Operand.Arithmetic) return "N";
        if (operand instanceof Operand.ListAppend) return "L";
        return null;
    }

    /** A predicate call (the name is one of the five condition functions). */
    private Node predicate(Call call) {
        List<Operand> args = call.args;
        switch (call.name) {
            case "attribute_exists":
            case "attribute_not_exists": {
                if (!arity(call, 1)) return conditionDone(PLACEHOLDER_NODE);
                if (!(args.get(0) instanceof Operand.PathRef p)) {
                    record(
                            Bucket.FUNCTION,
                            "Operator or function requires a document path; operator or function: " + call.name);
                    return conditionDone(PLACEHOLDER_NODE);
                }
                return conditionDone(new Node.Exists(p.path(), call.name.equals("attribute_exists")));
            }
            case "attribute_type": {
                if (!arity(call, 2)) return conditionDone(PLACEHOLDER_NODE);
                checkDistinct(call.name, args.get(0), args.get(1));
                String type = typeOf(args.get(1));
                if (args.get(1) == PLACEHOLDER_OPERAND) {
                    type = "S";
                } else if (type == null) {
                    type = "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}";
                }
                if (!type.equals("S")) {
                    operandType(call.name, type);
                } else if (args.get(1) instanceof Operand.Const c
                        && c != PLACEHOLDER_OPERAND
                        && !TYPE_NAMES.contains(((AttributeValue.Str) c.value()).value())) {
                    record(
                            Bucket.FUNCTION,
                            "Invalid attribute type name found; type: " + ((AttributeValue.Str) c.value()).value()
                                    + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
                }
                return conditionDone(new Node.AttributeType(args.get(0), args.get(1)));
            }
            case "begins_with": {
                if (!arity(call, 2)) return conditionDone(PLACEHOLDER_NODE);
                checkDistinct(call.name, args.get(0), args.get(1));
                for (Operand arg : args) {
                    String type = typeOf(arg);
                    if (type != null && !type.equals("S") && !type.equals("B")) operandType(call.name, type);
                }
                return conditionDone(new Node.BeginsWith(args.get(0), args.get(1)));
            }
            default: {
                if (!arity(call, 2)) return conditionDone(PLACEHOLDER_NODE);
                checkDistinct(call.name, args.get(0), args.get(1));
                return conditionDone(new Node.Contains(args.get(0), args.get(1)));
            }
        }
    }

    /** A value-producing call: size() in conditions, if_not_exists() and list_append() in updates. */
    private Operand operand(Call call) {
        List<Operand> args = call.args;
        switch (call.name) {
            case "size": {
                if (mode == Mode.UPDATE) {
                    record(
                            Bucket.UNKNOWN_FUNCTION,
                            "The function is not allowed in an update expression; function: size");
                    return PLACEHOLDER_OPERAND;
                }
                if (!arity(call, 1)) return PLACEHOLDER_OPERAND;
                String type = typeOf(args.get(0));
                if (type != null && (type.equals("N") || type.equals("BOOL") || type.equals("NULL")))
                    operandType(call.name, type);
                return new Operand.Size(args.get(0));
            }
            case "if_not_exists": {
                if (mode != Mode.UPDATE) {
                    record(
                            Bucket.UNKNOWN_FUNCTION,
                            "The function is not allowed in a condition expression; function: if_not_exists");
                    return PLACEHOLDER_OPERAND;
                }
                if (!arity(call, 2)) return PLACEHOLDER_OPERAND;
                if (!(args.get(0) instanceof Operand.PathRef p)) {
                    record(
                            Bucket.FUNCTION,
                            "Operator or function requires a document path; operator or function: if_not_exists");
                    return PLACEHOLDER_OPERAND;
                }
                return new Operand.IfNotExists(p.path(), args.get(1));
            }
            case "list_append": {
                if (mode != Mode.UPDATE) {
                    record(
                            Bucket.UNKNOWN_FUNCTION,
                            "The function is not allowed in a condition expression; function: list_append");
                    return PLACEHOLDER_OPERAND;
                }
                if (!arity(call, 2)) return PLACEHOLDER_OPERAND;
                for (Operand arg : args) {
                    String type = typeOf(arg);
                    if (type != null && !type.equals("L")) operandType(call.name, type);
                }
                return new Operand.ListAppend(args.get(0), args.get(1));
            }
            default:
                record(Bucket.UNKNOWN_FUNCTION, "Invalid function name; function: " + call.name);
                return PLACEHOLDER_OPERAND;
        }
    }

    private boolean arity(Call call, int expected) {
        if (call.args.size() == expected) return true;
        record(
                Bucket.OPERAND_COUNT,
                "Incorrect number of operands for operator or function; operator or function: " + call.name
                        + ", number of operands: " + call.args.size());
        return false;
    }

    private void operandType(String function, String type) {
        record(
                Bucket.FUNCTION,
                "Incorrect operand type for operator or function; operator or function: " + function
                        + ", operand type: " + type);
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
            record(Bucket.DEPTH, "The document path has too many nesting levels; nesting levels: " + elements.size());
        }
        return new Path(elements);
    }

    private String pathName(Token t) {
        if (t.is(Token.Kind.IDENT) && !isKeyword(t)) {
            if (ReservedWords.isReserved(t.text())) {
                record(Bucket.RESERVED, "Attribute name is a reserved keyword; reserved keyword: " + t.text());
            }
            return t.text();
        }
        if (t.is(Token.Kind.NAME)) {
            String name = placeholders.name(t.text());
            if (name == null) {
                record(
                        mode == Mode.CONDITION || mode == Mode.KEY_CONDITION ? Bucket.NAME_OR_VALUE : Bucket.NAME,
                        "An expression attribute name used in the document path is not defined; attribute name: "
                                + t.text());
                return t.text();
            }
            return name;
        }
        throw syntax(t);
    }

    private AttributeValue resolveValue(Token t) {
        AttributeValue v = placeholders.value(t.text());
        if (v == null) {
            record(
                    mode == Mode.CONDITION || mode == Mode.KEY_CONDITION ? Bucket.NAME_OR_VALUE : Bucket.VALUE,
                    "An expression attribute value used in expression is not defined; attribute value: " + t.text());
        }
        return v;
    }

    // ---------------------------------------------------------------- tokens and errors

    private boolean isKeyword(Token t) {
        return t.is(Token.Kind.IDENT) && KEYWORDS.contains(t.text().toUpperCase(Locale.ROOT));
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

    /** The per-condition faults, in the order DynamoDB ranks them within one condition. */
    private static final Bucket[] PER_CONDITION = {
        Bucket.NAME_OR_VALUE, Bucket.DEPTH, Bucket.OPERAND_COUNT, Bucket.DISTINCT, Bucket.FUNCTION
    };

    /**
     * Called as each condition completes: DynamoDB reports the first faulty condition of the
     * expression, and within it the highest-ranking fault seen so far.
     */
    private Node conditionDone(Node node) {
        if (!errors.containsKey(Bucket.CONDITION)) {
            for (Bucket bucket : PER_CONDITION) {
                String detail = errors.get(bucket);
                if (detail != null) {
                    errors.put(Bucket.CONDITION, detail);
                    break;
                }
            }
        }
        return node;
    }

    private void record(Bucket bucket, String detail) {
        errors.putIfAbsent(bucket, detail);
    }

    private void finish() {
        Token t = peek();
        if (!t.is(Token.Kind.EOF)) throw syntax(t);
        if (operators > MAX_OPERATORS) {
            throw Errors.invalid(parameter, "The expression contains too many operators; operator count: " + operators);
        }
        if (errors.isEmpty()) return;
        Bucket[] ranking =
                mode == Mode.UPDATE ? UPDATE_RANKING : mode == Mode.PROJECTION ? PROJECTION_RANKING : CONDITION_RANKING;
        for (Bucket bucket : ranking) {
            String detail = errors.get(bucket);
            if (detail != null) throw Errors.invalid(parameter, detail);
        }
        throw Errors.invalid(parameter, errors.values().iterator().next());
    }

    /**
     * DynamoDB names the offending token and quotes the source around it: from the token before it
     * through the token after it (or, at the end of input, through the end of the text).
     */
    private DynamoDbError syntax(Token t) {
        int index = tokens.indexOf(t);
        // After an abandoned parse of a parenthesized condition, the fault found farthest in is the one to name.
        if (index < farthestSyntaxIndex) return farthestSyntax;
        int start = index > 0 ? tokens.get(index - 1).start() : t.start();
        int end;
        if (t.is(Token.Kind.EOF)) {
            end = source.length();
        } else {
            Token following = tokens.get(index + 1);
            end = following.is(Token.Kind.EOF) ? t.end() : following.end();
        }
        String token = t.is(Token.Kind.EOF) ? "<EOF>" : t.text();
        farthestSyntaxIndex = index;
        farthestSyntax = Errors.invalid(
                parameter, "Syntax error; token: \"" + token + "\", near: \"" + source.substring(start, end) + "\"");
        return farthestSyntax;
    }
}
