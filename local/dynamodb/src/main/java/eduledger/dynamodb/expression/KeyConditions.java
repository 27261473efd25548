package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a parsed KeyConditionExpression into a {@link KeyCondition}, with DynamoDB's checks against the key schema. */
final class KeyConditions {
    private static final String PARAMETER = "KeyConditionExpression";

    /** One key's condition, normalized so the attribute is on the left. */
    record Term(String attribute, KeyCondition.SortOperator operator, AttributeValue value, AttributeValue upper) {
    }

    private KeyConditions() {
    }

    static KeyCondition fromExpression(Node root, String partitionKey, String sortKey) {
        List<Node> conjuncts = new ArrayList<>();
        flatten(root, conjuncts);
        Map<String, Term> terms = new LinkedHashMap<>();
        List<Term> all = new ArrayList<>();
        for (Node conjunct : conjuncts) all.add(term(conjunct));
        for (Term term : all) {
            if (terms.put(term.attribute(), term) != null) {
                throw Errors.invalid(PARAMETER, "KeyConditionExpressions must only contain one condition per key");
            }
        }
        return fromTerms(terms, partitionKey, sortKey);
    }

    static KeyCondition fromTerms(Map<String, Term> terms, String partitionKey, String sortKey) {
        Term partition = terms.get(partitionKey);
        if (partition == null) throw Errors.validation("Query condition missed key schema element: " + partitionKey);
        if (partition.operator() != KeyCondition.SortOperator.EQ) throw Errors.validation("Query key condition not supported");
        Term sort = null;
        for (Term term : terms.values()) {
            if (term.attribute().equals(partitionKey)) continue;
            if (sortKey != null && term.attribute().equals(sortKey)) {
                sort = term;
            } else if (sortKey != null) {
                throw Errors.validation("Query condition missed key schema element: " + sortKey);
            } else {
                throw Errors.validation("Query key condition not supported");
            }
        }
        if (sort == null) return new KeyCondition(partitionKey, partition.value(), sortKey, null, null, null);
        return new KeyCondition(partitionKey, partition.value(), sortKey, sort.operator(), sort.value(), sort.upper());
    }

    private static void flatten(Node node, List<Node> out) {
        if (node instanceof Node.And and) {
            flatten(and.left(), out);
            flatten(and.right(), out);
        } else {
            out.add(node);
        }
    }

    private static Term term(Node node) {
        if (node instanceof Node.Compare c) {
            if (c.op() == Node.Comparator.NE) throw unsupported("<>");
            Operand left = c.left();
            Operand right = c.right();
            KeyCondition.SortOperator op = operator(c.op());
            if (left instanceof Operand.Const && right instanceof Operand.PathRef) {
                Operand swap = left;
                left = right;
                right = swap;
                op = flip(op);
            }
            if (left instanceof Operand.Size || right instanceof Operand.Size) throw unsupported("size");
            return new Term(keyName(left), op, constant(right), null);
        }
        if (node instanceof Node.Between b) {
            return new Term(keyName(b.value()), KeyCondition.SortOperator.BETWEEN, constant(b.lower()), constant(b.upper()));
        }
        if (node instanceof Node.BeginsWith b) {
            return new Term(keyName(b.subject()), KeyCondition.SortOperator.BEGINS_WITH, constant(b.prefix()), null);
        }
        if (node instanceof Node.Or) throw unsupported("OR");
        if (node instanceof Node.Not) throw unsupported("NOT");
        if (node instanceof Node.In) throw unsupported("IN");
        if (node instanceof Node.Exists e) throw unsupported(e.expected() ? "attribute_exists" : "attribute_not_exists");
        if (node instanceof Node.AttributeType) throw unsupported("attribute_type");
        if (node instanceof Node.Contains) throw unsupported("contains");
        throw unsupported(node.getClass().getSimpleName());
    }

    private static RuntimeException unsupported(String operator) {
        return Errors.invalid(PARAMETER, "Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static String keyName(Operand operand) {
        if (!(operand instanceof Operand.PathRef p)) {
            throw Errors.invalid(PARAMETER, "Key condition requires a key attribute name on one side of each condition");
        }
        if (!p.path().isTopLevel()) {
            throw Errors.invalid(PARAMETER, "Key condition expressions may only refer to top-level key attributes; path: " + p.path().describe());
        }
        return p.path().topLevel();
    }

    private static AttributeValue constant(Operand operand) {
        if (!(operand instanceof Operand.Const c)) {
            throw Errors.invalid(PARAMETER, "Key condition requires an expression attribute value on one side of each condition");
        }
        return c.value();
    }

    private static KeyCondition.SortOperator operator(Node.Comparator c) {
        switch (c) {
            case LT: return KeyCondition.SortOperator.LT;
            case LE: return KeyCondition.SortOperator.LE;
            case GT: return KeyCondition.SortOperator.GT;
            case GE: return KeyCondition.SortOperator.GE;
            default: return KeyCondition.SortOperator.EQ;
        }
    }

    private static KeyCondition.SortOperator flip(KeyCondition.SortOperator op) {
        switch (op) {
            case LT: return KeyCondition.SortOperator.GT;
            case LE: return KeyCondition.SortOperator.GE;
            case GT: return KeyCondition.SortOperator.LT;
            case GE: return KeyCondition.SortOperator.LE;
            default: return op;
        }
    }
}
