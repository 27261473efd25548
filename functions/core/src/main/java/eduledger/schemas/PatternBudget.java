package eduledger.schemas;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Runs the {@code pattern} and {@code patternProperties} regular expressions of audit schemas with a
 * time budget. Java's regex engine backtracks, so a pattern like {@code ^(a|aa)+$} against a long
 * string takes exponential time; {@link JsonSchemas#check} refuses the patterns known to do that, and
 * this is the backstop for the ones it cannot recognise: once a validation has spent its budget, the
 * match in progress and every later one in that validation count as not matching, so the event gets
 * a violation instead of holding the function until its timeout.
 */
final class PatternBudget implements RegularExpressionFactory {
    /** Per validated event: a batch of 100 events cannot spend more than 10 s of a 15 s invocation on patterns. */
    static final Duration PER_VALIDATION = Duration.ofMillis(100);
    /** How often the deadline is looked at, in characters read by the matcher. */
    private static final int CHECK_EVERY = 1024;

    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();

    private static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super(null, null, false, false);
        }
    }

    /** Starts the budget of one validation on this thread; {@link #end()} must follow. */
    static void start() {
        DEADLINE.set(System.nanoTime() + PER_VALIDATION.toNanos());
    }

    static void end() {
        DEADLINE.remove();
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return value -> {
            Long deadline = DEADLINE.get();
            if (deadline == null) {
                // Outside an event validation (meta-schema checks of a definition): the patterns are ours.
                return pattern.matcher(value).find();
            }
            try {
                return System.nanoTime() < deadline
                        && pattern.matcher(new Watched(value, deadline)).find();
            } catch (OutOfBudget e) {
                return false;
            }
        };
    }

    /** The matched text, which gives up reading once the deadline has passed. */
    private record Watched(String text, long deadline, int[] reads) implements CharSequence {
        Watched(String text, long deadline) {
            this(text, deadline, new int[1]);
        }

        @Override
        public char charAt(int index) {
            if (++reads[0] % CHECK_EVERY == 0 && System.nanoTime() > deadline) {
                throw new OutOfBudget();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Watched(text.substring(start, end), deadline, reads);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
