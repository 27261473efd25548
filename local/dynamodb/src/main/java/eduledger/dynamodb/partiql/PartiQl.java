package eduledger.dynamodb.partiql;

import eduledger.dynamodb.error.DynamoDbError;
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
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.wire.Codec;
import eduledger.dynamodb.wire.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. Each statement is translated into the
 * engine's own request (GetItem, Query, Scan, PutItem, UpdateItem, DeleteItem, TransactWriteItems,
 * TransactGetItems) with its WHERE clause, SET list and projection written as DynamoDB expressions, so
 * reads, writes, conditions, validation and errors have exactly the semantics of those operations.
 */
public final class PartiQl {
    private static final Set<String> OPERATIONS =
            Set.of("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction");
    private static final String DUPLICATE = "Duplicate primary key exists in table";
    private static final String KEY_REQUIRED =
            "Where clause does not contain a mandatory equality on all key attributes";

    /** The engine's request dispatch: an operation name and its request body, answered with the response. */
    public interface Engine {
        Map<String, Object> call(String operation, Map<String, Object> body);
    }

    private final Engine engine;

    private PartiQl(Engine engine) {
        this.engine = engine;
    }

    public static boolean handles(String operation) {
        return OPERATIONS.contains(operation);
    }

    public static Map<String, Object> handle(String operation, Object body, Engine engine) {
        if (body != null && !(body instanceof Map))
            throw Codec.serialization("Start of structure or map found where not expected");
        @SuppressWarnings("unchecked")
        Map<String, Object> request = body == null ? new LinkedHashMap<>() : (Map<String, Object>) body;
        PartiQl p = new PartiQl(engine);
        switch (operation) {
            case "ExecuteStatement":
                return p.executeStatement(request);
            case "BatchExecuteStatement":
                return p.batch(request);
            default:
                return p.transaction(request);
        }
    }

    // ---------------------------------------------------------------- ExecuteStatement

