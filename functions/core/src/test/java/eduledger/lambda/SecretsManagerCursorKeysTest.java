package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.paging.CursorCodec;
import eduledger.paging.CursorKeys;
import eduledger.testing.SettableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page-token keys read from Secrets Manager, against a stand-in of its JSON endpoint on the
 * loopback interface: what the request carries, what a function does with the answer, and how a
 * rotation reaches a running copy.
 */
class SecretsManagerCursorKeysTest {
    private static final String SECRET_ID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor-keys-AbCdEf";
    private static final String KEY_A = "key-a-0123456789-0123456789-0123456789";
    private static final String KEY_B = "key-b-0123456789-0123456789-0123456789";

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer;
    private final SettableClock clock = new SettableClock(Instant.now());

    record Request(String method, String path, Map<String, List<String>> headers, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        storeKeys(KEY_A, "");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void storeKeys(String current, String previous) {
        ObjectNode value = Json.object().put("current", current).put("previous", previous);
        answer = Json.write(Json.object()
                .put("ARN", SECRET_ID)
                .put("Name", "cursor-keys")
                .put("SecretString", Json.write(value))
                .put("VersionId", "v-" + current.charAt(4)));
    }

    private Services services() {
        Map<String, String> env = Map.of(
                "AWS_REGION",
                "eu-west-1",
                Settings.DYNAMODB_ENDPOINT,
                "http://127.0.0.1:9",
                Settings.CURSOR_SECRET,
                "an-environment-value-that-must-not-be-used",
                Settings.CURSOR_SECRET_ID,
                SECRET_ID,
                Settings.SECRETS_MANAGER_ENDPOINT,
                "http://127.0.0.1:" + server.getAddress().getPort());
        Settings settings = Settings.from(env);
        Services services = new Services(settings, Services.dynamoClient(settings), clock);
        assertTrue(requests.isEmpty(), "a function that never pages must not read the secret");
        // What a paging handler's constructor does, during init.
        services.cursors();
        return services;
    }

    private static ObjectNode page() {
        return Json.object().put("a", "0190a5e2-0000-7000-8000-000000000001");
    }

    private static String keyIdOf(String token) {
        return HexFormat.of().formatHex(Base64.getUrlDecoder().decode(token), 0, 4);
    }

    @Test
    void initReadsTheKeysWithOneSignedGetSecretValue() {
        Services services = services();

        assertEquals(1, requests.size());
        Request request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/", request.path());
        assertEquals(List.of("secretsmanager.GetSecretValue"), request.headers().get("X-amz-target"));
        assertEquals(List.of("application/x-amz-json-1.1"), request.headers().get("Content-type"));
        String authorization = request.headers().get("Authorization").get(0);
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=local/"), authorization);
        assertTrue(authorization.contains("/eu-west-1/secretsmanager/aws4_request"), authorization);
        JsonNode body = Json.readStored(request.body());
        assertEquals(SECRET_ID, body.path("SecretId").asText());

        // The stored key signs: a codec holding only it reads the token, and the token names it.
        String token = services.cursors().encode("integration-a", page());
        assertEquals(page(), new CursorCodec(KEY_A).decode("integration-a", token));
        assertEquals(CursorKeys.keyId(KEY_A), keyIdOf(token));
    }

    @Test
    void aSecretThatCannotBeReadFailsTheInit() {
        status = 400;
        answer =
                "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}";
        IllegalStateException e = assertThrows(IllegalStateException.class, this::services);
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
    }

    @Test
    void aSecretWithoutACurrentKeyFailsTheInit() {
        answer = Json.write(Json.object().put("SecretString", "{\"previous\":\"" + KEY_A + "\"}"));
        IllegalStateException e = assertThrows(IllegalStateException.class, this::services);
        assertTrue(e.getMessage().contains("\"current\""), e.getMessage());
    }

    @Test
    void aRotationReachesARunningCopyWithinTheRefreshTimeAndOldTokensStillRead() {
        Services services = services();
        CursorCodec cursors = services.cursors();
        String before = cursors.encode("integration-a", page());

        storeKeys(KEY_B, KEY_A);
        clock.advance(StoredCursorKeys.REFRESH.minusSeconds(1));
        assertEquals(CursorKeys.keyId(KEY_A), keyIdOf(cursors.encode("integration-a", page())));
        assertEquals(1, requests.size());

        clock.advance(Duration.ofSeconds(1));
        String after = cursors.encode("integration-a", page());
        assertEquals(2, requests.size());
        assertEquals(CursorKeys.keyId(KEY_B), keyIdOf(after));
        assertEquals(page(), cursors.decode("integration-a", before));
        assertEquals(page(), cursors.decode("integration-a", after));

        // At the next rotation the oldest key is gone, and so are its tokens.
        storeKeys("key-c-0123456789-0123456789-0123456789", KEY_B);
        clock.advance(StoredCursorKeys.REFRESH);
        assertEquals(page(), cursors.decode("integration-a", after));
        assertThrows(ServiceException.class, () -> cursors.decode("integration-a", before));
    }

    @Test
    void aFailedReReadKeepsTheKeysAndTriesAgainLater() {
        Services services = services();
        CursorCodec cursors = services.cursors();
        String token = cursors.encode("integration-a", page());

        status = 500;
        answer = "{\"__type\":\"InternalServiceError\",\"Message\":\"try later\"}";
        clock.advance(StoredCursorKeys.REFRESH);
        assertEquals(page(), cursors.decode("integration-a", token));
        assertEquals(2, requests.size());
        clock.advance(StoredCursorKeys.RETRY.minusSeconds(1));
        assertEquals(page(), cursors.decode("integration-a", token));
        assertEquals(2, requests.size());

        status = 200;
        storeKeys(KEY_B, KEY_A);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(CursorKeys.keyId(KEY_B), keyIdOf(cursors.encode("integration-a", page())));
        assertEquals(3, requests.size());
    }

    @Test
    void aRestoredCopyReadsTheKeysAgainBeforeItsFirstRequest() {
        StoredCursorKeys keys =
                new StoredCursorKeys(() -> new SecretsManagerSecret(settingsFor()).read(SECRET_ID), clock);
        assertEquals(new CursorKeys(KEY_A, (String) null), keys.get());

        storeKeys(KEY_B, KEY_A);
        keys.reread();
        assertEquals(new CursorKeys(KEY_B, KEY_A), keys.get());
        assertEquals(2, requests.size());
    }

    private Settings settingsFor() {
        return Settings.from(Map.of(
                Settings.SECRETS_MANAGER_ENDPOINT,
                "http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @Test
    void withoutASecretIdTheEnvironmentKeysServeAndNothingIsCalled() {
        Settings settings =
                Settings.from(Map.of(Settings.DYNAMODB_ENDPOINT, "http://127.0.0.1:9", Settings.CURSOR_SECRET, KEY_B));
        Services services = new Services(settings, Services.dynamoClient(settings), clock);
        String token = services.cursors().encode("integration-a", page());
        assertEquals(CursorKeys.keyId(KEY_B), keyIdOf(token));
        assertTrue(requests.isEmpty());
    }

    @Test
    void inLambdaThePublicLocalKeyNeverStandsIn() {
        Settings settings = Settings.from(Map.of(
                Settings.DYNAMODB_ENDPOINT, "http://127.0.0.1:9", "AWS_LAMBDA_FUNCTION_NAME", "eduledger-listing"));
        Services services = new Services(settings, Services.dynamoClient(settings), clock);
        IllegalStateException e = assertThrows(IllegalStateException.class, services::cursors);
        assertTrue(e.getMessage().contains("CURSOR_SECRET_ID"), e.getMessage());
    }

    @Test
    void keysNeverAppearInTheirTextForm() {
        CursorKeys keys = new CursorKeys(KEY_A, KEY_B);
        assertEquals(
                "CursorKeys[current=" + CursorKeys.keyId(KEY_A) + ", previous=" + CursorKeys.keyId(KEY_B) + "]",
                keys.toString());
    }
}
