package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import eduledger.harness.SamTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/openapi.yaml is the contract handed to developers: it must describe exactly what the template deploys. */
class OpenApiTest {
    private static final Path TEMPLATE_FILE = SamTemplate.locate();
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static JsonNode document() throws Exception {
        return new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(TEMPLATE_FILE.resolveSibling("docs/openapi.yaml")));
    }

    /** "METHOD /path" for every operation of the document. */
    private static Set<String> operations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(name -> {
                    if (METHODS.contains(name)) {
                        operations.add(name.toUpperCase() + " " + path.getKey());
                    }
                }));
        return operations;
    }

    @Test
    void itsOperationsAreExactlyTheTemplatesHttpApiRoutes() throws Exception {
        Set<String> routes = new TreeSet<>();
        SamTemplate.read(TEMPLATE_FILE)
                .functions()
                .values()
                .forEach(function -> function.routes().forEach(route -> routes.add(route.routeKey())));
        assertFalse(routes.isEmpty());
        assertEquals(routes, operations(document()));
    }

    @Test
    void itIsOpenApi31AndEveryOperationIsAuthenticatedAndAnswersItsFamilysErrors() throws Exception {
        JsonNode document = document();
        assertTrue(
                document.path("openapi").asText().startsWith("3.1."),
                document.path("openapi").asText());
        assertTrue(document.path("components")
                .path("securitySchemes")
                .path("bearer")
                .path("scheme")
                .asText()
                .equals("bearer"));
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
                    if (!METHODS.contains(operation.getKey())) {
                        return;
                    }
                    String name = operation.getKey().toUpperCase() + " " + path.getKey();
                    JsonNode body = operation.getValue();
                    assertEquals(
                            "bearer", body.path("security").path(0).fieldNames().next(), name);
                    boolean canvas = path.getKey().startsWith("/api/v1/")
                            && !path.getKey().startsWith("/api/v1/integrations");
                    for (String status : List.of("400", "401", "403", "503")) {
                        String error =
                                body.path("responses").path(status).path("$ref").asText();
                        assertTrue(
                                error.endsWith("/" + (canvas ? "Canvas" : "") + errorName(status)),
                                name + " " + status + ": " + error);
                    }
                    assertTrue(
                            body.path("responses").fieldNames().next().startsWith("2"),
                            name + " has no success answer first");
                }));
        assertEquals(
                "#/components/schemas/EdlinkErrors",
                document.at("/components/responses/Unauthorized/content")
                        .path("application/json")
                        .path("schema")
                        .path("$ref")
                        .asText());
        assertEquals(
                "#/components/schemas/CanvasErrors",
                document.at("/components/responses/CanvasUnauthorized/content")
                        .path("application/json")
                        .path("schema")
                        .path("$ref")
                        .asText());
        for (String field : List.of("$request", "$warnings")) {
            assertTrue(
                    document.at("/components/schemas/EdlinkEnvelope/properties").has(field), field);
        }
        assertTrue(document.at("/components/schemas/EdlinkErrors/properties").has("$errors"));
    }

    private static String errorName(String status) {
        return Map.of("400", "BadRequest", "401", "Unauthorized", "403", "Forbidden", "503", "Unavailable")
                .get(status);
    }

    /** A reference to a component the document does not define would break every tool that reads it. */
    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode document = document();
        List<String> references = new ArrayList<>();
        collect(document, references);
        assertFalse(references.isEmpty());
        for (String reference : references) {
            assertTrue(reference.startsWith("#/"), reference);
            assertFalse(document.at(reference.substring(1)).isMissingNode(), "unresolved " + reference);
        }
    }

    private static void collect(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    references.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, references));
        }
    }
}