    private Map<String, Object> executeStatement(Map<String, Object> req) {
        List<String> errors = new ArrayList<>();
        String text = statementText(req.get("Statement"), "statement", errors);
        List<Object> parameters = parameters(req.get("Parameters"), "parameters", errors);
        Object limitRaw = req.get("Limit");
        Integer limit = null;
        if (limitRaw != null) {
            if (!(limitRaw instanceof BigDecimal d))
                throw Codec.serialization("STRING_VALUE can not be converted to an Integer");
            limit = d.signum() < 0 || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
                    ? Integer.MIN_VALUE
                    : d.intValue();
            if (limit < 1)
                errors.add(
                        "Value '" + d.toPlainString()
                                + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        String rvoccf = string(req, "ReturnValuesOnConditionCheckFailure");
        if (rvoccf != null && !rvoccf.equals("ALL_OLD") && !rvoccf.equals("NONE"))
            errors.add(
                    "Value '" + rvoccf
                            + "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]");
        check(errors);
        Statement s = StatementParser.parse(text, parameters);
        if (s instanceof Ast.Select sel) return select(sel, req, limit);
        if (s instanceof Ast.Exists)
            throw DynamoDbError.validation("EXISTS is only supported inside ExecuteTransaction");
        Write w = write(s, rvoccf);
        copy(req, w.body, "ReturnConsumedCapacity");
        Map<String, Object> out = run(w);
        LinkedHashMap<String, Object> response = new LinkedHashMap<>();
        if (w.returning) {
            Object attrs = out.get("Attributes");
            List<Object> items = new ArrayList<>();
            if (attrs != null) items.add(attrs);
            response.put("Items", items);
        }
        copy(out, response, "ConsumedCapacity");
        return response;
    }

    /**
     * A SELECT is a Query per partition its WHERE names ({@code pk = v}, or {@code pk IN (...)} for
     * several, read one after the other) or else a Scan. NextToken carries which partition to go on
     * with and the key to go on from.
     */
    private Map<String, Object> select(Ast.Select sel, Map<String, Object> req, Integer limit) {
        Schema schema = schema(sel.target());
        List<Expr> terms = terms(sel.where());
        List<Expr> partitions = null;
        Expr rangeTerm = null;
        List<Expr> rest = null;
        Expr keyTerm = keyEquality(terms, schema.hash);
        if (keyTerm == null) keyTerm = keyIn(terms, schema.hash);
        if (keyTerm != null) {
            rest = new ArrayList<>(terms);
            rest.remove(keyTerm);
            rangeTerm = schema.range == null ? null : rangeCondition(rest, schema.range);
            if (rangeTerm != null) rest.remove(rangeTerm);
            // A filter may not name the key attributes of what it queries; such a WHERE is a Scan.
            boolean keyInFilter = false;
            for (Expr t : rest)
                keyInFilter |= mentions(t, schema.hash) || (schema.range != null && mentions(t, schema.range));
            if (!keyInFilter) {
                partitions = new ArrayList<>();
                if (keyTerm instanceof In in) {
                    List<Object> seen = new ArrayList<>();
                    for (Expr v : in.values()) {
                        if (seen.contains(((Lit) v).wire())) continue;
                        seen.add(((Lit) v).wire());
                        partitions.add(new Binary("=", in.operand(), v));
                    }
                } else {
                    partitions.add(keyTerm);
                }
            }
        }
        if (sel.orderBy() != null) {
            if (partitions == null)
                throw DynamoDbError.validation("Must have WHERE clause in the statement when using ORDER BY clause.");
            if (!sel.orderBy().isTopLevel()
                    || !(sel.orderBy().first().equals(schema.range)
                            || sel.orderBy().first().equals(schema.hash)))
                throw DynamoDbError.validation(
                        "ORDER BY is supported only on the key attributes of the table or index: "
                                + sel.orderBy().first());
        }
        Token token = req.get("NextToken") == null ? new Token(0, null) : decodeToken(req.get("NextToken"));
        LinkedHashMap<String, Object> response = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        response.put("Items", items);
        if (partitions == null) {
            Map<String, Object> body = readBody(sel, null, null, null, req);
            if (limit != null) body.put("Limit", BigDecimal.valueOf(limit));
            if (token.key != null) body.put("ExclusiveStartKey", token.key);
            Map<String, Object> out = engine.call("Scan", body);
            collect(out, sel, items);
            Object lek = out.get("LastEvaluatedKey");
            if (lek != null) {
                response.put("NextToken", encodeToken(0, lek));
                response.put("LastEvaluatedKey", lek);
            }
            copy(out, response, "ConsumedCapacity");
            return response;
        }
        if (token.partition >= partitions.size()) throw DynamoDbError.validation("The NextToken provided is not valid");
        long scanned = 0;
        for (int i = token.partition; i < partitions.size(); i++) {
            Map<String, Object> body = readBody(sel, partitions.get(i), rangeTerm, rest, req);
            if (limit != null) body.put("Limit", BigDecimal.valueOf(limit - scanned));
            if (i == token.partition && token.key != null) body.put("ExclusiveStartKey", token.key);
            Map<String, Object> out = engine.call("Query", body);
            collect(out, sel, items);
            copy(out, response, "ConsumedCapacity");
            if (out.get("ScannedCount") instanceof Number n) scanned += n.longValue();
            Object lek = out.get("LastEvaluatedKey");
            if (lek != null) {
                response.put("NextToken", encodeToken(i, lek));
                response.put("LastEvaluatedKey", lek);
                break;
            }
            if (limit != null && scanned >= limit && i + 1 < partitions.size()) {
                response.put("NextToken", encodeToken(i + 1, null));
                break;
            }
        }
        return response;
    }

    /** One Query (for a partition's key term) or the Scan (when {@code hashTerm} is null) of a SELECT. */
    private static Map<String, Object> readBody(
            Ast.Select sel, Expr hashTerm, Expr rangeTerm, List<Expr> rest, Map<String, Object> req) {
        Renderer r = new Renderer();
        LinkedHashMap<String, Object> body = new LinkedHashMap<>();
        body.put("TableName", sel.target().table());
        if (sel.target().index() != null) body.put("IndexName", sel.target().index());
        if (hashTerm != null) {
            List<Expr> key = new ArrayList<>();
            key.add(hashTerm);
            if (rangeTerm != null) key.add(rangeTerm);
            body.put("KeyConditionExpression", keyCondition(r, key));
            String filter = r.conjunction(rest);
            if (filter != null) body.put("FilterExpression", filter);
            if (sel.orderBy() != null) body.put("ScanIndexForward", !sel.descending());
        } else if (sel.where() != null) {
            body.put("FilterExpression", r.expr(sel.where()));
        }
        if (sel.projection() != null) body.put("ProjectionExpression", projection(r, sel.projection()));
        r.into(body);
        copy(req, body, "ConsistentRead");
        copy(req, body, "ReturnConsumedCapacity");
        return body;
    }

    private static void collect(Map<String, Object> out, Ast.Select sel, List<Object> items) {
        if (out.get("Items") instanceof List<?> l) for (Object item : l) items.add(shape(item, sel.projection()));
    }

    // ---------------------------------------------------------------- BatchExecuteStatement

    private Map<String, Object> batch(Map<String, Object> req) {
        List<String> errors = new ArrayList<>();
        List<Object> statements = list(req.get("Statements"));
        if (statements == null)
            errors.add("Value null at 'statements' failed to satisfy constraint: Member must not be null");
        else if (statements.isEmpty())
            errors.add(
                    "Value '[]' at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1");
        else if (statements.size() > 25)
            errors.add(
                    "Value '[" + statements.size()
                            + " items]' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25");
        if (statements != null) {
            for (int i = 0; i < statements.size(); i++) {
                Map<String, Object> st = map(statements.get(i));
                statementText(st.get("Statement"), "statements." + (i + 1) + ".member.statement", errors);
                parameters(st.get("Parameters"), "statements." + (i + 1) + ".member.parameters", errors);
            }
        }
        check(errors);
        // Statements that do not parse answer with their own error; the rest must all read or all write.
        List<Object> parsed = new ArrayList<>();
        boolean reads = false;
        boolean writes = false;
        for (Object o : statements) {
            Map<String, Object> st = map(o);
            try {
                Statement s = StatementParser.parse((String) st.get("Statement"), list(st.get("Parameters")));
                parsed.add(s);
                if (s instanceof Ast.Select) reads = true;
                else writes = true;
            } catch (DynamoDbError e) {
                parsed.add(e);
            }
        }
        if (reads && writes)
            throw DynamoDbError.validation(
                    "The entire batch must consist of either read statements or write statements");
        List<Object> responses = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            Map<String, Object> st = map(statements.get(i));
            LinkedHashMap<String, Object> response = new LinkedHashMap<>();
            String table = null;
            try {
                if (parsed.get(i) instanceof DynamoDbError e) throw e;
                Statement s = (Statement) parsed.get(i);
                table = s.target().table();
                if (s instanceof Ast.Select sel) {
                    Map<String, Object> get = getRequest(sel);
                    copy(st, get, "ConsistentRead");
                    Object item = engine.call("GetItem", get).get("Item");
                    response.put("TableName", table);
                    if (item != null) response.put("Item", shape(item, sel.projection()));
                } else if (s instanceof Ast.Exists) {
                    throw DynamoDbError.validation("EXISTS is only supported inside ExecuteTransaction");
                } else {
                    run(write(s, string(st, "ReturnValuesOnConditionCheckFailure")));
                    response.put("TableName", table);
                }
            } catch (DynamoDbError e) {
                LinkedHashMap<String, Object> error = new LinkedHashMap<>();
                error.put("Code", code(e));
                if (e.getMessage() != null) error.put("Message", e.getMessage());
                if (e instanceof DynamoDbError.WithBody wb
                        && wb.extra() != null
                        && wb.extra().get("Item") != null)
                    error.put("Item", wb.extra().get("Item"));
                response.put("Error", error);
                if (table != null) response.put("TableName", table);
            }
            responses.add(response);
        }
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        out.put("Responses", responses);
        return out;
    }

    /** A batch error's Code: the exception's name without its suffix, as BatchStatementError spells it. */
    private static String code(DynamoDbError e) {
        String type = e.type().substring(e.type().indexOf('#') + 1);
        if (type.equals("ValidationException")) return "ValidationError";
        return type.endsWith("Exception") ? type.substring(0, type.length() - "Exception".length()) : type;
    }

    // ---------------------------------------------------------------- ExecuteTransaction

    private Map<String, Object> transaction(Map<String, Object> req) {
        List<String> errors = new ArrayList<>();
        List<Object> statements = list(req.get("TransactStatements"));
        if (statements == null)
            errors.add("Value null at 'transactStatements' failed to satisfy constraint: Member must not be null");
        else if (statements.isEmpty())
            errors.add(
                    "Value '[]' at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1");
        else if (statements.size() > 100)
            errors.add(
                    "Value '[" + statements.size()
                            + " items]' at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to 100");
        if (statements != null) {
            for (int i = 0; i < statements.size(); i++) {
                Map<String, Object> st = map(statements.get(i));
                statementText(st.get("Statement"), "transactStatements." + (i + 1) + ".member.statement", errors);
                parameters(st.get("Parameters"), "transactStatements." + (i + 1) + ".member.parameters", errors);
            }
        }
        check(errors);
        List<Statement> parsed = new ArrayList<>();
        int reads = 0;
        for (Object o : statements) {
            Map<String, Object> st = map(o);
            Statement s = StatementParser.parse((String) st.get("Statement"), list(st.get("Parameters")));
            if (s instanceof Ast.Select) reads++;
            parsed.add(s);
        }
        if (reads > 0 && reads < parsed.size())
            throw DynamoDbError.validation(
                    "The entire transaction must consist of either read statements or write statements");
        LinkedHashMap<String, Object> body = new LinkedHashMap<>();
        List<Object> items = new ArrayList<>();
        body.put("TransactItems", items);
        copy(req, body, "ReturnConsumedCapacity");
        LinkedHashMap<String, Object> response = new LinkedHashMap<>();
        if (reads > 0) {
            for (Statement s : parsed) items.add(Json.object("Get", getRequest((Ast.Select) s)));
            Map<String, Object> out = engine.call("TransactGetItems", body);
            List<Object> shaped = new ArrayList<>();
            List<?> got = (List<?>) out.get("Responses");
            for (int i = 0; i < parsed.size(); i++) {
                Object item = got == null ? null : map(got.get(i)).get("Item");
                LinkedHashMap<String, Object> one = new LinkedHashMap<>();
                if (item != null) one.put("Item", shape(item, ((Ast.Select) parsed.get(i)).projection()));
                shaped.add(one);
            }
            response.put("Responses", shaped);
            copy(out, response, "ConsumedCapacity");
            return response;
        }
        List<Boolean> inserts = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Statement s = parsed.get(i);
            Write w = write(s, string(map(statements.get(i)), "ReturnValuesOnConditionCheckFailure"));
            if (w.returning) throw DynamoDbError.validation("RETURNING is not supported inside ExecuteTransaction");
            items.add(Json.object(w.transactAction, w.body));
            inserts.add(s instanceof Ast.Insert);
        }
        copy(req, body, "ClientRequestToken");
        Map<String, Object> out;
        try {
            out = engine.call("TransactWriteItems", body);
        } catch (DynamoDbError.WithBody e) {
            throw duplicates(e, inserts);
        }
        copy(out, response, "ConsumedCapacity");
        return response;
    }

