package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.auth.Scope;
import eduledger.json.Json;
import eduledger.paging.Page;
import eduledger.paging.PageBytes;
import eduledger.paging.PageRequest;
import eduledger.testing.ApiCall;
import eduledger.testing.TestServices;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A list of items near DynamoDB's item size, full of what JSON escapes and UTF-8 widens: each page stays
 * under Lambda's 6 MB response limit as the function writes it, and paging either way shows every
 * item exactly once.
 */
class PageBytesTest {
    private static final int LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
    private static final int ITEMS = 30;
    private static final ObjectMapper RESPONSES = new ObjectMapper();
    private final Services services = TestServices.shared();
    private final List<ObjectNode> items = new ArrayList<>();

    PageBytesTest() {
        // 110,000 quotes (4 bytes each once escaped twice) and 40,000 three-byte characters: 560 KB
        // in the response for an item of 350 KB of UTF-8 JSON.
        String text = "\"".repeat(110_000) + "\u20ac".repeat(40_000);
        for (int i = 0; i < ITEMS; i++) {
            ObjectNode item = Json.object();
            item.put("id", String.format("item-%03d", i));
            item.put("text", text);
            items.add(item);
        }
    }

    private Page<ObjectNode> list(PageRequest paging) {
        List<ObjectNode> beyond = new ArrayList<>();
        for (ObjectNode item : items) {
            String id = item.path("id").asText();
            if (paging.anchor() == null
                    || (paging.forward() ? id.compareTo(paging.anchor()) > 0 : id.compareTo(paging.anchor()) < 0)) {
                beyond.add(item);
            }
        }
        boolean more = beyond.size() > paging.size();
        List<ObjectNode> page = paging.forward()
                ? beyond.subList(0, Math.min(paging.size(), beyond.size()))
                : beyond.subList(Math.max(0, beyond.size() - paging.size()), beyond.size());
        return new Page<>(page, more);
    }

    private HttpFunction entry() {
        Router router = new Router(services.authenticator())
                .on("GET /items", Scope.AUDIT_READ, PageRequest.PARAMETERS, (request, caller) -> {
                    PageRequest paging = PageRequest.from(request::query);
                    return Reply.page(
                            request,
                            paging,
                            list(paging),
                            item -> item,
                            item -> item.path("id").asText());
                });
        return (event, context) -> router.handle(event);
    }

    @Test
    void anItemCostsItsBytesAsTheResponseCarriesThem() {
        ObjectNode item = Json.object();
        item.put("q", "\"\u20ac\n");
        // {"q":"\"€\n"} is 15 bytes of UTF-8; its 5 quotes and 2 backslashes are escaped again; one comma.
        assertEquals(15 + 7 + 1, PageBytes.of(item));
    }

    @Test
    void anItemWrittenAlreadyCostsWhatItsTreeWould() {
        ObjectNode item = Json.object();
        item.put("q", "\"\\ \u20ac \u00e9 \ud834\udd1e \n\t\u0001 plain");
        item.putArray("a").add(1.5).add(true).addNull().addObject().put("k", "\u2028");
        String written = Json.write(item);
        assertEquals(
                PageBytes.of(item),
                PageBytes.of(JsonNodeFactory.instance.rawValueNode(new RawValue(written))),
                written);
    }

