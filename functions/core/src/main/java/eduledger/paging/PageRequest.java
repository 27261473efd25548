package eduledger.paging;

import eduledger.errors.ServiceException;
import eduledger.lambda.ApiRequest;

/**
 * Edlink paging: {@code $first}/{@code $after} pages forward, {@code $last}/{@code $before} pages
 * backward; either way items come out oldest first. The anchor is the id of an item already seen.
 */
public record PageRequest(int size, boolean forward, String anchor) {
    public static final int DEFAULT_SIZE = 100;
    public static final int MAX_SIZE = 10_000;

    public static PageRequest from(ApiRequest request) {
        String first = request.query("$first");
        String last = request.query("$last");
        String after = request.query("$after");
        String before = request.query("$before");
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
        if (anchor != null && anchor.length() > ApiRequest.MAX_PATH_PARAMETER_LENGTH) {
            throw ServiceException.badRequest("INVALID_PAGING", (forward ? "$after" : "$before")
                    + " names an id, and no id is longer than " + ApiRequest.MAX_PATH_PARAMETER_LENGTH + " characters.");
        }
        return new PageRequest(size(sizeText, forward ? "$first" : "$last"), forward, anchor);
    }

    private static int size(String text, String name) {
        if (text == null) {
            return DEFAULT_SIZE;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ServiceException.badRequest("INVALID_PAGING", name + " must be a whole number from 1 to " + MAX_SIZE + ".");
        }
        if (value < 1 || value > MAX_SIZE) {
            throw ServiceException.badRequest("INVALID_PAGING", name + " must be a whole number from 1 to " + MAX_SIZE + ".");
        }
        return value;
    }

    /** The absolute URL of the page after this one, keeping the caller's other parameters. */
    public String nextUrl(ApiRequest request, String lastSeenId) {
        StringBuilder url = new StringBuilder(request.baseUrl()).append(request.path()).append('?');
        request.queryParameters().forEach((name, value) -> {
            if (!name.equals("$after") && !name.equals("$before") && !name.equals("$first") && !name.equals("$last")) {
                url.append(encode(name)).append('=').append(encode(value)).append('&');
            }
        });
        url.append(forward ? "$first=" : "$last=").append(size)
                .append(forward ? "&$after=" : "&$before=").append(encode(lastSeenId));
        return url.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("%24", "$");
    }
}
