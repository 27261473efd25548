package eduledger.dynamodb.expression;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a parsed KeyConditionExpression into per-key conditions, then checks them against the key
 * schema. The first step needs no table and mirrors DynamoDB's checks of the expression's shape; the
 * second names the missing or unsupported key as Query does.
 */
final class KeyConditions {
    private static final String INVALID_CONDITION = "Invalid condition in KeyConditionExpression: ";

    /** One key's condition, normalized so the attribute is on the left. */
    record Term(String attribute, KeyCondition.SortOperator operator, AttributeValue value, AttributeValue upper) {}

    private KeyConditions() {}

    /** The per-key conditions of an expression, in the order written; no key schema needed. */
    static Map<String, Term> terms(Node root) {
        Map<String, Term> terms = new LinkedHashMap<>();
        collect(root, terms);
        if (terms.size() > 2) throw DynamoDbError.validation("Conditions can be of length 1 or 2 only");
        return terms;
    }

    /**
     * Query's checks of the key conditions against the table's or index's key schema, in DynamoDB's
     * order: the partition key's presence and value type, then the sort key's, then the partition
     * key's operator.
     *
     * @param partitionType the key's attribute type (S, N or B), or null to skip the value type check
     * @param sortType      likewise for the sort key
     */
    static KeyCondition fromTerms(
            Map<String, Term> terms, String partitionKey, String partitionType, String sortKey, String sortType) {
        if (sortKey == null && terms.size() > 1) throw DynamoDbError.validation("Query key condition not supported");
        Term partition = terms.get(partitionKey);
        if (partition == null)
            throw DynamoDbError.validation("Query condition missed key schema element: " + partitionKey);
        checkType(partition, partitionType);
        Term sort = sortKey == null ? null : terms.get(sortKey);
        if (sort == null && terms.size() > 1)
            throw DynamoDbError.validation("Query condition missed key schema element: " + sortKey);
        if (sort != null) checkType(sort, sortType);
        if (partition.operator() != KeyCondition.SortOperator.EQ)
            throw DynamoDbError.validation("Query key condition not supported");
        if (sort == null) return new KeyCondition(partitionKey, partition.value(), sortKey, null, null, null);
        return new KeyCondition(partitionKey, partition.value(), sortKey, sort.operator(), sort.value(), sort.upper());
    }

    private static void checkType(Term term, String type) {
        if (type == null) return;
        if (!term.value().type().equals(type)
                || (term.upper() != null && !term.upper().type().equals(type))) {
            throw DynamoDbError.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    private static void collect(Node node, Map<String, Term> terms) {
        if (node instanceof Node.And and) {
            collect(and.left(), terms);
            collect(and.right(), terms);
            return;
        }
        List<Operand> args;
        KeyCondition.SortOperator op;
        if (node instanceof Node.Compare c) {
            if (c.op() == Node.Comparator.NE) throw unsupported("<>");
            args = List.of(c.left(), c.right());
            op = operator(c.op());
        } else if (node instanceof Node.Between b) {
            if (!(b.value() instanceof Operand.PathRef)) throw firstOperand("BETWEEN");
            args = List.of(b.value(), b.lower(), b.upper());
            op = KeyCondition.SortOperator.BETWEEN;
        } else if (node instanceof Node.BeginsWith b) {
            if (!(b.subject() instanceof Operand.PathRef)) throw firstOperand("begins_with");
            args = List.of(b.subject(), b.prefix());
            op = KeyCondition.SortOperator.BEGINS_WITH;
        } else if (node instanceof Node.Or) {
            throw unsupported("OR");
        } else if (node instanceof Node.Not) {
            throw unsupported("NOT");
        } else if (node instanceof Node.In) {
            throw unsupported("IN");
        } else if (node instanceof Node.Exists e) {
            throw unsupported(e.expected() ? "attribute_exists" : "attribute_not_exists");
        } else if (node instanceof Node.AttributeType) {
            throw unsupported("attribute_type");
        } else if (node instanceof Node.Contains) {
            throw unsupported("contains");
        } else {
            throw DynamoDbError.validation(INVALID_CONDITION + "No key attribute specified");
        }
        String attribute = null;
        int attributeIndex = -1;
        List<AttributeValue> values = new ArrayList<>(2);
        for (int i = 0; i < args.size(); i++) {
            Operand arg = args.get(i);
            if (arg instanceof Operand.PathRef p) {
                if (attribute != null)
                    throw DynamoDbError.validation(
                            INVALID_CONDITION + "Multiple attribute names used in one condition");
                if (!p.path().isTopLevel())
                    throw DynamoDbError.validation(
                            "KeyConditionExpressions cannot have conditions on nested attributes");
                attribute = p.path().topLevel();
                attributeIndex = i;
            } else if (arg instanceof Operand.Const c) {
                values.add(c.value());
            } else {
                throw DynamoDbError.validation("KeyConditionExpressions cannot contain nested operations");
            }
        }
        if (attribute == null) throw DynamoDbError.validation(INVALID_CONDITION + "No key attribute specified");
        if (terms.containsKey(attribute))
            throw DynamoDbError.validation("KeyConditionExpressions must only contain one condition per key");
        if (attributeIndex != 0) op = flip(op);
        terms.put(attribute, new Term(attribute, op, values.get(0), values.size() > 1 ? values.get(1) : null));
    }

    private static DynamoDbError unsupported(String operator) {
        return DynamoDbError.validation("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static DynamoDbError firstOperand(String operator) {
        return DynamoDbError.validation(
                INVALID_CONDITION + operator + " operator must have the key attribute as its first operand");
    }

    private static KeyCondition.SortOperator operator(Node.Comparator c) {
        switch (c) {
            case LT:
                return KeyCondition.SortOperator.LT;
            case LE:
                return KeyCondition.SortOperator.LE;
            case GT:
                return KeyCondition.SortOperator.GT;
            case GE:
                return KeyCondition.SortOperator.GE;
            default:
                return KeyCondition.SortOperator.EQ;
        }
    }

    private static KeyCondition.SortOperator flip(KeyCondition.SortOperator op) {
        switch (op) {
            case LT:
                return KeyCondition.SortOperator.GT;
            case LE:
                return KeyCondition.SortOperator.GE;
            case GT:
                return KeyCondition.SortOperator.LT;
            case GE:
                return KeyCondition.SortOperator.LE;
            default:
                return op;
        }
    }
}
