package eduledger.dynamodb.expression;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-expression parameters (Expected, QueryFilter, ScanFilter, KeyConditions, AttributeUpdates,
 * AttributesToGet), checked as DynamoDB checks them and mapped onto the same trees the expressions use.
 */
final class Legacy {
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final Set<String> SCALARS = Set.of("S", "N", "B");
    private static final String OPERATORS =
            "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";

    private Legacy() {}

    // ---------------------------------------------------------------- conditions

    /**
     * @param conditions null when the request sent only a ConditionalOperator, which DynamoDB refuses
     */
    static Condition condition(String parameter, Map<String, LegacyCondition> conditions, String conditionalOperator) {
        boolean or = false;
        if (conditionalOperator != null) {
            if (conditionalOperator.equals("OR")) {
                or = true;
            } else if (!conditionalOperator.equals("AND")) {
                throw DynamoDbError.validation(
                        "1 validation error detected: Value '" + conditionalOperator
                                + "' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]");
            }
            if (conditions == null || conditions.isEmpty()) {
                throw DynamoDbError.validation("ConditionalOperator cannot be used without Filter or Expected");
            }
            if (conditions.size() == 1) {
                throw DynamoDbError.validation(
                        "ConditionalOperator can only be used when Filter or Expected has two or more elements");
            }
        }
        Node root = null;
        if (conditions != null) {
            for (Map.Entry<String, LegacyCondition> e : conditions.entrySet()) {
                Node node = node(parameter, e.getKey(), e.getValue());
                if (root == null) {
                    root = node;
                } else {
                    root = or ? new Node.Or(root, node) : new Node.And(root, node);
                }
            }
        }
        return root == null ? item -> true : root;
    }

