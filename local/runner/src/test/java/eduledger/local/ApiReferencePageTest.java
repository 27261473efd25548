package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local runner's {@code /docs} page in a real headless Chromium, driven over the DevTools
 * protocol: it renders every operation of the OpenAPI document, and "Try it" on a GET route sends
 * the request with the token typed in and shows the answer. Without Chromium the test is skipped,
 * except in CI ({@code CI} set), where .ci/run installs it and its absence is a failure.
 */
class ApiReferencePageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static LocalSystem system;
    private static HttpGateway gateway;
    private static int port;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.attach(
                SamTemplate.read(SamTemplate.locate()), TestStore.get().endpoint());
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        gateway = new HttpGateway(port, system.functions(), ApiReference.ofRepository());
        token = system.devToken(null);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (system != null) {
            system.close();
        }
    }

    /** The browser on the PATH, or the test's skip (outside CI) or failure (in CI). */
    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            fail("chromium is not installed, and CI requires this test: .ci/run installs it with apt-get");
        }
        Assumptions.abort("chromium is not installed (apt-get install -y chromium); skipped outside CI");
        return null;
    }

    @Test
    void theDocumentsAreServedBesideTheApi() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> yaml = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.yaml"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, yaml.statusCode());
        assertEquals(
                Files.readString(
                        SamTemplate.locate().toAbsolutePath().getParent().resolve("docs/openapi.yaml")),
                yaml.body());
        HttpResponse<String> json = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/openapi.json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, json.statusCode());
        assertEquals(
                new ObjectMapper(new YAMLFactory()).readTree(yaml.body()), new ObjectMapper().readTree(json.body()));
    }

    @Test
    void thePageRendersEveryOperationAndTriesAGetInABrowser() throws Exception {
        String browser = chromium();
        Path profile = Files.createTempDirectory("eduledger-chromium");
        Process process = new ProcessBuilder(
                        browser,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile,
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try (DevTools page = DevTools.attach(profile, process)) {
            page.call("Page.navigate", Map.of("url", "http://127.0.0.1:" + port + "/docs"));
            page.await("document.body && document.body.dataset.loaded === 'true'");

            // Every operation of the document, each once, as METHOD path.
            JsonNode spec = new ObjectMapper(new YAMLFactory())
                    .readTree(SamTemplate.locate()
                            .toAbsolutePath()
                            .getParent()
                            .resolve("docs/openapi.yaml")
                            .toFile());
            List<String> expected = new ArrayList<>();
            spec.path("paths")
                    .fields()
                    .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
                        if (List.of("get", "post", "put", "patch", "delete").contains(method)) {
                            expected.add(method.toUpperCase() + " " + path.getKey());
                        }
                    }));
            JsonNode shown = page.evaluate("[...document.querySelectorAll('details.operation')]"
                    + ".map(d => d.dataset.method + ' ' + d.dataset.path)");
            List<String> rendered = new ArrayList<>();
            shown.forEach(node -> rendered.add(node.asText()));
            assertEquals(
                    expected.stream().sorted().toList(),
                    rendered.stream().sorted().toList());
            assertTrue(expected.size() > 10, expected.toString());
            assertEquals(
                    spec.path("info").path("title").asText() + " "
                            + spec.path("info").path("version").asText() + " API reference",
                    page.evaluate("document.getElementById('title').textContent")
                            .asText());

            // Try it: the schema list with the local token, as a person would click through.
            page.evaluate("(() => {"
                    + "document.getElementById('token').value = '" + token + "';"
                    + "const op = document.querySelector(\"details.operation[data-method='GET']"
                    + "[data-path='/api/v2/audit/schemas']\");"
                    + "op.open = true; op.querySelector('input[name=\"$first\"]').value = '2';"
                    + "op.querySelector('button.send').click(); return true; })()");
            page.await("document.querySelector(\"details[data-path='/api/v2/audit/schemas'][data-method='GET']"
                    + " pre.result\").dataset.status !== undefined");
            String result = page.evaluate("document.querySelector(\"details[data-path='/api/v2/audit/schemas']"
                            + "[data-method='GET'] pre.result\").textContent")
                    .asText();
            assertTrue(result.startsWith("GET /api/v2/audit/schemas?%24first=2\n200 "), result);
            assertTrue(result.contains("\"$data\""), result);

            // Without a token the same button shows the API's 401, not a page error.
            page.evaluate("(() => { document.getElementById('token').value = '';"
                    + "document.querySelector(\"details[data-path='/api/v2/audit/schemas'][data-method='GET']"
                    + " button.send\").click(); return true; })()");
            page.await("document.querySelector(\"details[data-path='/api/v2/audit/schemas'][data-method='GET']"
                    + " pre.result\").dataset.status === '401'");
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    /** One page of the browser over the DevTools protocol's WebSocket (java.net.http, no driver). */
    private static final class DevTools implements AutoCloseable, WebSocket.Listener {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static DevTools attach(Path profile, Process process) throws Exception {
            // Chromium writes the port it chose to the profile once it listens.
            Path portFile = profile.resolve("DevToolsActivePort");
            Instant deadline = Instant.now().plus(WAIT);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    fail("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            int devtoolsPort =
                    Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + devtoolsPort + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            String url = null;
            for (JsonNode target : targets) {
                if (target.path("type").asText().equals("page")) {
                    url = target.path("webSocketDebuggerUrl").asText();
                }
            }
            assertTrue(url != null, "no page target: " + targets);
            DevTools devTools = new DevTools();
            devTools.socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(url), devTools)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return devTools;
        }

        JsonNode call(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            pending.put(id, answer);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", JSON.valueToTree(params));
            socket.sendText(JSON.writeValueAsString(message), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JsonNode reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                fail(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        }

        /** The value of a JavaScript expression in the page (awaited if it is a promise). */
        JsonNode evaluate(String expression) throws Exception {
            JsonNode result = call(
                    "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
            if (result.has("exceptionDetails")) {
                fail(expression + " threw " + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /** Polls until {@code condition} holds in the page; fails after {@link #WAIT}. */
        void await(String condition) throws Exception {
            Instant deadline = Instant.now().plus(WAIT);
            while (!evaluate("Boolean(" + condition + ")").asBoolean()) {
                if (Instant.now().isAfter(deadline)) {
                    fail("the page never reached " + condition + "; it shows: "
                            + evaluate("document.body ? document.body.innerText : ''")
                                    .asText());
                }
                Thread.sleep(100);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> answer =
                            message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (answer != null) {
                        answer.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
