package eduledger.paging;

import eduledger.errors.ServiceException;
import java.util.Set;
import java.util.function.Function;

/**
 * Edlink paging: {@code $first}/{@code $after} pages forward, {@code $last}/{@code $before} pages
 * backward; either way items come out oldest first. The anchor is the id of an item already seen.
 */
public record PageRequest(int size, boolean forward, String anchor) {
    public static final int DEFAULT_SIZE = 100;
    public static final int MAX_SIZE = 10_000;

    /**
     * No id this API hands out is longer, so a longer anchor is refused rather than looked up; the
     * bound also keeps keys built from it under DynamoDB's key size limits.
     */
    public static final int MAX_ANCHOR_LENGTH = 256;

    /**
     * The query parameters every list route takes for paging. {@code limit} is what Edlink's
     * published SDK sends with a list request: the number of items the caller will read in all, so
     * no page holds more.
     */
    public static final Set<String> PARAMETERS = Set.of("$first", "$last", "$after", "$before", "limit");

    /** @param parameters the list's parameters by name ({@code $first}, {@code $after}, ...); absent ones are null */
    public static PageRequest from(Function<String, String> parameters) {
        String first = parameters.apply("$first");
        String last = parameters.apply("$last");
        String after = parameters.apply("$after");
        String before = parameters.apply("$before");
        if (first != null && last != null) {
            throw ServiceException.badRequest("INVALID_PAGING", "Use $first or $last, not both.");
        }
        if (after != null && before != null) {
            throw ServiceException.badRequest("INVALID_PAGING", "Use $after or $before, not both.");
        }
        boolean forward = last == null && before == null;
        if (!forward && first != null) {
            throw ServiceException.badRequest("INVALID_PAGING", "$first pages forward; with $before use $last.");
        }
        if (forward && last != null) {
            throw ServiceException.badRequest("INVALID_PAGING", "$last pages backward; with $after use $first.");
        }
        if (!forward && after != null) {
            // Otherwise $after would be silently ignored and the caller would get a page it did not ask for.
            throw ServiceException.badRequest("INVALID_PAGING", "$after pages forward; with $last use $before.");
        }
        String sizeText = forward ? first : last;
        String anchor = forward ? after : before;
        if (anchor != null && anchor.isBlank()) {
            throw ServiceException.badRequest("INVALID_PAGING", (forward ? "$after" : "$before") + " is empty.");
        }
        if (anchor != null && anchor.length() > MAX_ANCHOR_LENGTH) {
            throw ServiceException.badRequest(
                    "INVALID_PAGING",
                    (forward ? "$after" : "$before") + " names an id, and no id is longer than " + MAX_ANCHOR_LENGTH
                            + " characters.");
        }
        int size = size(sizeText, forward ? "$first" : "$last");
        String limit = parameters.apply("limit");
        if (limit != null) {
            size = Math.min(size, size(limit, "limit"));
        }
        return new PageRequest(size, forward, anchor);
    }

    private static int size(String text, String name) {
        if (text == null) {
            return DEFAULT_SIZE;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ServiceException.badRequest(
                    "INVALID_PAGING", name + " must be a whole number from 1 to " + MAX_SIZE + ".");
        }
        if (value < 1 || value > MAX_SIZE) {
            throw ServiceException.badRequest(
                    "INVALID_PAGING", name + " must be a whole number from 1 to " + MAX_SIZE + ".");
        }
        return value;
    }
}
