package eduledger.local;

import eduledger.auth.Scope;
import eduledger.dynamodb.DynamoDbEngine;
import eduledger.harness.SamTemplate;
import eduledger.integrations.Integration;
import eduledger.lambda.Telemetry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code ./eduledger local | invoke | token | dynamodb | bench}: the system on this machine, without Docker or AWS. */
public final class Main {
    private static final String USAGE = """
            usage:
              ./eduledger local [--port N] [--dynamodb-port N] [--data DIR]
                  serve every route of template.yaml on http://localhost:N ($PORT, 3000), the DynamoDB
                  engine on 127.0.0.1:N ($DYNAMODB_PORT, 8000), data in memory unless --data DIR (kept
                  there durably); the roster table's stream is polled and fed to the change-stream
                  function; token and invoke find it on whatever ports it took
              ./eduledger invoke <FunctionLogicalId> <event.json> [--data DIR]
                  run one handler on one event file, like `sam local invoke -e`, against the running
                  local store, or a store of its own when none runs
              ./eduledger token --name NAME [--scopes all|scope,scope...]
                  create an integration in the running local store and print its token
                  scopes: %s (admin and source:write are the platform operator's and
                  application an application secret's, never an integration's;
                  ./eduledger local prints the operator's token and the application's secret)
              ./eduledger admin-token --table CONTROL_TABLE [--region R] [--endpoint-url URL]
                  the platform operator's first token for a deployed stack: written (as its hash) into
                  the stack's control table with your AWS credentials, printed once; --endpoint-url
                  for a DynamoDB other than AWS's, such as ./eduledger dynamodb
              ./eduledger dynamodb [--port N] [--data DIR]
                  serve the DynamoDB engine alone on 127.0.0.1:N ($DYNAMODB_PORT, 8000) until stopped,
                  for any DynamoDB client (AWS SDKs, the AWS CLI) with an endpoint override; data in
                  memory unless --data DIR
              ./eduledger bench [%s ...]
                  benchmarks against the DynamoDB engine on loopback: one JSON line per figure
                  (all sections unless some are named)
            environment: PORT, DYNAMODB_PORT, EDULEDGER_DEV_TOKEN (fixes the printed token),
              EDULEDGER_APP_SECRET (fixes the printed app secret), EDULEDGER_ADMIN_TOKEN (fixes the
              printed admin token)
              ./eduledger help
                  this text
            """.formatted(
            String.join(", ", Scope.integrationScopes().stream().map(Scope::id).toList()),
            String.join(" | ", Bench.SECTIONS));

    private Main() {}