    /** An INSERT's failed not-exists condition is reported as the duplicate it is. */
    private static DynamoDbError duplicates(DynamoDbError.WithBody e, List<Boolean> inserts) {
        if (!e.type().endsWith("#TransactionCanceledException") || e.extra() == null) return e;
        Object reasonsRaw = e.extra().get("CancellationReasons");
        if (!(reasonsRaw instanceof List<?> reasons)) return e;
        List<Object> rewritten = new ArrayList<>();
        StringBuilder codes = new StringBuilder();
        for (int i = 0; i < reasons.size(); i++) {
            LinkedHashMap<String, Object> reason = new LinkedHashMap<>(map(reasons.get(i)));
            if (i < inserts.size() && inserts.get(i) && "ConditionalCheckFailed".equals(reason.get("Code"))) {
                reason.put("Code", "DuplicateItem");
                reason.put("Message", DUPLICATE);
                reason.remove("Item");
            }
            if (codes.length() > 0) codes.append(", ");
            codes.append(reason.get("Code"));
            rewritten.add(reason);
        }
        LinkedHashMap<String, Object> extra = new LinkedHashMap<>(e.extra());
        extra.put("CancellationReasons", rewritten);
        return new DynamoDbError.WithBody(
                e.status(),
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]",
                extra);
    }

    // ---------------------------------------------------------------- writes

    /** A write as the engine's single-item request, and the name it takes inside TransactWriteItems. */
    private record Write(
            String operation, String transactAction, Map<String, Object> body, boolean returning, boolean insert) {}

    private Write write(Statement s, String rvoccf) {
        if (s.target().index() != null)
            throw DynamoDbError.validation(
                    "Writes to an index are not supported: " + s.target().index());
        Schema schema = schema(s.target());
        Renderer r = new Renderer();
        LinkedHashMap<String, Object> body = new LinkedHashMap<>();
        body.put("TableName", s.target().table());
        Write w;
        if (s instanceof Ast.Insert ins) {
            if (!(ins.value() instanceof Lit l)
                    || !(l.wire() instanceof Map<?, ?> m)
                    || !(m.get("M") instanceof Map<?, ?> item))
                throw DynamoDbError.validation(
                        "Unsupported operation: Inserting a value that is not a map is not supported");
            body.put("Item", item);
            body.put("ConditionExpression", "attribute_not_exists(" + r.name(schema.hash) + ")");
            w = new Write("PutItem", "Put", body, false, true);
        } else if (s instanceof Ast.Update up) {
            Keyed k = keyed(up.where(), schema);
            body.put("Key", k.key);
            body.put("UpdateExpression", r.update(up.actions()));
            String rest = r.conjunction(k.rest);
            String exists = "attribute_exists(" + r.name(schema.hash) + ")";
            body.put("ConditionExpression", rest == null ? exists : exists + " AND " + rest);
            if (up.returning() != null) body.put("ReturnValues", up.returning());
            w = new Write("UpdateItem", "Update", body, up.returning() != null, false);
        } else if (s instanceof Ast.Delete del) {
            Keyed k = keyed(del.where(), schema);
            body.put("Key", k.key);
            String rest = r.conjunction(k.rest);
            // A missing item is deleted as a no-op; only an existing item is held to the condition.
            if (rest != null)
                body.put("ConditionExpression", "attribute_not_exists(" + r.name(schema.hash) + ") OR " + rest);
            if (del.returning() != null) body.put("ReturnValues", del.returning());
            w = new Write("DeleteItem", "Delete", body, del.returning() != null, false);
        } else if (s instanceof Ast.Exists ex) {
            Keyed k = keyed(ex.select().where(), schema);
            body.put("Key", k.key);
            String rest = r.conjunction(k.rest);
            String exists = "attribute_exists(" + r.name(schema.hash) + ")";
            body.put("ConditionExpression", rest == null ? exists : exists + " AND " + rest);
            w = new Write(null, "ConditionCheck", body, false, false);
        } else {
            throw DynamoDbError.validation("Unsupported statement");
        }
        r.into(body);
        if (rvoccf != null) body.put("ReturnValuesOnConditionCheckFailure", rvoccf);
        return w;
    }

    private Map<String, Object> run(Write w) {
        if (w.operation == null) throw DynamoDbError.validation("EXISTS is only supported inside ExecuteTransaction");
        try {
            return engine.call(w.operation, w.body);
        } catch (DynamoDbError e) {
            if (w.insert && e.type().endsWith("#ConditionalCheckFailedException"))
                throw DynamoDbError.of(400, "DuplicateItemException", DUPLICATE);
            throw e;
        }
    }

    /** A SELECT naming a whole primary key, as a GetItem request. */
    private Map<String, Object> getRequest(Ast.Select sel) {
        if (sel.target().index() != null) throw DynamoDbError.validation(KEY_REQUIRED);
        Schema schema = schema(sel.target());
        Keyed k = keyed(sel.where(), schema);
        if (!k.rest.isEmpty()) throw DynamoDbError.validation(KEY_REQUIRED);
        Renderer r = new Renderer();
        LinkedHashMap<String, Object> body = new LinkedHashMap<>();
        body.put("TableName", sel.target().table());
        body.put("Key", k.key);
        if (sel.projection() != null) body.put("ProjectionExpression", projection(r, sel.projection()));
        r.into(body);
        return body;
    }

    // ---------------------------------------------------------------- keys

    private record Schema(String hash, String range) {}

    private record Keyed(Map<String, Object> key, List<Expr> rest) {}

    private Schema schema(Target t) {
        Map<String, Object> described;
        try {
            described = engine.call("DescribeTable", Json.object("TableName", t.table()));
        } catch (DynamoDbError e) {
            if (e.type().endsWith("#ResourceNotFoundException"))
                throw DynamoDbError.resourceNotFound("Requested resource not found");
            throw e;
        }
        Map<String, Object> table = map(described.get("Table"));
        if (t.index() == null) return schema(table.get("KeySchema"));
        for (String kind : new String[] {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
            List<Object> indexes = list(table.get(kind));
            if (indexes == null) continue;
            for (Object o : indexes) {
                Map<String, Object> index = map(o);
                if (t.index().equals(index.get("IndexName"))) return schema(index.get("KeySchema"));
            }
        }
        throw DynamoDbError.validation("The table does not have the specified index: " + t.index());
    }

    private static Schema schema(Object keySchema) {
        String hash = null;
        String range = null;
        for (Object o : list(keySchema)) {
            Map<String, Object> e = map(o);
            if ("HASH".equals(e.get("KeyType"))) hash = (String) e.get("AttributeName");
            else range = (String) e.get("AttributeName");
        }
        return new Schema(hash, range);
    }

    /** The primary key a WHERE names by equality, and the terms left over as a condition. */
    private static Keyed keyed(Expr where, Schema schema) {
        List<Expr> terms = terms(where);
        LinkedHashMap<String, Object> key = new LinkedHashMap<>();
        List<Expr> rest = new ArrayList<>(terms);
        for (String attribute : schema.range == null ? List.of(schema.hash) : List.of(schema.hash, schema.range)) {
            Expr term = keyEquality(rest, attribute);
            if (term == null) throw DynamoDbError.validation(KEY_REQUIRED);
            rest.remove(term);
            key.put(attribute, literalOf((Binary) term).wire());
        }
        return new Keyed(key, rest);
    }

    /** The top-level AND terms of a WHERE clause. */
    private static List<Expr> terms(Expr where) {
        List<Expr> out = new ArrayList<>();
        if (where != null) flatten(where, out);
        return out;
    }

    private static void flatten(Expr e, List<Expr> out) {
        if (e instanceof Binary b && b.op().equals("AND")) {
            flatten(b.left(), out);
            flatten(b.right(), out);
        } else {
            out.add(e);
        }
    }

    private static boolean isAttribute(Expr e, String attribute) {
        return e instanceof PathExpr p && p.isTopLevel() && p.first().equals(attribute);
    }

    private static Lit literalOf(Binary b) {
        return (Lit) (b.left() instanceof Lit ? b.left() : b.right());
    }

    private static Expr keyEquality(List<Expr> terms, String attribute) {
        for (Expr t : terms) {
            if (t instanceof Binary b
                    && b.op().equals("=")
                    && ((isAttribute(b.left(), attribute) && b.right() instanceof Lit)
                            || (isAttribute(b.right(), attribute) && b.left() instanceof Lit))) return t;
        }
        return null;
    }

    /** {@code attribute IN (...)} over literals: the partitions a SELECT reads one Query at a time. */
    private static Expr keyIn(List<Expr> terms, String attribute) {
        for (Expr t : terms) {
            if (t instanceof In in
                    && isAttribute(in.operand(), attribute)
                    && in.values().stream().allMatch(v -> v instanceof Lit)) return t;
        }
        return null;
    }

    /** A term on the sort key a KeyConditionExpression can carry. */
    private static Expr rangeCondition(List<Expr> terms, String attribute) {
        for (Expr t : terms) {
            if (t instanceof Binary b
                    && Set.of("=", "<", "<=", ">", ">=").contains(b.op())
                    && ((isAttribute(b.left(), attribute) && b.right() instanceof Lit)
                            || (isAttribute(b.right(), attribute) && b.left() instanceof Lit))) return t;
            if (t instanceof Between bt
                    && isAttribute(bt.operand(), attribute)
                    && bt.low() instanceof Lit
                    && bt.high() instanceof Lit) return t;
            if (t instanceof Call c
                    && c.name().equals("begins_with")
                    && c.args().size() == 2
                    && isAttribute(c.args().get(0), attribute)
                    && c.args().get(1) instanceof Lit) return t;
        }
        return null;
    }

    /** Key terms with the attribute on the left, as KeyConditionExpression wants them. */
    private static String keyCondition(Renderer r, List<Expr> terms) {
        List<Expr> normalized = new ArrayList<>();
        for (Expr t : terms) {
            if (t instanceof Binary b && b.left() instanceof Lit) {
                String flipped = switch (b.op()) {
                    case "<" -> ">";
                    case "<=" -> ">=";
                    case ">" -> "<";
                    case ">=" -> "<=";
                    default -> b.op();
                };
                normalized.add(new Binary(flipped, b.right(), b.left()));
            } else {
                normalized.add(t);
            }
        }
        StringBuilder b = new StringBuilder();
        for (Expr t : normalized) {
            if (b.length() > 0) b.append(" AND ");
            b.append(r.expr(t));
        }
        return b.toString();
    }

    private static boolean mentions(Expr e, String attribute) {
        if (e instanceof PathExpr p) return p.first().equals(attribute);
        if (e instanceof Lit) return false;
        if (e instanceof Binary b) return mentions(b.left(), attribute) || mentions(b.right(), attribute);
        if (e instanceof Not n) return mentions(n.operand(), attribute);
        if (e instanceof Between b)
            return mentions(b.operand(), attribute) || mentions(b.low(), attribute) || mentions(b.high(), attribute);
        if (e instanceof In in) {
            if (mentions(in.operand(), attribute)) return true;
            for (Expr v : in.values()) if (mentions(v, attribute)) return true;
            return false;
        }
        if (e instanceof Is is) return mentions(is.operand(), attribute);
        for (Expr a : ((Call) e).args()) if (mentions(a, attribute)) return true;
        return false;
    }

    // ---------------------------------------------------------------- projection and paging

    private static String projection(Renderer r, List<PathExpr> paths) {
        StringBuilder b = new StringBuilder();
        for (PathExpr p : paths) {
            if (b.length() > 0) b.append(", ");
            b.append(r.path(p));
        }
        return b.toString();
    }

    /** A projected item as PartiQL answers it: each selected path's value under the path's last name. */
    private static Object shape(Object item, List<PathExpr> projection) {
        if (projection == null || !(item instanceof Map<?, ?> m)) return item;
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (PathExpr p : projection) {
            Object v = m.get(p.first());
            for (int i = 1; i < p.segments().size() && v != null; i++) {
                Object seg = p.segments().get(i);
                if (seg instanceof Integer idx) {
                    v = v instanceof AttributeValue.ListValue l
                                    && idx < l.values().size()
                            ? l.values().get(idx)
                            : null;
                } else {
                    v = v instanceof AttributeValue.MapValue mv ? mv.values().get(seg) : null;
                }
            }
            if (v != null) out.put(p.lastName(), v);
        }
        return out;
    }

    /** Where a SELECT goes on: the partition (0 for a Scan) and the key after which to read, if any. */
    private record Token(int partition, Object key) {}

    private static String encodeToken(int partition, Object lastEvaluatedKey) {
        LinkedHashMap<String, Object> t = new LinkedHashMap<>();
        t.put("p", partition);
        if (lastEvaluatedKey != null) t.put("k", lastEvaluatedKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(t));
    }

    private static Token decodeToken(Object token) {
        if (!(token instanceof String s)) throw Codec.serialization("Unexpected value type in payload");
        try {
            if (Json.parse(Base64.getUrlDecoder().decode(s)) instanceof Map<?, ?> t
                    && t.get("p") instanceof BigDecimal p
                    && p.signum() >= 0
                    && p.compareTo(BigDecimal.valueOf(100_000)) < 0
                    && (t.get("k") == null || t.get("k") instanceof Map)) return new Token(p.intValue(), t.get("k"));
        } catch (IllegalArgumentException | Json.MalformedJson e) {
            // reported below
        }
        throw DynamoDbError.validation("The NextToken provided is not valid");
    }

    // ---------------------------------------------------------------- request checks

    private static String statementText(Object raw, String wireName, List<String> errors) {
        if (raw == null) {
            errors.add("Value null at '" + wireName + "' failed to satisfy constraint: Member must not be null");
            return null;
        }
        if (!(raw instanceof String s)) throw Codec.serialization("NUMBER_VALUE cannot be converted to String");
        if (s.isEmpty())
            errors.add("Value '' at '" + wireName
                    + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
        else if (s.length() > 8192)
            errors.add("Value '" + s + "' at '" + wireName
                    + "' failed to satisfy constraint: Member must have length less than or equal to 8192");
        return s;
    }

    private static List<Object> parameters(Object raw, String wireName, List<String> errors) {
        List<Object> p = list(raw);
        if (p != null && p.isEmpty())
            errors.add("Value '[]' at '" + wireName
                    + "' failed to satisfy constraint: Member must have length greater than or equal to 1");
        // Judged here, as values, so a bad parameter is not reported as the placeholder it becomes.
        if (p != null) for (Object v : p) Codec.value(v);
        return p;
    }

    private static void check(List<String> errors) {
        if (errors.isEmpty()) return;
        throw DynamoDbError.validation(errors.size()
                + (errors.size() == 1 ? " validation error detected: " : " validation errors detected: ")
                + String.join("; ", errors));
    }

    private static String string(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw Codec.serialization("NUMBER_VALUE cannot be converted to String");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (o instanceof Map) return (Map<String, Object>) o;
        throw Codec.serialization("Unexpected value type in payload");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (o == null) return null;
        if (o instanceof List) return (List<Object>) o;
        throw Codec.serialization("Unexpected value type in payload");
    }

    private static void copy(Map<String, Object> from, Map<String, Object> to, String field) {
        Object v = from.get(field);
        if (v != null) to.put(field, v);
    }
}
