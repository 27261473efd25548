package eduledger.dynamodb.wire;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Reads attribute values from the JSON tree, validating them as DynamoDB does. */
public final class Codec {
    private static final String INVALID = "One or more parameter values were invalid: ";

    private Codec() {}

    /** An item (or key): a JSON object of typed values; null stays null. */
    public static Map<String, AttributeValue> item(Object node) {
        if (node == null) return null;
        if (!(node instanceof Map<?, ?> map)) throw serialization("Unexpected value type in payload");
        LinkedHashMap<String, AttributeValue> item = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) item.put((String) e.getKey(), value(e.getValue()));
        return item;
    }

    public static DynamoDbError serialization(String message) {
        return DynamoDbError.of(400, "SerializationException", message);
    }

    public static AttributeValue value(Object node) {
        if (!(node instanceof Map<?, ?> map)) throw serialization("Unexpected value type in payload");
        int n = 0;
        String type = null;
        Object body = null;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() == null) continue;
            n++;
            type = (String) e.getKey();
            body = e.getValue();
        }
        if (n == 0)
            throw DynamoDbError.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        if (n > 1)
            throw DynamoDbError.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        switch (type) {
            case "S":
                return new AttributeValue.Str(text(body));
            case "N":
                return new AttributeValue.Num(number(text(body)));
            case "B":
                return new AttributeValue.Bin(binary(body));
            case "BOOL":
                if (!(body instanceof Boolean b)) throw serialization("BOOL must be a boolean");
                return AttributeValue.Bool.of(b);
            case "NULL":
                if (!(body instanceof Boolean b)) throw serialization("NULL must be a boolean");
                if (!b)
                    throw DynamoDbError.validation(INVALID + "Null attribute value types must have the value of true");
                return AttributeValue.Null.INSTANCE;
            case "SS": {
                List<?> list = array(body);
                if (list.isEmpty()) throw DynamoDbError.validation(INVALID + "An string set  may not be empty");
                LinkedHashSet<String> set = new LinkedHashSet<>();
                for (Object o : list) set.add(text(o));
                if (set.size() != list.size()) throw duplicates(list);
                return new AttributeValue.StrSet(set);
            }
            case "NS": {
                List<?> list = array(body);
                if (list.isEmpty()) throw DynamoDbError.validation(INVALID + "An number set  may not be empty");
                LinkedHashSet<BigDecimal> set = new LinkedHashSet<>();
                for (Object o : list) set.add(Numbers.normalize(number(text(o))));
                if (set.size() != list.size()) throw duplicates(list);
                return new AttributeValue.NumSet(set);
            }
            case "BS": {
                List<?> list = array(body);
                if (list.isEmpty()) throw DynamoDbError.validation(INVALID + "Binary sets should not be empty");
                LinkedHashSet<AttributeValue.Bin> set = new LinkedHashSet<>();
                for (Object o : list) set.add(new AttributeValue.Bin(binary(o)));
                if (set.size() != list.size()) throw duplicates(list);
                return new AttributeValue.BinSet(set);
            }
            case "M": {
                if (!(body instanceof Map<?, ?> m)) throw serialization("M must be an object");
                LinkedHashMap<String, AttributeValue> values = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) values.put((String) e.getKey(), value(e.getValue()));
                return new AttributeValue.MapValue(values);
            }
            case "L": {
                List<?> list = array(body);
                ArrayList<AttributeValue> values = new ArrayList<>(list.size());
                for (Object o : list) values.add(value(o));
                return new AttributeValue.ListValue(values);
            }
            default:
                throw serialization("Unknown attribute value type " + type);
        }
    }

    private static DynamoDbError duplicates(List<?> list) {
        StringBuilder b = new StringBuilder();
        for (Object o : list) {
            if (b.length() > 0) b.append(", ");
            b.append(o);
        }
        return DynamoDbError.validation(INVALID + "Input collection [" + b + "] contains duplicates.");
    }

    private static String text(Object body) {
        if (body instanceof String s) return s;
        if (body instanceof BigDecimal d) return d.toPlainString();
        throw serialization("Unexpected value type in payload");
    }

    private static List<?> array(Object body) {
        if (body instanceof List<?> l) return l;
        throw serialization("Unexpected value type in payload");
    }

    private static byte[] binary(Object body) {
        if (!(body instanceof String s)) throw serialization("Unexpected value type in payload");
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getMimeDecoder().decode(s);
            } catch (IllegalArgumentException e2) {
                throw serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + s.length());
            }
        }
    }

    /** Parses and range-checks a number as DynamoDB does. */
    public static BigDecimal number(String text) {
        BigDecimal d;
        String t = text.trim();
        try {
            if (t.isEmpty() || t.indexOf('x') >= 0 || t.indexOf('X') >= 0) throw new NumberFormatException();
            d = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw DynamoDbError.validation("The parameter cannot be converted to a numeric value: " + text);
        }
        if (d.signum() == 0) return BigDecimal.ZERO;
        BigDecimal s = d.stripTrailingZeros();
        if (s.precision() > Numbers.MAX_PRECISION) {
            throw DynamoDbError.validation("Attempting to store more than 38 significant digits in a Number");
        }
        int exponent = s.precision() - s.scale() - 1;
        if (exponent >= 126)
            throw DynamoDbError.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        if (exponent < -130)
            throw DynamoDbError.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        return s;
    }

    /** A set of strings of a JSON array, null when absent. */
    public static List<String> strings(Object node) {
        if (node == null) return null;
        List<?> list = array(node);
        ArrayList<String> out = new ArrayList<>(list.size());
        for (Object o : list) out.add(text(o));
        return out;
    }

    static boolean unique(List<?> list) {
        return new HashSet<>(list).size() == list.size();
    }
}
