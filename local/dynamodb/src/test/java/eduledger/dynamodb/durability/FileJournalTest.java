package eduledger.dynamodb.durability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> replayed(Journal journal) {
        List<String> out = new ArrayList<>();
        journal.replay(r -> out.add(new String(r, StandardCharsets.UTF_8)));
        return out;
    }

    private List<String> reopenAndReplay() {
        try (Journal journal = Journals.open(dir)) {
            return replayed(journal);
        }
    }

    private static List<String> names(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    private void appendAll(Journal journal, List<String> records) {
        for (String r : records) journal.append(bytes(r));
    }

    private Path onlyLog() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().startsWith("log-"))
                    .collect(Collectors.toList());
            assertEquals(1, logs.size(), "one log file: " + logs);
            return logs.get(0);
        }
    }

    @Test
    void recordsAreReplayedInTheOrderTheyWereAppended() {
        List<String> records = names("record-", 0, 200);
        try (Journal journal = Journals.open(dir)) {
            assertEquals(List.of(), replayed(journal));
            appendAll(journal, records);
            journal.append(new byte[0]);
        }
        List<String> expected = new ArrayList<>(records);
        expected.add("");
        assertEquals(expected, reopenAndReplay());
    }

    @Test
    void aRecordCutShortByACrashIsDroppedAndTheLogContinuesCleanly() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("r", 0, 10));
            journal.append(bytes("the last record, which the crash cuts in half"));
        }
        Path log = onlyLog();
        long size = Files.size(log);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.setLength(size - 20);
        }
        try (Journal journal = Journals.open(dir)) {
            assertEquals(names("r", 0, 10), replayed(journal));
            journal.append(bytes("after"));
        }
        List<String> expected = new ArrayList<>(names("r", 0, 10));
        expected.add("after");
        assertEquals(expected, reopenAndReplay());
    }

    @Test
    void aTailShorterThanARecordHeaderIsDropped() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("r", 0, 3));
        }
        Path log = onlyLog();
        long complete = Files.size(log);
        Files.write(log, new byte[] {0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        try (Journal journal = Journals.open(dir)) {
            assertEquals(names("r", 0, 3), replayed(journal));
        }
        assertEquals(complete, Files.size(log), "the torn tail is cut off the file");
    }

    @Test
    void aZeroFilledTailIsNotReadAsRecords() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("r", 0, 3));
        }
        Files.write(onlyLog(), new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        assertEquals(names("r", 0, 3), reopenAndReplay());
    }

    @Test
    void aLastRecordWithAFlippedByteIsDroppedAndLaterAppendsSurvive() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("r", 0, 5));
            journal.append(bytes("damaged"));
        }
        Path log = onlyLog();
        long size = Files.size(log);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.seek(size - 3);
            int b = file.read();
            file.seek(size - 3);
            file.write(b ^ 0x10);
        }
        try (Journal journal = Journals.open(dir)) {
            assertEquals(names("r", 0, 5), replayed(journal));
            journal.append(bytes("next"));
        }
        List<String> expected = new ArrayList<>(names("r", 0, 5));
        expected.add("next");
        assertEquals(expected, reopenAndReplay());
    }

    @Test
    void aDamagedLengthIsNotFollowedPastTheEndOfTheFile() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("r", 0, 4));
        }
        Path log = onlyLog();
        long size = Files.size(log);
        long lastFrame = size - 8 - "r3".length();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.seek(lastFrame);
            file.writeInt(1 << 30);
        }
        assertEquals(names("r", 0, 3), reopenAndReplay());
        assertEquals(lastFrame, Files.size(log));
    }

    @Test
    void aSnapshotReplacesEverythingBeforeItAndLaterAppendsFollowIt() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("old-", 0, 50));
            assertTrue(journal.bytesSinceSnapshot() > 0);
            journal.snapshot(List.of(bytes("state-a"), bytes("state-b")));
            assertEquals(0, journal.bytesSinceSnapshot());
            appendAll(journal, names("new-", 0, 5));
            assertEquals(5 * (8 + "new-0".length()), journal.bytesSinceSnapshot());
        }
        List<String> expected = new ArrayList<>(List.of("state-a", "state-b"));
        expected.addAll(names("new-", 0, 5));
        assertEquals(expected, reopenAndReplay());

        try (Journal journal = Journals.open(dir)) {
            assertEquals(expected, replayed(journal));
            journal.snapshot(List.of(bytes("state-c")));
            journal.snapshot(List.of());
            journal.append(bytes("last"));
        }
        assertEquals(List.of("last"), reopenAndReplay());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> left =
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(List.of("lock", "log-3", "snapshot-3"), left, "earlier generations are deleted");
        }
    }

    @Test
    void aSnapshotRenamedBeforeItsLogWasCreatedIsTheWholeState() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("old-", 0, 3));
            journal.snapshot(List.of(bytes("state")));
        }
        // What a crash between the rename and the new log leaves: the new snapshot beside the old pair.
        Files.delete(dir.resolve("log-1"));
        Files.write(dir.resolve("log-0"), bytes("whatever the old log held"));
        assertEquals(List.of("state"), reopenAndReplay());
        assertFalse(Files.exists(dir.resolve("log-0")));
    }

    @Test
    void anInterruptedSnapshotIsIgnored() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            appendAll(journal, names("r", 0, 3));
        }
        Files.write(dir.resolve("snapshot-1.tmp"), bytes("half a snapshot"));
        assertEquals(names("r", 0, 3), reopenAndReplay());
        assertFalse(Files.exists(dir.resolve("snapshot-1.tmp")));
    }

    @Test
    void aDamagedSnapshotRefusesToStartRatherThanServeLess() throws IOException {
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            journal.snapshot(List.of(bytes("state-a"), bytes("state-b")));
        }
        Path snapshot = dir.resolve("snapshot-1");
        byte[] content = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(content, content.length - 5));
        try (Journal journal = Journals.open(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> replayed(journal));
            assertTrue(e.getMessage().contains("snapshot-1"), e.getMessage());
        }
    }

    @Test
    void aSecondJournalCannotOpenALockedDirectory() {
        try (Journal journal = Journals.open(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Journals.open(dir));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(
                    e.getMessage()
                            .contains(String.valueOf(ProcessHandle.current().pid())),
                    e.getMessage());
        }
        try (Journal again = Journals.open(dir)) {
            assertEquals(List.of(), replayed(again));
        }
    }

    @Test
    void aClosedJournalRefusesAppends() {
        Journal journal = Journals.open(dir);
        replayed(journal);
        journal.close();
        journal.close();
        assertThrows(IllegalStateException.class, () -> journal.append(bytes("late")));
    }

    @Test
    void noDirectoryMeansNothingIsKept() {
        assertTrue(Journals.open(null) == Journal.NONE);
    }

    @Test
    void concurrentAppendsAreAllReplayedEachWriterInItsOwnOrder() throws Exception {
        int writers = 16;
        int each = 300;
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++)
                            journal.append(bytes(writer + ":" + i + ":" + "x".repeat(i % 50)));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdownNow();
            }
        }
        List<String> records = reopenAndReplay();
        assertEquals(writers * each, records.size());
        Map<Integer, Integer> next = new HashMap<>();
        for (String record : records) {
            String[] parts = record.split(":");
            int writer = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            assertEquals(next.getOrDefault(writer, 0), seq, "writer " + writer + " out of order");
            assertEquals("x".repeat(seq % 50), parts.length > 2 ? parts[2] : "");
            next.put(writer, seq + 1);
        }
    }

    @Test
    void interruptedAppendersNeitherLoseRecordsNorBreakTheJournal() throws Exception {
        int writers = 6;
        int each = 150;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger interruptedAppends = new java.util.concurrent.atomic.AtomicInteger();
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            journal.append(bytes(writer + ":" + i));
                            // The interrupt is kept for the caller, not swallowed.
                            if (Thread.interrupted()) interruptedAppends.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            while (threads.stream().anyMatch(Thread::isAlive)) {
                for (Thread t : threads) t.interrupt();
                Thread.sleep(1);
            }
            assertEquals(List.of(), failures);
            assertTrue(interruptedAppends.get() > 0, "some appends were interrupted");
            journal.append(bytes("after the interrupts"));
        }
        List<String> records = reopenAndReplay();
        assertEquals(writers * each + 1, records.size());
        assertEquals("after the interrupts", records.get(records.size() - 1));
        assertEquals(writers * each, new java.util.HashSet<>(records.subList(0, writers * each)).size());
    }

    @Test
    void largeRecordsRoundTrip() {
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        try (Journal journal = Journals.open(dir)) {
            replayed(journal);
            journal.append(big);
            journal.snapshot(List.of(big, big));
            journal.append(big);
        }
        List<byte[]> out = new ArrayList<>();
        try (Journal journal = Journals.open(dir)) {
            journal.replay(out::add);
        }
        assertEquals(3, out.size());
        for (byte[] r : out) assertArrayEquals(big, r);
    }
}
