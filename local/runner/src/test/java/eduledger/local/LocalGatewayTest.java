package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local runner's gateway over real HTTP on loopback, as a person with curl would use it. */
class LocalGatewayTest {
    private static LocalSystem system;
    private static HttpGateway gateway;
    private static int port;
    private static String token;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.attach(
                SamTemplate.read(SamTemplate.locate()), TestStore.get().endpoint());
        port = freePort();
        gateway = new HttpGateway(port, system.functions());
        token = system.devToken(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        system.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (bearer != null) {
            request.header("authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheTemplatesRoutesWithPathParametersAndQueries() throws Exception {
        String action = "gateway." + System.nanoTime();
        HttpResponse<String> created = send(
                "POST",
                "/api/v2/audit/schemas",
                "{\"action\": {\"id\": \"" + action + "\", \"type\": \"read\"}}",
                token);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.headers().firstValue("content-type").orElse("").startsWith("application/json"));

        assertEquals(
                201,
                send(
                                "POST",
                                "/api/v2/audit/schemas",
                                "{\"action\": {\"id\": \"" + action + ".second\", \"type\": \"read\"}}",
                                token)
                        .statusCode());

        HttpResponse<String> fetched = send("GET", "/api/v2/audit/schemas/" + action, null, token);
        assertEquals(200, fetched.statusCode());
        assertEquals(
                action,
                Json.readStored(fetched.body())
                        .path("$data")
                        .path("action")
                        .path("id")
                        .asText());

        HttpResponse<String> page = send("GET", "/api/v2/audit/schemas?$first=1", null, token);
        JsonNode body = Json.readStored(page.body());
        assertEquals(1, body.path("$data").size());
        assertTrue(
                body.path("$next")
                        .asText()
                        .startsWith("http://127.0.0.1:" + port + "/api/v2/audit/schemas?$first=1&$after="),
                body.toString());
    }

    /**
     * The local application owns the local integration: its secret (fixed as {@code
     * EDULEDGER_APP_SECRET} fixes it) sends and lists the integration's audit events, the
     * integration's own token is refused there, and the meta routes show the pair.
     */
    @Test
    void theLocalApplicationsSecretSendsTheLocalIntegrationsAuditEvents() throws Exception {
        String secret = system.appSecret("edl_app_gateway_" + System.nanoTime());
        String event = """
                {"action": "gateway.login",
                 "actor": {"identifiers": [{"value": "teacher-7", "issuer": "gradebook"}], "type": "person"},
                 "targets": [], "scope": {"id": "%s", "type": "integration"}}""".formatted(LocalSystem.DEV_INTEGRATION_ID);
        HttpResponse<String> stored = send("POST", "/api/v2/audit/events", event, secret);
        assertEquals(201, stored.statusCode(), stored.body());
        HttpResponse<String> withToken = send("POST", "/api/v2/audit/events", event, token);
        assertEquals(403, withToken.statusCode(), withToken.body());
        HttpResponse<String> listed = send(
                "GET",
                "/api/v2/audit/events/" + LocalSystem.DEV_INTEGRATION_ID + "/integration?$first=1",
                null,
                secret);
        assertEquals(200, listed.statusCode(), listed.body());
        assertEquals(
                Json.readStored(stored.body()).path("$data").path("id"),
                Json.readStored(listed.body()).path("$data").path(0).path("id"));

        JsonNode integrations = Json.readStored(
                send("GET", "/api/v1/integrations", null, secret).body());
        assertEquals(
                LocalSystem.DEV_INTEGRATION_ID,
                integrations.path("$data").path(0).path("id").asText(),
                integrations.toString());
        JsonNode mine = Json.readStored(
                send("GET", "/api/v2/my/integration", null, token).body());
        assertEquals(
                LocalSystem.DEV_APPLICATION_ID,
                mine.path("$data").path("application_id").asText(),
                mine.toString());
    }

    @Test
    void unmatchedPathsAndMethodsAnswerInTheirApisErrorShape() throws Exception {
        HttpResponse<String> nowhere = send("GET", "/api/v2/nowhere", null, token);
        assertEquals(404, nowhere.statusCode());
        assertEquals(
                "ROUTE_NOT_FOUND",
                Json.readStored(nowhere.body())
                        .path("$errors")
                        .path(0)
                        .path("code")
                        .asText());
        HttpResponse<String> method = send("DELETE", "/api/v2/audit/schemas", null, token);
        assertEquals(405, method.statusCode());
        assertEquals("GET, PATCH, POST", method.headers().firstValue("allow").orElse(""));
        assertFalse(Json.readStored(method.body())
                .path("$errors")
                .path(0)
                .path("message")
                .asText()
                .isEmpty());
        HttpResponse<String> canvas = send("POST", "/api/v1/audit/course/courses/c1", null, token);
        assertEquals(405, canvas.statusCode());
        assertEquals("GET", canvas.headers().firstValue("allow").orElse(""));
        assertFalse(Json.readStored(canvas.body())
                .path("errors")
                .path(0)
                .path("message")
                .asText()
                .isEmpty());
        assertEquals(
                404,
                send("GET", "/api/v1/audit/course/sections/s1", null, token).statusCode());
    }

    @Test
    void anUnknownQueryParameterIsA400ThatNamesIt() throws Exception {
        HttpResponse<String> response = send("GET", "/api/v2/graph/events?typo=1", null, token);
        assertEquals(400, response.statusCode());
        JsonNode error = Json.readStored(response.body()).path("$errors").path(0);
        assertEquals("UNKNOWN_PARAMETER", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("typo"), error.toString());
    }

    @Test
    void aPortInUseIsAClearError() {
        HttpGateway.PortInUseException e =
                assertThrows(HttpGateway.PortInUseException.class, () -> new HttpGateway(port, system.functions()));
        assertTrue(e.getMessage().contains("port " + port + " is already in use"));
    }
}