    private static Node node(String parameter, String name, LegacyCondition c) {
        Path path = new Path(name);
        List<AttributeValue> list = c.attributeValueList();
        boolean expected = parameter.equals("Expected");
        if (c.value() != null && list != null) {
            throw DynamoDbError.validation(
                    INVALID + "Value and AttributeValueList cannot be used together for Attribute: " + name);
        }
        String op = c.comparisonOperator();
        if (op == null && !expected) {
            // QueryFilter and ScanFilter entries have no Exists/Value form: the operator is required.
            throw DynamoDbError.validation("1 validation error detected: Value null at '" + lowerFirst(parameter) + "."
                    + name + ".member.comparisonOperator' failed to satisfy constraint: Member must not be null");
        }
        if (op == null) {
            if (list != null) {
                throw DynamoDbError.validation(INVALID
                        + "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name);
            }
            if (Boolean.FALSE.equals(c.exists())) {
                if (c.value() != null) {
                    throw DynamoDbError.validation(
                            INVALID + "Value cannot be used when Exists is false for Attribute: " + name);
                }
                return new Node.Exists(path, false);
            }
            if (c.value() == null) {
                throw DynamoDbError.validation(INVALID + "Value must be provided when Exists is "
                        + (c.exists() == null ? "null" : "true") + " for Attribute: " + name);
            }
            return new Node.Compare(Node.Comparator.EQ, new Operand.PathRef(path), new Operand.Const(c.value()));
        }
        if (c.exists() != null) {
            throw DynamoDbError.validation(
                    INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: " + name);
        }
        checkOperatorName(parameter, name, op);
        if (expected && list == null && c.value() == null && !op.equals("NULL") && !op.equals("NOT_NULL")) {
            throw DynamoDbError.validation(
                    INVALID + "Value or AttributeValueList must be used with ComparisonOperator: " + op
                            + " for Attribute: " + name);
        }
        if (list == null) list = c.value() == null ? List.of() : List.of(c.value());
        checkOperands(op, list, !expected, false);
        Operand subject = new Operand.PathRef(path);
        switch (op) {
            case "EQ":
                return compare(Node.Comparator.EQ, subject, list);
            case "NE":
                return compare(Node.Comparator.NE, subject, list);
            case "LT":
                return compare(Node.Comparator.LT, subject, list);
            case "LE":
                return compare(Node.Comparator.LE, subject, list);
            case "GT":
                return compare(Node.Comparator.GT, subject, list);
            case "GE":
                return compare(Node.Comparator.GE, subject, list);
            case "NOT_NULL":
                return new Node.Exists(path, true);
            case "NULL":
                return new Node.Exists(path, false);
            case "CONTAINS":
                return new Node.Contains(subject, new Operand.Const(list.get(0)));
            case "NOT_CONTAINS":
                return new Node.Not(new Node.Contains(subject, new Operand.Const(list.get(0))));
            case "BEGINS_WITH":
                return new Node.BeginsWith(subject, new Operand.Const(list.get(0)));
            case "BETWEEN":
                return new Node.Between(subject, new Operand.Const(list.get(0)), new Operand.Const(list.get(1)));
            default: {
                List<Operand> candidates = new ArrayList<>(list.size());
                for (AttributeValue v : list) candidates.add(new Operand.Const(v));
                return new Node.In(subject, candidates);
            }
        }
    }

    private static Node compare(Node.Comparator comparator, Operand subject, List<AttributeValue> list) {
        return new Node.Compare(comparator, subject, new Operand.Const(list.get(0)));
    }

    private static void checkOperatorName(String parameter, String name, String op) {
        switch (op) {
            case "EQ",
                    "NE",
                    "LT",
                    "LE",
                    "GT",
                    "GE",
                    "CONTAINS",
                    "NOT_CONTAINS",
                    "BEGINS_WITH",
                    "NULL",
                    "NOT_NULL",
                    "BETWEEN",
                    "IN" -> {}
            default ->
                throw DynamoDbError.validation(
                        "1 validation error detected: Value '" + op + "' at '" + lowerFirst(parameter) + "." + name
                                + ".member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
                                + OPERATORS);
        }
    }

    /**
     * The argument-count rules of each ComparisonOperator, then (for filters and key conditions, not
     * for Expected) the types each accepts.
     */
    private static void checkOperands(String op, List<AttributeValue> list, boolean checkTypes, boolean keyCondition) {
        int count = list.size();
        boolean countOk;
        switch (op) {
            case "NULL", "NOT_NULL" -> countOk = count == 0;
            case "BETWEEN" -> countOk = count == 2;
            case "IN" -> countOk = count >= 1;
            default -> countOk = count == 1;
        }
        if (!countOk) {
            if (keyCondition) {
                throw DynamoDbError.validation(
                        "The attempted filter operation is not supported for the provided filter argument count");
            }
            throw DynamoDbError.validation(
                    INVALID + "Invalid number of argument(s) for the " + op + " ComparisonOperator");
        }
        for (AttributeValue v : list) {
            if (!v.type().equals(list.get(0).type())) {
                throw DynamoDbError.validation(
                        INVALID + "AttributeValues inside AttributeValueList must be of same type");
            }
        }
        if (checkTypes) {
            for (AttributeValue v : list) {
                boolean typeOk;
                switch (op) {
                    case "EQ", "NE" -> typeOk = true;
                    case "BEGINS_WITH" ->
                        typeOk = v.type().equals("S") || v.type().equals("B");
                    default -> typeOk = SCALARS.contains(v.type());
                }
                if (!typeOk) {
                    throw DynamoDbError.validation(INVALID + "ComparisonOperator " + op + " is not valid for "
                            + v.type() + " AttributeValue type");
                }
            }
        }
        if (op.equals("BETWEEN")
                && Values.comparable(list.get(0), list.get(1))
                && Values.compare(list.get(0), list.get(1)) > 0) {
            throw DynamoDbError.validation(
                    "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
        }
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    // ---------------------------------------------------------------- key conditions

    /** @param partitionType S, N or B, or null to skip the value type checks (likewise sortType) */
    static KeyCondition keyConditions(
            Map<String, LegacyCondition> keyConditions,
            String partitionKey,
            String partitionType,
            String sortKey,
            String sortType) {
        if (keyConditions == null || keyConditions.isEmpty()) {
            throw DynamoDbError.validation("Query condition missed key schema element: " + partitionKey);
        }
        for (Map.Entry<String, LegacyCondition> e : keyConditions.entrySet()) {
            String op = e.getValue().comparisonOperator();
            if (op == null) {
                throw DynamoDbError.validation("1 validation error detected: Value null at 'keyConditions." + e.getKey()
                        + ".member.comparisonOperator' failed to satisfy constraint: Member must not be null");
            }
            checkOperatorName("KeyConditions", e.getKey(), op);
            List<AttributeValue> list = e.getValue().attributeValueList() == null
                    ? List.of()
                    : e.getValue().attributeValueList();
            checkOperands(op, list, true, true);
        }
        if (keyConditions.size() > 2) throw DynamoDbError.validation("Conditions can be of length 1 or 2 only");
        if (sortKey == null && keyConditions.size() > 1)
            throw DynamoDbError.validation("Query key condition not supported");
        LegacyCondition partition = keyConditions.get(partitionKey);
        if (partition == null)
            throw DynamoDbError.validation("Query condition missed key schema element: " + partitionKey);
        KeyCondition.SortOperator partitionOp = indexable(partition.comparisonOperator());
        checkKeyType(partition, partitionType);
        LegacyCondition sort = sortKey == null ? null : keyConditions.get(sortKey);
        if (sort == null && keyConditions.size() > 1)
            throw DynamoDbError.validation("Query condition missed key schema element: " + sortKey);
        KeyCondition.SortOperator sortOp = sort == null ? null : indexable(sort.comparisonOperator());
        if (sort != null) checkKeyType(sort, sortType);
        if (partitionOp != KeyCondition.SortOperator.EQ)
            throw DynamoDbError.validation("Query key condition not supported");
        AttributeValue partitionValue = partition.attributeValueList().get(0);
        if (sort == null) return new KeyCondition(partitionKey, partitionValue, sortKey, null, null, null);
        List<AttributeValue> sortValues = sort.attributeValueList();
        return new KeyCondition(
                partitionKey,
                partitionValue,
                sortKey,
                sortOp,
                sortValues.get(0),
                sortValues.size() > 1 ? sortValues.get(1) : null);
    }

    private static void checkKeyType(LegacyCondition condition, String type) {
        if (type == null) return;
        for (AttributeValue v : condition.attributeValueList()) {
            if (!v.type().equals(type)) {
                throw DynamoDbError.validation(INVALID + "Condition parameter type does not match schema type");
            }
        }
    }

    private static KeyCondition.SortOperator indexable(String op) {
        switch (op) {
            case "EQ":
                return KeyCondition.SortOperator.EQ;
            case "LT":
                return KeyCondition.SortOperator.LT;
            case "LE":
                return KeyCondition.SortOperator.LE;
            case "GT":
                return KeyCondition.SortOperator.GT;
            case "GE":
                return KeyCondition.SortOperator.GE;
            case "BETWEEN":
                return KeyCondition.SortOperator.BETWEEN;
            case "BEGINS_WITH":
                return KeyCondition.SortOperator.BEGINS_WITH;
            default:
                throw DynamoDbError.validation("Attempted conditional constraint is not an indexable operation");
        }
    }

    // ---------------------------------------------------------------- updates

    static Update update(Map<String, LegacyUpdate> attributeUpdates) {
        Map<String, LegacyUpdate> updates = attributeUpdates == null ? Map.of() : new LinkedHashMap<>(attributeUpdates);
        for (Map.Entry<String, LegacyUpdate> e : updates.entrySet()) {
            String action = e.getValue().action() == null ? "PUT" : e.getValue().action();
            AttributeValue value = e.getValue().value();
            switch (action) {
                case "PUT", "ADD" -> {
                    if (value == null) {
                        throw DynamoDbError.validation(
                                INVALID + "Only DELETE action is allowed when no attribute value is specified");
                    }
                    if (action.equals("ADD")
                            && !(value instanceof AttributeValue.Num
                                    || isSet(value)
                                    || value instanceof AttributeValue.ListValue)) {
                        throw DynamoDbError.validation(
                                INVALID + "ADD action is not supported for the type " + value.type());
                    }
                }
                case "DELETE" -> {
                    if (value != null && !isSet(value)) {
                        throw DynamoDbError.validation(
                                INVALID + "DELETE action with value is not supported for the type " + value.type());
                    }
                }
                default ->
                    throw DynamoDbError.validation(
                            "1 validation error detected: Value '" + action + "' at 'attributeUpdates." + e.getKey()
                                    + ".member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
            }
        }
        Set<String> names = Collections.unmodifiableSet(new LinkedHashSet<>(updates.keySet()));
        return new Update() {
            @Override
            public Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
                Map<String, AttributeValue> result = new LinkedHashMap<>(item);
                for (Map.Entry<String, LegacyUpdate> e : updates.entrySet()) {
                    Path path = new Path(e.getKey());
                    String action =
                            e.getValue().action() == null ? "PUT" : e.getValue().action();
                    AttributeValue value = e.getValue().value();
                    try {
                        switch (action) {
                            case "PUT" -> result.put(e.getKey(), value);
                            case "ADD" -> UpdatePlan.add(result, path, value);
                            default -> {
                                if (value == null) {
                                    result.remove(e.getKey());
                                } else {
                                    UpdatePlan.delete(result, path, value);
                                }
                            }
                        }
                    } catch (DynamoDbError error) {
                        if (!Errors.INCORRECT_DATA_TYPE.equals(error.getMessage())) throw error;
                        throw DynamoDbError.validation("Type mismatch for attribute to update");
                    }
                }
                return result;
            }

            @Override
            public Set<String> topLevelAttributes() {
                return names;
            }
        };
    }

    private static boolean isSet(AttributeValue v) {
        return v instanceof AttributeValue.StrSet
                || v instanceof AttributeValue.NumSet
                || v instanceof AttributeValue.BinSet;
    }

    // ---------------------------------------------------------------- projections

    static Projection attributesToGet(List<String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            throw DynamoDbError.validation(
                    "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: "
                            + "Member must have length greater than or equal to 1");
        }
        Set<String> seen = new HashSet<>();
        List<Path> paths = new ArrayList<>(attributes.size());
        for (String name : attributes) {
            if (!seen.add(name)) throw DynamoDbError.validation(INVALID + "Duplicate value in attribute name: " + name);
            paths.add(new Path(name));
        }
        return new PathProjection(paths);
    }
}
