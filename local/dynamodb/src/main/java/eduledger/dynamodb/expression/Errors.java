package eduledger.dynamodb.expression;

import eduledger.dynamodb.error.DynamoDbError;
import eduledger.dynamodb.value.AttributeValue;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** DynamoDB's wording for expression errors. */
final class Errors {
    static final String INVALID_UPDATE_PATH =
            "The document path provided in the update expression is invalid for update";
    static final String INCORRECT_DATA_TYPE = "An operand in the update expression has an incorrect data type";
    static final String MISSING_ATTRIBUTE =
            "The provided expression refers to an attribute that does not exist in the item";

    private Errors() {}

    /** "Invalid {parameter}: {detail}". */
    static DynamoDbError invalid(String parameter, String detail) {
        return DynamoDbError.validation("Invalid " + parameter + ": " + detail);
    }

    static DynamoDbError validation(String message) {
        return DynamoDbError.validation(message);
    }

    /** The long type names DynamoDB uses in ADD/DELETE operand messages. */
    static String longTypeName(AttributeValue v) {
        switch (v.type()) {
            case "S":
                return "STRING";
            case "N":
                return "NUMBER";
            case "B":
                return "BINARY";
            case "SS":
                return "STRING_SET";
            case "NS":
                return "NUMBER_SET";
            case "BS":
                return "BINARY_SET";
            case "M":
                return "MAP";
            case "L":
                return "LIST";
            case "BOOL":
                return "BOOLEAN";
            default:
                return "NULL";
        }
    }

    /** A value as DynamoDB prints it inside messages, e.g. {@code {N:5}} or {@code {S:abc}}. */
    static String render(AttributeValue v) {
        StringBuilder sb = new StringBuilder();
        render(v, sb);
        return sb.toString();
    }

    private static void render(AttributeValue v, StringBuilder sb) {
        sb.append('{').append(v.type()).append(':');
        if (v instanceof AttributeValue.Str s) {
            sb.append(s.value());
        } else if (v instanceof AttributeValue.Num n) {
            sb.append(n.text());
        } else if (v instanceof AttributeValue.Bin b) {
            sb.append(Base64.getEncoder().encodeToString(b.bytes()));
        } else if (v instanceof AttributeValue.Bool b) {
            sb.append(b.value());
        } else if (v instanceof AttributeValue.Null) {
            sb.append("true");
        } else if (v instanceof AttributeValue.StrSet ss) {
            sb.append(ss.values());
        } else if (v instanceof AttributeValue.NumSet ns) {
            sb.append('[');
            Iterator<BigDecimal> it = ns.values().iterator();
            while (it.hasNext()) {
                sb.append(it.next().toPlainString());
                if (it.hasNext()) sb.append(", ");
            }
            sb.append(']');
        } else if (v instanceof AttributeValue.BinSet bs) {
            sb.append('[');
            Iterator<AttributeValue.Bin> it = bs.values().iterator();
            while (it.hasNext()) {
                sb.append(Base64.getEncoder().encodeToString(it.next().bytes()));
                if (it.hasNext()) sb.append(", ");
            }
            sb.append(']');
        } else if (v instanceof AttributeValue.ListValue l) {
            sb.append('[');
            for (int i = 0; i < l.values().size(); i++) {
                if (i > 0) sb.append(", ");
                render(l.values().get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof AttributeValue.MapValue m) {
            sb.append('{');
            Iterator<Map.Entry<String, AttributeValue>> it =
                    m.values().entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, AttributeValue> e = it.next();
                sb.append(e.getKey()).append('=');
                render(e.getValue(), sb);
                if (it.hasNext()) sb.append(", ");
            }
            sb.append('}');
        }
        sb.append('}');
    }
}
