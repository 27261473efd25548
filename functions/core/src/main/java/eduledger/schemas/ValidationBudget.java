package eduledger.schemas;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.regex.Pattern;

/**
 * Bounds what validating one event may cost with a budget of steps that grows with the event.
 * Several things can cost more than the input's size: Java's regex engine backtracks, so a pattern
 * like {@code ^(a|aa)+$} against a long string takes exponential time ({@link JsonSchemas#check}
 * refuses the patterns known to do that; this is the backstop for the ones it cannot recognise); a
 * {@code $ref} that recurses through several branches ({@code anyOf} of two references to the root)
 * visits every branch at every level of the event, exponential in its depth; and any keyword of a
 * schema applies once per place of the event it reaches, so thousands of them under {@code items}
 * cost the schema's size times the array's. A step is one character a pattern's matcher reads
 * (backtracking reads the same characters again), {@link #MATCH_STEPS} per search,
 * {@link #REF_STEPS} for each reference followed, {@link #VIOLATION_STEPS} for each violation, and
 * what each keyword is charged each time it applies ({@link ChargedKeyword}), so the budget is the
 * same on every machine and under any load, unlike a time limit. Once a validation has spent it,
 * {@link Spent} stops it where it is, {@link #end()} reports it, and the event is refused with
 * {@code VALIDATION_TOO_COSTLY} rather than holding the function until its timeout.
 */
final class ValidationBudget implements RegularExpressionFactory {
    /** Steps every validation may take whatever its size: linear patterns over a 1 MiB event fit many times. */
    static final long BASE_STEPS = 2_000_000;
    /**
     * Steps per character of the event's strings and names, and per value: what many linear
     * patterns over each of them take.
     */
    static final long STEPS_PER_CHARACTER = 64;
    /**
     * What following one reference costs. Following one is far dearer than a character read (it
     * evaluates a whole subschema), and a recursive schema follows about one per value of the event,
     * which brings at least 64 steps: an event of up to a few thousand nested values validates.
     */
    static final long REF_STEPS = 256;
    /** What each violation a reference brings back costs: carrying it up is work too. */
    static final long VIOLATION_STEPS = 64;
    /**
     * What evaluating any keyword costs besides its width ({@link ChargedKeyword}): the validator's
     * own bookkeeping for one keyword at one place of the event.
     */
    static final long KEYWORD_STEPS = 16;
    /** What one search of a pattern costs besides the characters it reads: starting a matcher is work too. */
    static final long MATCH_STEPS = 4;

    private static final class Budget {
        long left;
        boolean spent;

        Budget(long left) {
            this.left = left;
        }
    }

    private static final ThreadLocal<Budget> BUDGET = new ThreadLocal<>();

    /**
     * Thrown through the validator once the budget is spent, so that no loop of it (a keyword over
     * every member, a pattern over every name) goes on doing unpaid work. An {@link Error}, because
     * the validator catches exceptions in places (a pattern that throws is taken as a mismatch) and
     * only lets errors through; {@link JsonSchemas} catches it at the top of the validation.
     */
    static final class Spent extends Error {
        private static final long serialVersionUID = 1L;

        Spent() {
            super(null, null, false, false);
        }
    }

    /**
     * Starts the budget of one validation on this thread; {@link #end()} must follow.
     *
     * @param characters the characters of the validated value's strings and member names, plus one per value
     */
    static void start(long characters) {
        BUDGET.set(new Budget(BASE_STEPS + STEPS_PER_CHARACTER * characters));
    }

    /** Ends the validation's budget: true when it ran out, so no outcome of it can be trusted. */
    static boolean end() {
        Budget budget = BUDGET.get();
        BUDGET.remove();
        return budget != null && budget.spent;
    }

    /**
     * Charges {@code steps} to the validation in progress on this thread, and stops it with
     * {@link Spent} once its budget is spent. Outside a validation, free.
     */
    static void charge(long steps) {
        Budget budget = BUDGET.get();
        if (budget == null) {
            return;
        }
        budget.left -= steps;
        if (budget.spent || budget.left < 0) {
            budget.spent = true;
            throw new Spent();
        }
    }

    /** Charges the violations a followed reference brought back, and passes them on. */
    static <T> java.util.Set<T> charged(java.util.Set<T> violations) {
        charge(VIOLATION_STEPS * violations.size());
        return violations;
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return value -> {
            Budget budget = BUDGET.get();
            if (budget == null) {
                // Outside an event validation (meta-schema checks of a definition): the patterns are ours.
                return pattern.matcher(value).find();
            }
            charge(MATCH_STEPS);
            try {
                return pattern.matcher(new Counted(value, budget)).find();
            } catch (StackOverflowError e) {
                // The engine recurses once per repetition of a group such as (a|b)+, so a long
                // enough text overflows the stack: the outcome is as unknown as when out of budget.
                budget.spent = true;
                throw new Spent();
            }
        };
    }

    /** The matched text, which stops the match once the validation has read its budget of characters. */
    private record Counted(String text, Budget budget) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (--budget.left < 0) {
                budget.spent = true;
                throw new Spent();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counted(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