    @Test
    void aPageIsCutAtTheItemWhoseBytesTakeItPastTheBound() throws Exception {
        // Items of different sizes and of every kind of character JSON escapes or UTF-8 widens, trees
        // and stored JSON alike: the page ends where their UTF-8 bytes, a comma each, pass 4 MiB.
        List<JsonNode> mixed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ObjectNode item = Json.object();
            item.put("id", String.format("item-%03d", i));
            item.put("text", "\"\\\n\u0001\u00e9\u20ac\ud834\udd1e plain".repeat(2_000 + 997 * i % 5_000));
            mixed.add(i % 3 == 0 ? JsonNodeFactory.instance.rawValueNode(new RawValue(Json.write(item))) : item);
        }
        for (boolean forward : new boolean[] {true, false}) {
            long bytes = 0;
            int fits = 0;
            for (int shown = 0; shown < mixed.size(); shown++) {
                bytes += Json.write(mixed.get(forward ? shown : mixed.size() - 1 - shown))
                                .getBytes(StandardCharsets.UTF_8)
                                .length
                        + 1;
                if (shown > 0 && bytes > PageBytes.MAX_ENCODED_PAGE_BYTES) {
                    break;
                }
                fits++;
            }
            assertTrue(fits > 1 && fits < mixed.size(), fits + " items fit");
            ApiRequest request = new ApiRequest(
                    HttpEventJson.read(new java.io.ByteArrayInputStream(HttpApiEvent.to("GET /items")
                            .header("host", "api.test")
                            .query(forward ? "$first" : "$last", "100")
                            .bytes())),
                    "req");
            Reply page = Reply.page(
                    request,
                    new PageRequest(100, forward, null),
                    new Page<>(mixed, false),
                    item -> item,
                    item -> Json.readStored(Json.write(item)).path("id").asText());
            var response = EdlinkEnvelope.data("req", page);
            assertTrue(response.getIsBase64Encoded(), "a list page travels base64-encoded");
            JsonNode data = Json.readStored(
                            new String(Base64.getDecoder().decode(response.getBody()), StandardCharsets.UTF_8))
                    .path("$data");
            assertEquals(fits, data.size(), forward ? "forward" : "backward");
            String edge = String.format("item-%03d", forward ? fits - 1 : mixed.size() - fits);
            assertEquals(edge, data.path(forward ? fits - 1 : 0).path("id").asText());
            assertEquals(edge, parameter(page.next(), forward ? "$after" : "$before"));
        }
    }

    @Test
    void forwardPagesStayUnderTheResponseLimitAndShowEveryItemOnce() throws Exception {
        walk("$first", "$after");
    }

    @Test
    void backwardPagesStayUnderTheResponseLimitAndShowEveryItemOnce() throws Exception {
        walk("$last", "$before");
    }

    private void walk(String sizeName, String anchorName) throws Exception {
        HttpFunction entry = entry();
        String token = TestServices.integration(services).token();
        List<String> seen = new ArrayList<>();
        String anchor = null;
        int pages = 0;
        do {
            var event = HttpApiEvent.to("GET /items")
                    .header("authorization", "Bearer " + token)
                    .header("host", "api.test")
                    .query(sizeName, "100");
            if (anchor != null) {
                event.query(anchorName, anchor);
            }
            byte[] response = event.sendTo(entry);
            assertTrue(response.length < LAMBDA_RESPONSE_LIMIT, "a response of " + response.length + " bytes");
            JsonNode body = Json.readStored(ApiCall.bodyOf(RESPONSES.readTree(response)));
            JsonNode data = body.path("$data");
            assertTrue(data.size() >= 1 && data.size() < ITEMS, "a page of " + data.size());
            List<String> ids = new ArrayList<>();
            data.forEach(item -> ids.add(item.path("id").asText()));
            if (sizeName.equals("$first")) {
                seen.addAll(ids);
            } else {
                seen.addAll(0, ids);
            }
            String next = body.path("$next").asText(null);
            anchor = next == null ? null : parameter(next, anchorName);
            if (next != null) {
                assertNotNull(anchor, next);
                assertEquals(sizeName.equals("$first") ? ids.get(ids.size() - 1) : ids.get(0), anchor);
            }
            pages++;
        } while (anchor != null && pages < ITEMS + 1);
        List<String> all = new ArrayList<>();
        items.forEach(item -> all.add(item.path("id").asText()));
        assertEquals(all, seen);
        assertTrue(pages >= 3, pages + " pages");
        assertNull(anchor);
    }

    private static String parameter(String url, String name) {
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
