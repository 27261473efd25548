package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Numbers;
import eduledger.dynamodb.value.Values;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A value-producing node: a path, a constant, size(), or (in updates) arithmetic and the update functions. */
interface Operand {
    /** The operand's value for the item, or null when it refers to something the item lacks. */
    AttributeValue eval(Map<String, AttributeValue> item);

    record PathRef(Path path) implements Operand {
        public AttributeValue eval(Map<String, AttributeValue> item) {
            return path.get(item);
        }
    }

    record Const(AttributeValue value) implements Operand {
        public AttributeValue eval(Map<String, AttributeValue> item) {
            return value;
        }
    }

    /** size(operand): a string's size is its length in UTF-8 bytes; undefined (null) for numbers, booleans and nulls, which makes any comparison false. */
    record Size(Operand subject) implements Operand {
        public AttributeValue eval(Map<String, AttributeValue> item) {
            AttributeValue v = subject.eval(item);
            long size;
            if (v instanceof AttributeValue.Str s) {
                size = Values.utf8Length(s.value());
            } else if (v instanceof AttributeValue.Bin b) {
                size = b.length();
            } else if (v instanceof AttributeValue.StrSet ss) {
                size = ss.values().size();
            } else if (v instanceof AttributeValue.NumSet ns) {
                size = ns.values().size();
            } else if (v instanceof AttributeValue.BinSet bs) {
                size = bs.values().size();
            } else if (v instanceof AttributeValue.ListValue l) {
                size = l.values().size();
            } else if (v instanceof AttributeValue.MapValue m) {
                size = m.values().size();
            } else {
                return null;
            }
            return new AttributeValue.Num(BigDecimal.valueOf(size));
        }
    }

    /** Operands of SET's right-hand side are evaluated strictly: a missing path or a wrong type is an error. */
    static AttributeValue require(Operand operand, Map<String, AttributeValue> item) {
        AttributeValue v = operand.eval(item);
        if (v == null) throw Errors.validation(Errors.MISSING_ATTRIBUTE);
        return v;
    }

    record Arithmetic(Operand left, Operand right, boolean plus) implements Operand {
        public AttributeValue eval(Map<String, AttributeValue> item) {
            AttributeValue a = require(left, item);
            AttributeValue b = require(right, item);
            if (!(a instanceof AttributeValue.Num x) || !(b instanceof AttributeValue.Num y)) {
                throw Errors.validation(Errors.INCORRECT_DATA_TYPE);
            }
            BigDecimal r = plus ? x.value().add(y.value()) : x.value().subtract(y.value());
            return new AttributeValue.Num(checkRange(r));
        }
    }

    record IfNotExists(Path path, Operand fallback) implements Operand {
        public AttributeValue eval(Map<String, AttributeValue> item) {
            AttributeValue v = path.get(item);
            return v != null ? v : require(fallback, item);
        }
    }

    record ListAppend(Operand first, Operand second) implements Operand {
        public AttributeValue eval(Map<String, AttributeValue> item) {
            AttributeValue a = require(first, item);
            AttributeValue b = require(second, item);
            if (!(a instanceof AttributeValue.ListValue x) || !(b instanceof AttributeValue.ListValue y)) {
                throw Errors.validation(Errors.INCORRECT_DATA_TYPE);
            }
            List<AttributeValue> joined =
                    new ArrayList<>(x.values().size() + y.values().size());
            joined.addAll(x.values());
            joined.addAll(y.values());
            return new AttributeValue.ListValue(joined);
        }
    }

    /** Arithmetic results keep DynamoDB's 38-digit precision and magnitude range. */
    static BigDecimal checkRange(BigDecimal r) {
        if (r.signum() == 0) return r;
        BigDecimal n = Numbers.normalize(r);
        if (n.precision() > Numbers.MAX_PRECISION) {
            BigDecimal rounded = n.round(new MathContext(Numbers.MAX_PRECISION));
            if (rounded.compareTo(n) != 0) {
                throw Errors.validation(
                        "Number overflow. Attempting to store a number with magnitude larger than supported range");
            }
            n = rounded;
        }
        int exponent = n.precision() - n.scale() - 1;
        if (exponent >= 126) {
            throw Errors.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (exponent < -130) {
            throw Errors.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return n;
    }
}
