package eduledger.dynamodb.engine;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.expression.LegacyCondition;
import eduledger.dynamodb.expression.LegacyUpdate;
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.wire.Codec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to a request's JSON object, with DynamoDB's constraint messages collected in order. */
final class Req {
    final Map<String, Object> body;
    private final List<String> errors = new ArrayList<>(2);

    @SuppressWarnings("unchecked")
    Req(Object body) {
        if (body != null && !(body instanceof Map))
            throw Codec.serialization("Start of structure or map found where not expected");
        this.body = body == null ? new LinkedHashMap<>() : (Map<String, Object>) body;
    }

    boolean has(String field) {
        return body.get(field) != null;
    }

    String string(String field) {
        Object v = body.get(field);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw Codec.serialization("NUMBER_VALUE cannot be converted to String");
    }

    Boolean bool(String field) {
        Object v = body.get(field);
        if (v == null) return null;
        if (v instanceof Boolean b) return b;
        throw Codec.serialization("Unexpected value type in payload");
    }

    Integer integer(String field) {
        Object v = body.get(field);
        if (v == null) return null;
        if (v instanceof BigDecimal d) {
            try {
                return d.intValueExact();
            } catch (ArithmeticException e) {
                return d.signum() < 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            }
        }
        throw Codec.serialization("STRING_VALUE can not be converted to an Integer");
    }

    Long longValue(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v == null) return null;
        if (v instanceof BigDecimal d) return d.longValue();
        throw Codec.serialization("STRING_VALUE can not be converted to a Long");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String field) {
        Object v = body.get(field);
        if (v == null) return null;
        if (v instanceof Map) return (Map<String, Object>) v;
        throw Codec.serialization("Unexpected value type in payload");
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String field) {
        Object v = body.get(field);
        if (v == null) return null;
        if (v instanceof List) return (List<Object>) v;
        throw Codec.serialization("Unexpected value type in payload");
    }

    Map<String, AttributeValue> item(String field) {
        return Codec.item(body.get(field));
    }

    /** Records a constraint failure; {@link #check()} throws them together, as DynamoDB reports them. */
    void error(String message) {
        errors.add(message);
    }

    void enumValue(String field, String wireName, String... allowed) {
        String v = string(field);
        if (v == null) return;
        for (String a : allowed) if (a.equals(v)) return;
        error("Value '" + v + "' at '" + wireName
                + "' failed to satisfy constraint: Member must satisfy enum value set: [" + String.join(", ", allowed)
                + "]");
    }

    void tableName(String field, String wireName, boolean required) {
        Object raw = body.get(field);
        if (raw == null) {
            if (required)
                error("Value null at '" + wireName + "' failed to satisfy constraint: Member must not be null");
            return;
        }
        String name = string(field);
        tableNameValue(name, wireName);
    }

    void tableNameValue(String name, String wireName) {
        if (name.length() < 3) {
            if (!validName(name) && !name.isEmpty())
                error(
                        "Value '" + name + "' at '" + wireName
                                + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
            error("Value '" + name + "' at '" + wireName
                    + "' failed to satisfy constraint: Member must have length greater than or equal to "
                    + (name.isEmpty() ? 1 : 3));
        } else {
            if (!validName(name))
                error(
                        "Value '" + name + "' at '" + wireName
                                + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
            if (name.length() > 255)
                error("Value '" + name + "' at '" + wireName
                        + "' failed to satisfy constraint: Member must have length less than or equal to 255");
        }
    }

    /** [a-zA-Z0-9_.-]+, checked by hand: this runs on every request. */
    static boolean validName(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == '-')) return false;
        }
        return true;
    }

    void check() {
        if (errors.isEmpty()) return;
        StringBuilder b = new StringBuilder();
        b.append(errors.size())
                .append(errors.size() == 1 ? " validation error detected: " : " validation errors detected: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) b.append("; ");
            b.append(errors.get(i));
        }
        errors.clear();
        throw DynamoDbError.validation(b.toString());
    }

    static DynamoDbError invalid(String message) {
        return DynamoDbError.validation("One or more parameter values were invalid: " + message);
    }

    @SuppressWarnings("unchecked")
    Map<String, String> names() {
        Object v = body.get("ExpressionAttributeNames");
        if (v == null) return null;
        if (!(v instanceof Map)) throw Codec.serialization("Unexpected value type in payload");
        Map<String, Object> m = (Map<String, Object>) v;
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) throw Codec.serialization("Unexpected value type in payload");
            out.put(e.getKey(), s);
        }
        return out;
    }

    Map<String, AttributeValue> values() {
        Object v = body.get("ExpressionAttributeValues");
        if (v == null) return null;
        if (!(v instanceof Map<?, ?> m)) throw Codec.serialization("Unexpected value type in payload");
        LinkedHashMap<String, AttributeValue> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            try {
                out.put((String) e.getKey(), Codec.value(e.getValue()));
            } catch (DynamoDbError err) {
                if (err.type().endsWith("ValidationException"))
                    throw DynamoDbError.validation("ExpressionAttributeValues contains invalid value: "
                            + err.getMessage() + " for key " + e.getKey());
                throw err;
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, LegacyCondition> legacyConditions(String field) {
        Map<String, Object> m = object(field);
        if (m == null) return null;
        LinkedHashMap<String, LegacyCondition> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!(e.getValue() instanceof Map)) throw Codec.serialization("Unexpected value type in payload");
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            List<AttributeValue> values = null;
            if (c.get("AttributeValueList") instanceof List<?> l) {
                values = new ArrayList<>();
                for (Object o : l) values.add(Codec.value(o));
            }
            out.put(
                    e.getKey(),
                    new LegacyCondition(
                            (String) c.get("ComparisonOperator"),
                            values,
                            (Boolean) c.get("Exists"),
                            c.get("Value") == null ? null : Codec.value(c.get("Value"))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, LegacyUpdate> legacyUpdates(String field) {
        Map<String, Object> m = object(field);
        if (m == null) return null;
        LinkedHashMap<String, LegacyUpdate> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!(e.getValue() instanceof Map)) throw Codec.serialization("Unexpected value type in payload");
            Map<String, Object> u = (Map<String, Object>) e.getValue();
            out.put(
                    e.getKey(),
                    new LegacyUpdate(
                            (String) u.get("Action"), u.get("Value") == null ? null : Codec.value(u.get("Value"))));
        }
        return out;
    }
}
