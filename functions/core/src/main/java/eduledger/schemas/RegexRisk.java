package eduledger.schemas;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Recognises regular expressions that can take exponential time on a backtracking engine because a
 * repeated group contains a repetition, as in {@code (a+)+}, {@code (a*)*} or {@code (\w+\s?)*}.
 * It is a syntactic check, deliberately coarse: it refuses some harmless patterns (rewrite them with
 * a possessive or atomic form) and cannot see every slow one ({@link ValidationBudget} catches those).
 */
final class RegexRisk {
    private RegexRisk() {}

    static boolean nestsRepetition(String regex) {
        // One frame per open group: does it contain a repetition so far?
        Deque<boolean[]> groups = new ArrayDeque<>();
        groups.push(new boolean[1]);
        boolean lastClosedGroupRepeats = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean closedGroupBefore = lastClosedGroupRepeats;
            lastClosedGroupRepeats = false;
            switch (c) {
                case '\\' -> i++;
                case '[' -> i = endOfClass(regex, i);
                case '(' -> groups.push(new boolean[1]);
                case ')' -> {
                    boolean inner = groups.size() > 1 ? groups.pop()[0] : false;
                    lastClosedGroupRepeats = inner;
                    if (inner) {
                        groups.peek()[0] = true;
                    }
                }
                case '*', '+', '{' -> {
                    if (c == '{' && !unboundedOrLarge(regex, i)) {
                        break;
                    }
                    if (closedGroupBefore) {
                        return true;
                    }
                    groups.peek()[0] = true;
                }
                default -> {}
            }
        }
        return false;
    }

    private static int endOfClass(String regex, int open) {
        for (int i = open + 1; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']' && i > open + 1) {
                return i;
            }
        }
        return regex.length();
    }

    /** {@code {n,}} or {@code {n,m}} with m above 1: a repetition that can backtrack. */
    private static boolean unboundedOrLarge(String regex, int open) {
        int close = regex.indexOf('}', open);
        if (close < 0) {
            return false;
        }
        String body = regex.substring(open + 1, close);
        if (!body.matches("\\d+(,\\d*)?")) {
            return false;
        }
        String[] bounds = body.split(",", -1);
        if (bounds.length == 1) {
            return Integer.parseInt(bounds[0].isEmpty() ? "0" : bounds[0].length() > 6 ? "999999" : bounds[0]) > 1;
        }
        return bounds[1].isEmpty() || (bounds[1].length() > 6 || Integer.parseInt(bounds[1]) > 1);
    }
}
