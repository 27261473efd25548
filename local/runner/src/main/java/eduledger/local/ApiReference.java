package eduledger.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import eduledger.harness.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the local runner serves beside the API: the OpenAPI document ({@code /openapi.yaml} as
 * written, {@code /openapi.json} the same as JSON) and a page that renders it and tries GET routes
 * ({@code /docs}). The document is read on every request, so an edit shows on reload.
 */
final class ApiReference {
    static final String PAGE = "/docs";

    record Document(String contentType, byte[] body) {}

    private final Path openApi;

    ApiReference(Path openApi) {
        this.openApi = openApi;
    }

    /** The repository's docs/openapi.yaml, beside template.yaml. */
    static ApiReference ofRepository() {
        return new ApiReference(
                SamTemplate.locate().toAbsolutePath().getParent().resolve("docs/openapi.yaml"));
    }

    /** What {@code GET path} answers, if it is one of these documents. */
    Optional<Document> get(String path) {
        return switch (path) {
            case PAGE, PAGE + "/" -> Optional.of(new Document("text/html; charset=utf-8", page()));
            case "/openapi.yaml" -> Optional.of(new Document("application/yaml; charset=utf-8", yaml()));
            case "/openapi.json" -> Optional.of(new Document("application/json", json()));
            default -> Optional.empty();
        };
    }

    private static byte[] page() {
        try (InputStream in = ApiReference.class.getResourceAsStream("docs.html")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] yaml() {
        try {
            return Files.readAllBytes(openApi);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + openApi, e);
        }
    }

    private byte[] json() {
        try {
            Object document = new ObjectMapper(new YAMLFactory()).readValue(yaml(), Map.class);
            return new ObjectMapper().writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + openApi, e);
        }
    }
}
