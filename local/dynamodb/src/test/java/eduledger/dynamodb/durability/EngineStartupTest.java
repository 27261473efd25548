package eduledger.dynamodb.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.dynamodb.DynamoDbEngine;
import eduledger.dynamodb.EngineFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** An engine that cannot start (its port is taken) says so plainly and leaves its data directory free. */
class EngineStartupTest {
    @TempDir
    Path data;

    @Test
    void aTakenPortFailsTheBuildAndReleasesTheDataDirectory() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> DynamoDbEngine.builder()
                            .port(port)
                            .journal(Journals.open(data))
                            .build());
            assertTrue(e.getMessage().contains(String.valueOf(port)), e.getMessage());
        }

        // the directory is free again in this JVM: a new engine opens it and serves from it
        try (DynamoDbEngine engine = DynamoDbEngine.builder()
                        .port(0)
                        .journal(Journals.open(data))
                        .build();
                DynamoDbClient ddb = EngineFixture.builder(engine.endpoint()).build()) {
            ddb.createTable(b -> b.tableName("roster")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build()));
            ddb.putItem(b -> b.tableName("roster").item(Map.of("pk", AttributeValue.fromS("a"))));
            assertEquals(
                    "a",
                    ddb.getItem(b -> b.tableName("roster").key(Map.of("pk", AttributeValue.fromS("a"))))
                            .item()
                            .get("pk")
                            .s());
        }
    }

    @Test
    void theStandaloneEngineReportsATakenPortInOneLineAndExits() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Process child = new ProcessBuilder(
                            Paths.get(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "eduledger.dynamodb.DynamoDbEngine",
                            "--port",
                            String.valueOf(port),
                            "--data",
                            data.toString())
                    .start();
            try {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the engine exits");
                String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(1, child.exitValue());
                assertEquals("", out);
                String[] lines = err.strip().split("\n");
                assertEquals(1, lines.length, err);
                assertTrue(lines[0].contains(String.valueOf(port)), err);
                assertFalse(err.contains("\tat "), err);
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
