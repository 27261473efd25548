package eduledger.harness;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB Local as a server on the loopback interface, in this JVM: the real engine (conditions,
 * transactions, indexes, streams), reached over HTTP by the same SDK client the functions use.
 */
public final class DynamoDbLocal implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbLocal(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param port    0 for any free port
     * @param dataDir where to keep the data, or null to keep it in memory
     */
    public static DynamoDbLocal start(int port, Path dataDir) {
        int chosen = port == 0 ? freePort() : port;
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(chosen), "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            args.addAll(List.of("-dbPath", dataDir.toString()));
        }
        // Its start-up banner goes to stderr, so that stdout carries only what our commands print.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return new DynamoDbLocal(server, chosen);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosen + ": " + e.getMessage(), e);
        } finally {
            System.setOut(stdout);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }
}