    public static void main(String[] args) throws Exception {
        // The AWS SDK brings SLF4J without a binding; its three-line notice about that says nothing to a user.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        if (arguments.isEmpty()) {
            fail(USAGE);
        }
        String command = arguments.remove(0);
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            System.out.println(USAGE.strip());
            return;
        }
        // Function log lines go to standard error, as sam local prints them, so what a command
        // answers on standard output stays parseable; the bench's output is its figures alone.
        Telemetry.redirect(command.equals("bench") ? new PrintStream(OutputStream.nullOutputStream()) : System.err);
        try {
            switch (command) {
                case "local" -> local(arguments);
                case "invoke" -> invoke(arguments);
                case "token" -> token(arguments);
                case "admin-token" -> adminToken(arguments);
                case "dynamodb" -> dynamodb(arguments);
                case "bench" -> Bench.run(arguments);
                default -> fail("eduledger: unknown command '" + command + "'; ./eduledger help lists the commands");
            }
        } catch (HttpGateway.PortInUseException | IllegalArgumentException e) {
            fail("eduledger: " + e.getMessage());
        }
    }

    private static void local(List<String> arguments) throws Exception {
        Path data = option(arguments, "--data").map(Path::of).orElse(null);
        int port = port(option(arguments, "--port").orElse(env("PORT", "3000")));
        int dynamoPort = port(option(arguments, "--dynamodb-port").orElse(env("DYNAMODB_PORT", "8000")));
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException(
                    "unexpected " + String.join(" ", arguments) + "; ./eduledger help lists the options");
        }
        SamTemplate template = SamTemplate.read(SamTemplate.locate());
        LocalSystem system = LocalSystem.start(template, dynamoPort, data);
        HttpGateway gateway;
        try {
            gateway = new HttpGateway(port, system.functions(), ApiReference.ofRepository());
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
        String token = system.devToken(System.getenv("EDULEDGER_DEV_TOKEN"));
        String appSecret = system.appSecret(System.getenv("EDULEDGER_APP_SECRET"));
        String adminToken = system.adminToken(System.getenv("EDULEDGER_ADMIN_TOKEN"));
        system.startStreamTriggers();
        RunnerFile.write(port, system.endpoint());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RunnerFile.remove();
            gateway.close();
            system.close();
            System.out.println("eduledger stopped");
            stopped.countDown();
        }));
        System.out.printf(
                "eduledger ready on http://localhost:%d (%d routes, %d functions; DynamoDB engine on %s, data %s)%n",
                port,
                gateway.routeCount(),
                system.functions().size(),
                system.endpoint(),
                data == null ? "in memory" : "in " + data.toAbsolutePath());
        System.out.println("token: " + token);
        System.out.println(
                "app secret: " + appSecret + "  (the local application's secret key: /api/v2/audit/events...)");
        System.out.println("admin token: " + adminToken
                + "  (platform operator: /api/v2/admin/... and the sync jobs' /api/v2/source/...)");
        System.out.println("try:   curl -H 'Authorization: Bearer " + token + "' http://localhost:" + port
                + "/api/v2/audit/schemas");
        System.out.println("docs:  http://localhost:" + port + ApiReference.PAGE + "  (OpenAPI: /openapi.yaml)");
        stopped.await();
    }

    private static void invoke(List<String> arguments) throws Exception {
        Path data = option(arguments, "--data").map(Path::of).orElse(null);
        if (arguments.size() != 2) {
            fail(USAGE);
        }
        Path eventFile = Path.of(arguments.get(1));
        if (!Files.isRegularFile(eventFile)) {
            fail("eduledger: no event file " + eventFile);
        }
        SamTemplate template = SamTemplate.read(SamTemplate.locate());
        URI running = runningStore();
        try (LocalSystem system = data == null && LocalSystem.reachable(running)
                ? LocalSystem.attach(template, running)
                : LocalSystem.start(template, 0, data)) {
            system.devToken(System.getenv("EDULEDGER_DEV_TOKEN"));
            System.out.println(system.function(arguments.get(0)).invokeJson(Files.readString(eventFile)));
        }
    }

    /** The engine alone, for any DynamoDB client, until the process is stopped. */
    private static void dynamodb(List<String> arguments) throws InterruptedException {
        Path data = option(arguments, "--data").map(Path::of).orElse(null);
        int port = Integer.parseInt(option(arguments, "--port").orElse(env("DYNAMODB_PORT", "8000")));
        if (!arguments.isEmpty()) {
            fail(USAGE);
        }
        DynamoDbEngine engine = LocalSystem.engine(port, data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            System.out.println("dynamodb engine stopped");
            stopped.countDown();
        }));
        System.out.printf(
                "dynamodb engine on %s (data %s); stop with Ctrl-C%n",
                engine.endpoint(), data == null ? "in memory" : "in " + data.toAbsolutePath());
        System.out.println("try:   aws dynamodb list-tables --endpoint-url " + engine.endpoint());
        stopped.await();
    }

    private static void token(List<String> arguments) {
        String name =
                option(arguments, "--name").orElseThrow(() -> new IllegalArgumentException("token needs --name NAME"));
        String scopeList = option(arguments, "--scopes").orElse("all");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (scopeList.equals("all")) {
            scopes.addAll(Scope.integrationScopes());
        } else {
            for (String id : scopeList.split(",")) {
                scopes.add(Scope.parse(id.trim()));
            }
        }
        for (Scope scope : scopes) {
            if (scope.operatorOnly()) {
                throw new IllegalArgumentException("the " + scope.id() + " scope is the platform operator's and cannot"
                        + " be given to an integration; ./eduledger local prints the operator's admin token");
            }
        }
        if (scopes.contains(Scope.APPLICATION)) {
            throw new IllegalArgumentException("the application scope is an application secret's and cannot be given"
                    + " to an integration; ./eduledger local prints the local application's secret");
        }
        URI running = runningStore();
        if (!LocalSystem.reachable(running)) {
            fail("eduledger: no local store answers at " + running + "; start ./eduledger local first");
        }
        try (LocalSystem system = LocalSystem.attach(SamTemplate.read(SamTemplate.locate()), running)) {
            Map.Entry<Integration, String> created = system.createIntegration(name, scopes);
            System.out.println("integration: " + created.getKey().id() + " (" + name + ")");
            System.out.println("scopes:      "
                    + String.join(",", scopes.stream().map(Scope::id).toList()));
            System.out.println("token:       " + created.getValue());
        }
    }

    private static void adminToken(List<String> arguments) {
        String table = option(arguments, "--table")
                .orElseThrow(() -> new IllegalArgumentException(
                        "admin-token needs --table (the stack's ControlTableName output)"));
        java.util.Optional<String> region = option(arguments, "--region");
        java.util.Optional<URI> endpoint = option(arguments, "--endpoint-url").map(URI::create);
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException(
                    "unexpected " + String.join(" ", arguments) + "; ./eduledger help lists the options");
        }
        String token = AdminToken.create(table, region, endpoint);
        System.err.println("eduledger: admin token written to " + table + "; it is shown only now, keep it secret");
        System.out.println(token);
    }

    /** The store of a running ./eduledger local: DYNAMODB_PORT when set, else where the runner said it is, else 8000. */
    private static URI runningStore() {
        String port = System.getenv("DYNAMODB_PORT");
        if (port != null && !port.isBlank()) {
            return URI.create("http://127.0.0.1:" + port(port));
        }
        return RunnerFile.store().orElse(URI.create("http://127.0.0.1:8000"));
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + value + "' is no port number");
    }

    private static java.util.Optional<String> option(List<String> arguments, String name) {
        int at = arguments.indexOf(name);
        if (at < 0) {
            return java.util.Optional.empty();
        }
        if (at + 1 >= arguments.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = arguments.get(at + 1);
        arguments.subList(at, at + 2).clear();
        return java.util.Optional.of(value);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void fail(String message) {
        System.err.println(message.strip());
        System.exit(2);
    }
}
