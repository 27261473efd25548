package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The envelope is written straight into the form the response carries its body in: the response
 * must be byte for byte what writing the envelope's tree to a string and that string into the
 * response gives, escaped, or for a list page base64-encoded from its UTF-8.
 */
class EdlinkEnvelopeTest {
    private static final String TRICKY = "\"quoted\" \\ back\nline\ttab \u0001 \u00e9 \u20ac \ud834\udd1e \u2028 </>";

    @Test
    void aReplyIsTheBytesItsTreeWouldBe() throws IOException {
        ObjectNode data = Json.object();
        data.put("text", TRICKY);
        data.putArray("list").add(1.5).add(-7).add(12345678901L).add(true).addNull();
        data.putObject("nested").put("é", TRICKY);
        List<ErrorDetail> warnings = List.of(ErrorDetail.of("SOME_WARNING", "A warning, " + TRICKY));
        Reply reply = new Reply(201, data, warnings, "https://api.test/x?$first=2&$after=a%22b");
        assertSame(tree(201, "req-1", data, warnings, reply.next(), false), EdlinkEnvelope.data("req-1", reply));
        assertSame(tree(200, "req-2", null, List.of(), null, false), EdlinkEnvelope.data("req-2", Reply.ok(null)));
    }

    @Test
    void aPageIsTheBytesItsTreeWouldBeEitherWayAndReversed() throws IOException {
        List<JsonNode> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode item = Json.object();
            item.put("id", "item-" + i);
            item.put("text", TRICKY.repeat(i));
            // Stored JSON spliced in as it is, beside trees.
            items.add(i % 2 == 0 ? item : JsonNodeFactory.instance.rawValueNode(new RawValue(Json.write(item))));
        }
        for (boolean forward : new boolean[] {true, false}) {
            PageRequest paging = new PageRequest(5, forward, null);
            ApiRequest request = new ApiRequest(
                    HttpEventJson.read(new ByteArrayInputStream(HttpApiEvent.to("GET /items")
                            .header("host", "api.test")
                            .query(forward ? "$first" : "$last", "5")
                            .bytes())),
                    "req-3");
            Reply page = Reply.page(request, paging, new Page<>(items, true), item -> item, item -> "id");
            ArrayNode inOrder = Json.array();
            items.forEach(item -> inOrder.add(Json.readStored(Json.write(item))));
            assertSame(tree(200, "req-3", inOrder, List.of(), page.next(), true), EdlinkEnvelope.data("req-3", page));
            ArrayNode reversed = Json.array();
            for (int i = items.size() - 1; i >= 0; i--) {
                reversed.add(inOrder.get(i));
            }
            assertSame(
                    tree(200, "req-3", reversed, List.of(), page.next(), true),
                    EdlinkEnvelope.data("req-3", page.reversed()));
        }
    }

    @Test
    void aPageWhoseBodyIsReplacedCarriesTheNewOne() throws IOException {
        ApiRequest request = new ApiRequest(
                HttpEventJson.read(new ByteArrayInputStream(
                        HttpApiEvent.to("GET /items").header("host", "api.test").bytes())),
                "req-4");
        Reply page = Reply.page(
                request,
                new PageRequest(5, true, null),
                new Page<JsonNode>(List.of(Json.object().put("id", "a")), false),
                item -> item,
                item -> "id");
        APIGatewayV2HTTPResponse response = EdlinkEnvelope.data("req-4", page);
        String replaced = Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
        response.setBody(replaced);
        assertEquals(replaced, response.getBody());
        assertEquals(replaced, Json.readStored(written(response)).path("body").asText());
    }

    /** The response as the envelope's tree, written to a string, makes it; {@code encoded}: in base64. */
    private static APIGatewayV2HTTPResponse tree(
            int status, String requestId, JsonNode data, List<ErrorDetail> warnings, String next, boolean encoded) {
        ObjectNode body = Json.object();
        body.put("$request", requestId);
        body.set("$data", data);
        if (next != null) {
            body.put("$next", next);
        }
        if (!warnings.isEmpty()) {
            body.set("$warnings", ErrorDetail.toJson(warnings));
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json; charset=utf-8");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(
                        encoded
                                ? Base64.getEncoder()
                                        .encodeToString(Json.write(body).getBytes(StandardCharsets.UTF_8))
                                : Json.write(body))
                .withIsBase64Encoded(encoded)
                .build();
    }

    private static void assertSame(APIGatewayV2HTTPResponse expected, APIGatewayV2HTTPResponse actual)
            throws IOException {
        assertEquals(written(expected), written(actual));
        assertEquals(expected.getBody(), actual.getBody());
        assertEquals(expected.getStatusCode(), actual.getStatusCode());
        assertEquals(expected.getHeaders(), actual.getHeaders());
    }

    private static String written(APIGatewayV2HTTPResponse response) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpEventJson.write(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
