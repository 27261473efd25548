package eduledger.dynamodb.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that is appending from many threads and checks that every record whose append had
 * returned is replayed: what the journal promises, tested the only way that can show it.
 */
class JournalKillTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedAppendSurvivesKillDashNine() throws Exception {
        Set<String> acknowledged = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            Process child = new ProcessBuilder(
                            javaBinary(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            Appender.class.getName(),
                            dir.toString(),
                            "round" + round)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("ready", out.readLine(), "the child opened and replayed the journal");
                IllegalStateException locked = assertThrows(IllegalStateException.class, () -> Journals.open(dir));
                assertTrue(locked.getMessage().contains(String.valueOf(child.pid())), locked.getMessage());
                String line;
                int seen = 0;
                while (seen < 1500 && (line = out.readLine()) != null) {
                    acknowledged.add(line);
                    seen++;
                }
                assertEquals(1500, seen, "the child kept appending until it was killed");
                // SIGKILL through the handle: Process.destroyForcibly would also close the pipe, losing
                // acknowledgements printed just before the kill.
                child.toHandle().destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                while ((line = out.readLine()) != null) acknowledged.add(line);
            } finally {
                child.destroyForcibly();
            }
        }
        Set<String> replayed = new HashSet<>();
        try (Journal journal = Journals.open(dir)) {
            journal.replay(r -> {
                String record = new String(r, StandardCharsets.UTF_8);
                assertTrue(record.matches("round\\d-\\d+-\\d+ x+"), "a whole record: " + record);
                assertTrue(replayed.add(record.substring(0, record.indexOf(' '))), "replayed once: " + record);
            });
        }
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(replayed);
        assertEquals(Set.of(), lost, "acknowledged appends missing after kill -9");
        assertTrue(replayed.size() >= acknowledged.size());
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Appends from eight threads and prints each record's id once its append has returned. */
    public static final class Appender {
        public static void main(String[] args) throws Exception {
            Journal journal = Journals.open(Paths.get(args[0]));
            journal.replay(r -> {});
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            out.println("ready");
            out.flush();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; ; i++) {
                        String id = args[1] + "-" + thread + "-" + i;
                        journal.append((id + " " + "x".repeat(1 + (i * 37) % 700)).getBytes(StandardCharsets.UTF_8));
                        synchronized (out) {
                            out.println(id);
                            out.flush();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) thread.join();
        }
    }
}
