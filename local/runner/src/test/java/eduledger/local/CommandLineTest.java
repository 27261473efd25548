package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.harness.SamTemplate;
import eduledger.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The local tools as a shell runs them: a separate JVM, its exit status, what it prints where. */
class CommandLineTest {
    private static final String SAMPLE_ADMIN_TOKEN = "edl_local_sample_admin_token";

    private record Run(int status, String out, String err) {}

    @Test
    void helpPrintsTheUsageAndSucceeds() throws Exception {
        Run run = run("help");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("./eduledger local"), run.out());
        assertTrue(run.out().endsWith("\n"));
        assertEquals("", run.err());
    }

    @Test
    void anUnknownCommandIsNamedAndFails() throws Exception {
        Run run = run("frobnicate");
        assertNotEquals(0, run.status());
        assertEquals("eduledger: unknown command 'frobnicate'; ./eduledger help lists the commands\n", run.err());
    }

    @Test
    void theOperatorsScopesCannotBeMintedForAnIntegration() throws Exception {
        for (String scopes : List.of("admin", "audit:read,admin", "source:write", "graph:read,source:write")) {
            Run run = run("token", "--name", "x", "--scopes", scopes);
            String scope = scopes.contains("admin") ? "admin" : "source:write";
            assertNotEquals(0, run.status());
            assertTrue(
                    run.err().startsWith("eduledger: the " + scope + " scope is the platform operator's"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void aPortInUseIsOneLineWithoutAStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = run("local", "--port", Integer.toString(taken.getLocalPort()), "--dynamodb-port", "0");
            assertNotEquals(0, run.status());
            assertTrue(run.err().contains("port " + taken.getLocalPort() + " is already in use"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertFalse(run.err().contains("Exception"), run.err());
            assertFalse(run.err().contains("\u001b["), run.err());
        }
    }

    @Test
    void tokenFindsARunnerStartedOnOtherPorts() throws Exception {
        int httpPort = freePort();
        int storePort = freePort();
        Process runner =
                start("local", "--port", Integer.toString(httpPort), "--dynamodb-port", Integer.toString(storePort));
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertTrue(
                    first != null && first.startsWith("eduledger ready on http://localhost:" + httpPort),
                    String.valueOf(first));

            Run token = run("token", "--name", "elsewhere");
            assertEquals(0, token.status(), token.err());
            assertTrue(token.out().contains("token:       edl_"), token.out());
            assertFalse(token.err().contains("SLF4J"), token.err());
        } finally {
            runner.destroy();
            if (!runner.waitFor(30, TimeUnit.SECONDS)) {
                runner.destroyForcibly();
            }
        }
        assertFalse(Files.exists(RunnerFile.location()), "the runner forgets its ports when it stops");
    }

    /**
     * invoke answers one JSON document ending in a newline; its standard error holds the function's
     * JSON log lines only, nothing from a library (the schema validator's logging used to warn there).
     */
    @Test
    void invokeAnswersJsonEndingInANewlineWithNoStrayOutput() throws Exception {
        Run run = run(
                "invoke",
                "SchemasFunction",
                SamTemplate.locate()
                        .toAbsolutePath()
                        .getParent()
                        .resolve("events/schemas-create.json")
                        .toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().endsWith("}\n"), run.out());
        assertEquals(1, run.out().lines().count(), run.out());
        Json.readStored(run.out());
        for (String line : run.err().lines().toList()) {
            assertTrue(line.startsWith("{\"level\":"), "a stray line on standard error: " + line);
        }
        assertFalse(run.err().contains("\u001b["), run.err());
    }

    /** As an operator runs it against AWS, with credentials from the environment; only the endpoint differs. */
    @Test
    void adminTokenWritesAnOperatorTokenTheAdminRoutesAccept() throws Exception {
        try (LocalSystem system = LocalSystem.start(SamTemplate.read(SamTemplate.locate()), 0, null)) {
            Run run = run(
                    Map.of("AWS_ACCESS_KEY_ID", "operator", "AWS_SECRET_ACCESS_KEY", "operator-secret"),
                    "admin-token",
                    "--table",
                    "ControlTable",
                    "--region",
                    "eu-west-1",
                    "--endpoint-url",
                    system.endpoint().toString());
            assertEquals(0, run.status(), run.err());
            String token = run.out().strip();
            assertTrue(token.startsWith("edl_") && !token.contains("\n"), run.out());

            String event =
                    Files.readString(SamTemplate.locate().getParent().resolve("events/admin-create-integration.json"));
            LocalFunction admin = system.function("AdminFunction");
            assertEquals(201, status(admin.invokeJson(event.replace(SAMPLE_ADMIN_TOKEN, token))));
            assertEquals(401, status(admin.invokeJson(event.replace(SAMPLE_ADMIN_TOKEN, token + "x"))));
        }
    }

    @Test
    void adminTokenForAMissingTableIsOneLine() throws Exception {
        try (LocalSystem system = LocalSystem.start(SamTemplate.read(SamTemplate.locate()), 0, null)) {
            Run run = run(
                    Map.of("AWS_ACCESS_KEY_ID", "operator", "AWS_SECRET_ACCESS_KEY", "operator-secret"),
                    "admin-token",
                    "--table",
                    "NoSuchTable",
                    "--region",
                    "eu-west-1",
                    "--endpoint-url",
                    system.endpoint().toString());
            assertNotEquals(0, run.status());
            assertTrue(run.err().startsWith("eduledger: cannot write to table NoSuchTable"), run.err());
            assertEquals(1, run.err().lines().count(), run.err());
            assertEquals("", run.out());
        }
    }

    private static int status(String response) {
        return Json.readStored(response).path("statusCode").asInt();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Process start(String... arguments) throws IOException {
        return start(Map.of(), arguments);
    }

    private static Process start(Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("PORT");
        builder.environment().remove("DYNAMODB_PORT");
        builder.environment().remove("EDULEDGER_DEV_TOKEN");
        builder.environment().remove("EDULEDGER_ADMIN_TOKEN");
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static Run run(String... arguments) throws Exception {
        return run(Map.of(), arguments);
    }

    private static Run run(Map<String, String> environment, String... arguments) throws Exception {
        Process process = start(environment, arguments);
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Run(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
