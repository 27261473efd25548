package eduledger.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the local runner and the tests need from {@code template.yaml}: functions with their
 * handler, environment and HTTP routes, and tables with their keys, indexes, TTL and stream.
 * Short-form intrinsics ({@code !Ref X}) read as their argument, so an environment value naming a
 * parameter takes the parameter's default, and one naming a table's logical id refers to that table.
 * A variable naming a secret the stack creates is left out: a local run has no secret store, so the
 * function takes its local default instead.
 */
public record SamTemplate(Map<String, Function> functions, Map<String, Table> tables) {

    public record Route(String method, String path) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    public record Function(
            String logicalId,
            String handler,
            String codeUri,
            Map<String, String> environment,
            List<Route> routes,
            List<String> streamSources) {
        public String handlerClass() {
            int separator = handler.indexOf("::");
            return separator < 0 ? handler : handler.substring(0, separator);
        }
    }

    public record Table(String logicalId, JsonNode properties) {
        public String ttlAttribute() {
            JsonNode ttl = properties.path("TimeToLiveSpecification");
            return ttl.path("Enabled").asBoolean(false)
                    ? ttl.path("AttributeName").asText(null)
                    : null;
        }

        public String streamViewType() {
            return properties.path("StreamSpecification").path("StreamViewType").asText(null);
        }
    }

    public static SamTemplate read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonNode globalEnv =
                root.path("Globals").path("Function").path("Environment").path("Variables");
        Map<String, String> parameterDefaults = new LinkedHashMap<>();
        root.path("Parameters")
                .fields()
                .forEachRemaining(p -> parameterDefaults.put(
                        p.getKey(), p.getValue().path("Default").asText()));
        Set<String> secrets = new HashSet<>();
        root.path("Resources").fields().forEachRemaining(r -> {
            if (r.getValue().path("Type").asText().equals("AWS::SecretsManager::Secret")) {
                secrets.add(r.getKey());
            }
        });
        Map<String, Function> functions = new LinkedHashMap<>();
        Map<String, Table> tables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            String type = resource.getValue().path("Type").asText();
            JsonNode properties = resource.getValue().path("Properties");
            if (type.equals("AWS::Serverless::Function")) {
                functions.put(
                        resource.getKey(),
                        function(resource.getKey(), properties, globalEnv, parameterDefaults, secrets));
            } else if (type.equals("AWS::DynamoDB::Table")) {
                tables.put(resource.getKey(), new Table(resource.getKey(), properties));
            }
        }
        return new SamTemplate(functions, tables);
    }

    /** The repository's template: {@code eduledger.repository.root}, else the nearest ancestor holding one. */
    public static Path locate() {
        String root = System.getProperty("eduledger.repository.root");
        if (root != null && Files.exists(Path.of(root, "template.yaml"))) {
            return Path.of(root, "template.yaml");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException(
                "template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    private static Function function(
            String logicalId,
            JsonNode properties,
            JsonNode globalEnv,
            Map<String, String> parameterDefaults,
            Set<String> secrets) {
        Map<String, String> environment = new LinkedHashMap<>();
        globalEnv
                .fields()
                .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
        properties
                .path("Environment")
                .path("Variables")
                .fields()
                .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
        environment.replaceAll((name, value) -> parameterDefaults.getOrDefault(value, value));
        environment.values().removeIf(secrets::contains);
        List<Route> routes = new ArrayList<>();
        List<String> streams = new ArrayList<>();
        properties.path("Events").fields().forEachRemaining(event -> {
            JsonNode eventProperties = event.getValue().path("Properties");
            switch (event.getValue().path("Type").asText()) {
                case "HttpApi" ->
                    routes.add(new Route(
                            eventProperties.path("Method").asText().toUpperCase(),
                            eventProperties.path("Path").asText()));
                case "DynamoDB" -> streams.add(eventProperties.path("Stream").asText());
                default -> {}
            }
        });
        return new Function(
                logicalId,
                properties.path("Handler").asText(),
                properties.path("CodeUri").asText(),
                environment,
                routes,
                streams);
    }
}
