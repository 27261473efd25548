package eduledger.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.paging.Page;
import eduledger.paging.PageBytes;
import eduledger.paging.PageRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * What an Edlink-style route returns; the router wraps it in the envelope. Its {@code $data} is
 * {@code data}, or for a list page its {@code items}, written already.
 */
public record Reply(int status, JsonNode data, List<ErrorDetail> warnings, String next, PageItems items) {

    public Reply(int status, JsonNode data, List<ErrorDetail> warnings, String next) {
        this(status, data, warnings, next, null);
    }

    public static Reply ok(JsonNode data) {
        return new Reply(200, data, List.of(), null);
    }

    public static Reply created(JsonNode data) {
        return new Reply(201, data, List.of(), null);
    }

    public static Reply page(JsonNode data, String next) {
        return new Reply(200, data, List.of(), next);
    }

    /**
     * A list page: its items as JSON, and while more lie beyond, {@code $next} anchored on the id of
     * the last item shown in the direction of paging. A page holds at most {@link
     * PageBytes#MAX_ENCODED_PAGE_BYTES} of items: when the store's page is larger, the items furthest in the
     * direction of paging are left for the next page, which starts right after the last one shown.
     */
    public static <T> Reply page(
            ApiRequest request,
            PageRequest paging,
            Page<T> page,
            Function<T, JsonNode> toJson,
            Function<T, String> idOf) {
        return page(request, paging, page, toJson, idOf, null);
    }

    /**
     * A list page that may have stopped short of full (see {@code AuditJoin}): when {@code
     * resumeAfter} is set and every item fits, {@code $next} is anchored on it, even on an empty
     * page, rather than on the last item shown.
     */
    public static <T> Reply page(
            ApiRequest request,
            PageRequest paging,
            Page<T> page,
            Function<T, JsonNode> toJson,
            Function<T, String> idOf,
            String resumeAfter) {
        List<T> items = page.items();
        int count = items.size();
        PageItems.Writer written = new PageItems.Writer(count);
        long bytes = 0;
        int shown = 0;
        // Items are oldest first; paging backward, the ones nearest the anchor are the last. Each is
        // written once, in the direction of paging, and measured as it is written.
        for (; shown < count; shown++) {
            int index = paging.forward() ? shown : count - 1 - shown;
            bytes += written.add(toJson.apply(items.get(index)));
            if (shown > 0 && bytes > PageBytes.MAX_ENCODED_PAGE_BYTES) {
                written.takeBack();
                break;
            }
        }
        int from = paging.forward() ? 0 : count - shown;
        String next = null;
        if (resumeAfter != null && shown == count) {
            next = nextUrl(request, paging, resumeAfter);
        } else if ((page.more() || shown < count) && shown > 0) {
            T edge = paging.forward() ? items.get(shown - 1) : items.get(from);
            next = nextUrl(request, paging, idOf.apply(edge));
        }
        // Shown in the store's order: paging backward, the last written first.
        return new Reply(200, null, List.of(), next, written.done(!paging.forward()));
    }

    public Reply withWarnings(List<ErrorDetail> moreWarnings) {
        return new Reply(status, data, List.copyOf(moreWarnings), next, items);
    }

    /** The same reply with its list's items in the opposite order. */
    public Reply reversed() {
        if (items != null) {
            return new Reply(status, null, warnings, next, items.reversed());
        }
        ArrayNode reversed = Json.array();
        for (int i = data.size() - 1; i >= 0; i--) {
            reversed.add(data.get(i));
        }
        return new Reply(status, reversed, warnings, next);
    }

    /** The absolute URL of the page after this one, keeping the caller's other parameters. */
    static String nextUrl(ApiRequest request, PageRequest paging, String lastSeenId) {
        StringBuilder url =
                new StringBuilder(request.baseUrl()).append(request.path()).append('?');
        request.queryParameters().forEach((name, value) -> {
            if (!name.equals("$after") && !name.equals("$before") && !name.equals("$first") && !name.equals("$last")) {
                url.append(encode(name)).append('=').append(encode(value)).append('&');
            }
        });
        url.append(paging.forward() ? "$first=" : "$last=")
                .append(paging.size())
                .append(paging.forward() ? "&$after=" : "&$before=")
                .append(encode(lastSeenId));
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%24", "$");
    }
}
