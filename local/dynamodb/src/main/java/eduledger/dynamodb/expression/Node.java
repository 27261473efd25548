package eduledger.dynamodb.expression;

import eduledger.dynamodb.value.AttributeValue;
import eduledger.dynamodb.value.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The condition tree: every node is a {@link Condition}. Comparisons between mismatched types are false. */
interface Node extends Condition {

    enum Comparator {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }
    }

    record And(Node left, Node right) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(Node left, Node right) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(Node inner) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            return !inner.test(item);
        }
    }

    record Compare(Comparator op, Operand left, Operand right) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = left.eval(item);
            AttributeValue b = right.eval(item);
            switch (op) {
                case EQ:
                    return a != null && a.equals(b);
                case NE:
                    return a == null || !a.equals(b);
                default:
                    if (a == null || b == null || !Values.comparable(a, b)) return false;
                    int c = Values.compare(a, b);
                    switch (op) {
                        case LT:
                            return c < 0;
                        case LE:
                            return c <= 0;
                        case GT:
                            return c > 0;
                        default:
                            return c >= 0;
                    }
            }
        }
    }

    record Between(Operand value, Operand lower, Operand upper) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.eval(item);
            AttributeValue lo = lower.eval(item);
            AttributeValue hi = upper.eval(item);
            if (v == null || lo == null || hi == null) return false;
            if (!Values.comparable(v, lo) || !Values.comparable(v, hi)) return false;
            return Values.compare(lo, v) <= 0 && Values.compare(v, hi) <= 0;
        }
    }

    record In(Operand value, List<Operand> candidates) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.eval(item);
            if (v == null) return false;
            for (Operand candidate : candidates) {
                if (v.equals(candidate.eval(item))) return true;
            }
            return false;
        }
    }

    record Exists(Path path, boolean expected) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            return (path.get(item) != null) == expected;
        }
    }

    record AttributeType(Operand subject, Operand type) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = subject.eval(item);
            AttributeValue t = type.eval(item);
            return v != null && t instanceof AttributeValue.Str s && v.type().equals(s.value());
        }
    }

    record BeginsWith(Operand subject, Operand prefix) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = subject.eval(item);
            AttributeValue p = prefix.eval(item);
            if (v instanceof AttributeValue.Str s && p instanceof AttributeValue.Str ps) {
                return s.value().startsWith(ps.value());
            }
            if (v instanceof AttributeValue.Bin b && p instanceof AttributeValue.Bin pb) {
                if (pb.length() > b.length()) return false;
                for (int i = 0; i < pb.length(); i++) {
                    if (b.at(i) != pb.at(i)) return false;
                }
                return true;
            }
            return false;
        }
    }

    record Contains(Operand subject, Operand element) implements Node {
        public boolean test(Map<String, AttributeValue> item) {
            return contains(subject.eval(item), element.eval(item));
        }
    }

    /** contains(): a substring of a string, a subsequence of a binary, a member of a set or a list. */
    static boolean contains(AttributeValue v, AttributeValue e) {
        if (v == null || e == null) return false;
        if (v instanceof AttributeValue.Str s) {
            return e instanceof AttributeValue.Str es && s.value().contains(es.value());
        }
        if (v instanceof AttributeValue.Bin b) {
            if (!(e instanceof AttributeValue.Bin eb)) return false;
            byte[] hay = b.bytes();
            byte[] needle = eb.bytes();
            outer:
            for (int i = 0; i + needle.length <= hay.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (hay[i + j] != needle[j]) continue outer;
                }
                return true;
            }
            return false;
        }
        if (v instanceof AttributeValue.StrSet ss) {
            return e instanceof AttributeValue.Str es && ss.values().contains(es.value());
        }
        if (v instanceof AttributeValue.NumSet ns) {
            if (!(e instanceof AttributeValue.Num en)) return false;
            BigDecimal target = en.value();
            return ns.values().contains(target);
        }
        if (v instanceof AttributeValue.BinSet bs) {
            return e instanceof AttributeValue.Bin eb && bs.values().contains(eb);
        }
        if (v instanceof AttributeValue.ListValue l) {
            return l.values().contains(e);
        }
        return false;
    }
}
