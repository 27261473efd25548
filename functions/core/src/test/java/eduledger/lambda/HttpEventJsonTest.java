package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.harness.LambdaEvents;
import eduledger.harness.SamTemplate;
import eduledger.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The HTTP functions' own event mapping must agree with the Lambda runtime's serializer it replaces. */
class HttpEventJsonTest {

    @Test
    void readsEverySampleHttpEventAsTheRuntimeDoes() throws IOException {
        List<Path> samples = httpSamples();
        assertFalse(samples.isEmpty());
        for (Path sample : samples) {
            String json = Files.readString(sample);
            APIGatewayV2HTTPEvent byRuntime = LambdaEvents.fromJson(json, APIGatewayV2HTTPEvent.class);
            assertEquals(byRuntime, read(json), sample.toString());
        }
    }

    @Test
    void readsNullsEmptiesEscapesAndSkipsFieldsItDoesNotKnow() throws IOException {
        String json = """
                {"version": "2.0", "routeKey": "POST /x", "rawPath": "/x", "rawQueryString": "",
                 "cookies": ["a=1", "b=\\"2\\""], "headers": {"x-a": "\\u00e9\\n"}, "queryStringParameters": null,
                 "pathParameters": {}, "stageVariables": {"s": "v"}, "body": "{\\"k\\": [1, 2]}",
                 "isBase64Encoded": true, "future": {"nested": [1, {"deep": null}]},
                 "requestContext": {"requestId": "r", "timeEpoch": 1795348800000, "authorizer": {"jwt": {"claims": {}}},
                   "http": {"method": "POST", "path": "/x", "extra": [true]}}}
                """;
        APIGatewayV2HTTPEvent ours = read(json);
        assertEquals(LambdaEvents.fromJson(json, APIGatewayV2HTTPEvent.class).getHeaders(), ours.getHeaders());
        assertEquals(List.of("a=1", "b=\"2\""), ours.getCookies());
        assertNull(ours.getQueryStringParameters());
        assertEquals(Map.of(), ours.getPathParameters());
        assertEquals("{\"k\": [1, 2]}", ours.getBody());
        assertEquals(true, ours.getIsBase64Encoded());
        assertEquals(1795348800000L, ours.getRequestContext().getTimeEpoch());
        assertEquals("POST", ours.getRequestContext().getHttp().getMethod());
        // No API Gateway authorizer is configured; its claims are never read.
        assertNull(ours.getRequestContext().getAuthorizer());
    }

    @Test
    void aBodyLongerThanTheBodyParserAllowsStillReachesTheHandlerToBeRefusedThere() throws IOException {
        String body = "x".repeat(2_000_000);
        APIGatewayV2HTTPEvent event = read("{\"body\": \"" + body + "\"}");
        assertEquals(body.length(), event.getBody().length());
    }

    @Test
    void refusesWhatIsNotAnEventObject() {
        assertThrows(IOException.class, () -> read("[]"));
        assertThrows(IOException.class, () -> read("{\"headers\": [\"a\"]}"));
        assertThrows(IOException.class, () -> read("{\"rawPath\": "));
    }

    @Test
    void writesResponsesAsTheRuntimeDoes() throws IOException {
        List<APIGatewayV2HTTPResponse> responses = List.of(
                EdlinkEnvelope.respond(200, Json.object().put("é", "\"quoted\"\n"), Map.of("retry-after", "1")),
                APIGatewayV2HTTPResponse.builder().withStatusCode(204).build(),
                APIGatewayV2HTTPResponse.builder()
                        .withStatusCode(302)
                        .withCookies(List.of("a=1"))
                        .withMultiValueHeaders(Map.of("link", List.of("<a>", "<b>")))
                        .withBody("")
                        .build());
        for (APIGatewayV2HTTPResponse response : responses) {
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            HttpEventJson.write(response, ours);
            JsonNode byRuntime =
                    withoutNulls(Json.readStored(LambdaEvents.toJson(response, APIGatewayV2HTTPResponse.class)));
            assertEquals(byRuntime, Json.readStored(ours.toString(StandardCharsets.UTF_8)));
        }
    }

    private static APIGatewayV2HTTPEvent read(String json) throws IOException {
        return HttpEventJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> nulls = new ArrayList<>();
            object.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    nulls.add(field.getKey());
                } else {
                    withoutNulls(field.getValue());
                }
            });
            object.remove(nulls);
        }
        return node;
    }

    private static List<Path> httpSamples() throws IOException {
        Path events = SamTemplate.locate().getParent().resolve("events");
        try (Stream<Path> files = Files.list(events)) {
            List<Path> samples = new ArrayList<>();
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (Json.readStored(Files.readString(file)).has("routeKey")) {
                    samples.add(file);
                }
            }
            return samples;
        }
    }
}
