package eduledger.local;

import eduledger.harness.SamTemplate;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running {@code ./eduledger local} listens, kept in the build directory while it runs, so
 * {@code token} and {@code invoke} find a runner started on other ports without being told them.
 */
final class RunnerFile {
    private static final String HTTP_PORT = "http.port";
    private static final String STORE = "dynamodb.endpoint";

    private RunnerFile() {}

    static Path location() {
        return SamTemplate.locate().getParent().resolve("local/runner/target/local-runner.properties");
    }

    static void write(int httpPort, URI store) {
        Properties properties = new Properties();
        properties.setProperty(HTTP_PORT, Integer.toString(httpPort));
        properties.setProperty(STORE, store.toString());
        Path file = location();
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                properties.store(out, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the runner's ports in " + file, e);
        }
    }

    static void remove() {
        try {
            Files.deleteIfExists(location());
        } catch (IOException | RuntimeException e) {
            // Left behind, it names a store no longer answering, which its readers check for.
        }
    }

    /** The store the running runner serves, if one recorded itself. */
    static Optional<URI> store() {
        Path file = location();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(properties.getProperty(STORE)).map(URI::create);
    }
}
