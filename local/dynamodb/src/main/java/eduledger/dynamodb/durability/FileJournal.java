package eduledger.dynamodb.durability;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A journal kept in one directory: a snapshot file and the log of records appended after it.
 *
 * <p>Files carry a generation number: {@code snapshot-N} holds the whole state when {@code log-N}
 * began. A snapshot is written to a temporary file, forced, renamed into place and the directory
 * forced, and only then is the next log created and the previous generation deleted, so a crash at
 * any point leaves either the old pair or the new one complete. Generation 0 has no snapshot.
 *
 * <p>Every record is framed as {@code length (4 bytes) | crc32c(length, payload) (4 bytes) | payload}.
 * The checksum covers the length too, so a zero-filled or half-written tail never reads as a record.
 * Replay stops at the first frame that is short or fails its checksum and cuts the log there, so the
 * next append starts on a clean boundary.
 *
 * <p>{@link #append} returns after {@link FileChannel#force}. Appenders queue their frames and wait; a
 * writer thread takes everything queued, writes it in one write and forces it once for all of them
 * (group commit), so under concurrency the cost of a force is shared. The I/O runs on that private
 * thread because a FileChannel closes itself when a thread blocked in it is interrupted, and request
 * threads do get interrupted.
 *
 * <p>A {@code lock} file, held with an OS file lock for the journal's lifetime, keeps a second
 * process (or a second journal in this one) out of the directory.
 */
public final class FileJournal implements Journal {
    private static final System.Logger LOG = System.getLogger(FileJournal.class.getName());

    private static final byte[] LOG_MAGIC = "EDLLOG\u0000\u0001".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] SNAPSHOT_MAGIC = "EDLSNP\u0000\u0001".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HEADER = 8;
    private static final int FRAME = 8;
    /** A length no record can have; in a snapshot it introduces the trailer. */
    private static final int SNAPSHOT_END = -1;

    private static final Pattern FILE = Pattern.compile("(log|snapshot)-(\\d{1,18})");

    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private final ReentrantLock monitor = new ReentrantLock();
    /** Signalled when records are queued or the journal closes; the writer waits on it. */
    private final Condition work = monitor.newCondition();
    /** Signalled when a batch is durable or has failed; appenders wait on it. */
    private final Condition done = monitor.newCondition();

    private final Thread writer;
    /** Guarded by {@link #monitor}. */
    private long generation;

    private FileChannel log;
    private long logEnd;
    private boolean recovered;
    private boolean closed;
    private List<byte[]> queued = new ArrayList<>();
    private long queuedBytes;
    private long enqueuedSeq;
    private long durableSeq;
    private boolean writing;
    private IOException failure;
    private long bytesSinceSnapshot;

    private FileJournal(Path directory, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = new Thread(this::writeQueued, "dynamodb-journal");
        writer.setDaemon(true);
    }

    /** Opens (creating if needed) the journal in {@code directory} and takes its lock. */
    public static FileJournal open(Path directory) {
        try {
            Files.createDirectories(directory);
            Path lockFile = directory.resolve("lock");
            FileChannel channel = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new IllegalStateException("data directory " + directory.toAbsolutePath()
                        + " is in use by another engine" + holder + "; stop it or choose another directory");
            }
            FileJournal journal = new FileJournal(directory, channel, lock);
            try {
                writeHolder(channel);
                journal.openGeneration();
                journal.writer.start();
            } catch (IOException | RuntimeException e) {
                if (journal.log != null) journal.log.close();
                journal.releaseLock();
                throw e;
            }
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open data directory " + directory.toAbsolutePath(), e);
        }
    }

    private static void writeHolder(FileChannel channel) throws IOException {
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d+") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Picks the newest complete generation, removes what earlier ones and interrupted snapshots left. */
    private void openGeneration() throws IOException {
        long newestSnapshot = -1;
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith("snapshot-") && name.endsWith(".tmp")) {
                    leftovers.add(file);
                    continue;
                }
                Matcher m = FILE.matcher(name);
                if (m.matches() && m.group(1).equals("snapshot")) {
                    newestSnapshot = Math.max(newestSnapshot, Long.parseLong(m.group(2)));
                }
            }
        }
        generation = Math.max(newestSnapshot, 0);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(2)) < generation) leftovers.add(file);
            }
        }
        Path logFile = logFile(generation);
        if (Files.exists(logFile)) {
            log = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            log = createLog(logFile);
        }
        for (Path leftover : leftovers) Files.deleteIfExists(leftover);
        if (!leftovers.isEmpty()) forceDirectory();
    }

    private FileChannel createLog(Path file) throws IOException {
        FileChannel channel = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            writeFully(channel, ByteBuffer.wrap(LOG_MAGIC), 0);
            channel.force(true);
            forceDirectory();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private Path logFile(long gen) {
        return directory.resolve("log-" + gen);
    }

    private Path snapshotFile(long gen) {
        return directory.resolve("snapshot-" + gen);
    }

    @Override
    public void replay(Consumer<byte[]> records) {
        monitor.lock();
        try {
            ensureOpen();
            if (recovered) throw new IllegalStateException("the journal was already replayed or appended to");
            Path snapshot = snapshotFile(generation);
            if (generation > 0 || Files.exists(snapshot)) readSnapshot(snapshot, records);
            recoverLog(records);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + directory.toAbsolutePath(), e);
        } finally {
            monitor.unlock();
        }
    }

    private void readSnapshot(Path file, Consumer<byte[]> records) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            DataInputStream data = new DataInputStream(in);
            byte[] magic = new byte[HEADER];
            data.readFully(magic);
            if (!Arrays.equals(magic, SNAPSHOT_MAGIC)) throw corruptSnapshot(file, "it does not start as a snapshot");
            long count = 0;
            while (true) {
                int length = data.readInt();
                int crc = data.readInt();
                if (length == SNAPSHOT_END) {
                    long expected = data.readLong();
                    if (crc != crc(SNAPSHOT_END, longBytes(expected), 0, 8) || expected != count) {
                        throw corruptSnapshot(file, "its trailer does not match its " + count + " records");
                    }
                    return;
                }
                if (length < 0) throw corruptSnapshot(file, "record " + count + " has a negative length");
                byte[] payload = new byte[length];
                data.readFully(payload);
                if (crc != crc(length, payload, 0, length)) {
                    throw corruptSnapshot(file, "record " + count + " fails its checksum");
                }
                records.accept(payload);
                count++;
            }
        } catch (EOFException e) {
            throw corruptSnapshot(file, "it ends before its trailer");
        }
    }

    /**
     * A snapshot is only ever renamed into place complete, so damage there is not a crash but lost
     * data; refusing to start says so instead of silently serving less.
     */
    private IllegalStateException corruptSnapshot(Path file, String why) {
        return new IllegalStateException("snapshot " + file.toAbsolutePath() + " is damaged (" + why
                + "); the engine's state cannot be rebuilt from " + directory.toAbsolutePath());
    }

    /** Reads the log up to its last whole record, handing records on, and cuts whatever follows. */
    private void recoverLog(Consumer<byte[]> records) throws IOException {
        long size = log.size();
        long end;
        if (size < HEADER) {
            end = HEADER;
            writeFully(log, ByteBuffer.wrap(LOG_MAGIC), 0);
        } else {
            ByteBuffer magic = ByteBuffer.allocate(HEADER);
            readFully(log, magic, 0);
            if (!Arrays.equals(magic.array(), LOG_MAGIC)) {
                throw new IllegalStateException("log " + logFile(generation).toAbsolutePath()
                        + " does not start as a journal log; is " + directory.toAbsolutePath()
                        + " an engine data directory?");
            }
            end = scan(size, records);
        }
        if (end < size) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "journal {0}: dropping {1} bytes of a torn or damaged last record",
                    logFile(generation).toAbsolutePath(),
                    String.valueOf(size - end));
            log.truncate(end);
        }
        if (end != size || size < HEADER) log.force(true);
        logEnd = end;
        bytesSinceSnapshot = end - HEADER;
        recovered = true;
    }

    private long scan(long size, Consumer<byte[]> records) throws IOException {
        DataInputStream in =
                new DataInputStream(new BufferedInputStream(Channels.newInputStream(log.position(HEADER)), 1 << 16));
        long position = HEADER;
        while (size - position >= FRAME) {
            int length = in.readInt();
            int crc = in.readInt();
            if (length < 0 || length > size - position - FRAME) break;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (crc != crc(length, payload, 0, length)) break;
            if (records != null) records.accept(payload);
            position += FRAME + length;
        }
        return position;
    }

    @Override
    public void append(byte[] record) {
        byte[] frame = frame(record);
        boolean interrupted = false;
        monitor.lock();
        try {
            ensureOpen();
            ensureRecovered();
            if (failure != null) throw failed();
            queued.add(frame);
            queuedBytes += frame.length;
            long mine = ++enqueuedSeq;
            work.signal();
            // Deaf to interrupts: the record is queued and may yet be written, and an append that threw
            // while its record became durable would let the engine's memory and its journal disagree.
            while (durableSeq < mine && failure == null) {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (durableSeq < mine) throw failed();
        } finally {
            monitor.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The writer thread's loop: one write and one force per batch of whatever is queued. */
    private void writeQueued() {
        while (true) {
            List<byte[]> batch;
            long batchBytes;
            long batchEnd;
            FileChannel channel;
            long position;
            monitor.lock();
            try {
                while (queued.isEmpty() && !closed) work.awaitUninterruptibly();
                if (queued.isEmpty()) return;
                writing = true;
                batch = queued;
                batchBytes = queuedBytes;
                batchEnd = enqueuedSeq;
                queued = new ArrayList<>();
                queuedBytes = 0;
                channel = log;
                position = logEnd;
            } finally {
                monitor.unlock();
            }
            IOException error = null;
            try {
                writeBatch(channel, position, batch, batchBytes);
                channel.force(false);
            } catch (IOException e) {
                error = e;
            } catch (RuntimeException | Error e) {
                // Whatever went wrong, the appenders waiting on this batch must be released.
                error = new IOException("writing to the journal failed", e);
            }
            monitor.lock();
            try {
                writing = false;
                if (error != null) {
                    failure = error;
                    queued = new ArrayList<>();
                    queuedBytes = 0;
                } else {
                    logEnd = position + batchBytes;
                    bytesSinceSnapshot += batchBytes;
                    durableSeq = batchEnd;
                }
                done.signalAll();
            } finally {
                monitor.unlock();
            }
        }
    }

    private static void writeBatch(FileChannel channel, long position, List<byte[]> batch, long bytes)
            throws IOException {
        if (batch.size() == 1) {
            writeFully(channel, ByteBuffer.wrap(batch.get(0)), position);
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(bytes));
        for (byte[] frame : batch) buffer.put(frame);
        buffer.flip();
        writeFully(channel, buffer, position);
    }

    @Override
    public void snapshot(Iterable<byte[]> state) {
        monitor.lock();
        try {
            ensureOpen();
            ensureRecovered();
            // Appends are paused by the caller, but the last ones may still be finishing their force.
            while ((writing || !queued.isEmpty()) && failure == null) done.awaitUninterruptibly();
            if (failure != null) throw failed();
            long next = generation + 1;
            Path target = snapshotFile(next);
            Path temp = directory.resolve(target.getFileName() + ".tmp");
            try {
                writeSnapshot(temp, state);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("the file system of " + directory + " cannot rename atomically", e);
                }
                forceDirectory();
                FileChannel nextLog = createLog(logFile(next));
                FileChannel previous = log;
                long previousGeneration = generation;
                log = nextLog;
                logEnd = HEADER;
                generation = next;
                bytesSinceSnapshot = 0;
                previous.close();
                Files.deleteIfExists(logFile(previousGeneration));
                Files.deleteIfExists(snapshotFile(previousGeneration));
                forceDirectory();
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The next open removes it.
                }
                throw new UncheckedIOException("cannot write a snapshot in " + directory.toAbsolutePath(), e);
            }
        } finally {
            monitor.unlock();
        }
    }

    private static void writeSnapshot(Path temp, Iterable<byte[]> state) throws IOException {
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            out.write(SNAPSHOT_MAGIC);
            long count = 0;
            for (byte[] record : state) {
                out.write(frame(record));
                count++;
            }
            byte[] countBytes = longBytes(count);
            ByteBuffer trailer = ByteBuffer.allocate(FRAME + 8);
            trailer.putInt(SNAPSHOT_END)
                    .putInt(crc(SNAPSHOT_END, countBytes, 0, 8))
                    .put(countBytes);
            out.write(trailer.array());
            out.flush();
            channel.force(true);
        }
    }

    @Override
    public long bytesSinceSnapshot() {
        monitor.lock();
        try {
            return bytesSinceSnapshot;
        } finally {
            monitor.unlock();
        }
    }

    @Override
    public void close() {
        monitor.lock();
        try {
            if (closed) return;
            closed = true;
            work.signal();
        } finally {
            monitor.unlock();
        }
        // The writer finishes what is queued, so an append racing close still gets its answer.
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        try {
            log.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the journal log failed", e);
        }
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "releasing the data directory lock failed", e);
        } finally {
            try {
                lockChannel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the data directory lock failed", e);
            }
        }
    }

    /** An engine that never replays still must not append after a torn tail. */
    private void ensureRecovered() {
        if (recovered) return;
        try {
            if (generation > 0) {
                throw new IllegalStateException("the journal in " + directory.toAbsolutePath()
                        + " holds a snapshot; replay it before appending");
            }
            recoverLog(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + directory.toAbsolutePath(), e);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the journal in " + directory.toAbsolutePath() + " is closed");
    }

    private UncheckedIOException failed() {
        return new UncheckedIOException(
                "the journal in " + directory.toAbsolutePath() + " failed to write and accepts no more records",
                failure);
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory as a channel; their renames are durable without it.
            if (!System.getProperty("os.name", "").startsWith("Windows")) throw e;
        }
    }

    static byte[] frame(byte[] record) {
        int length = record.length;
        byte[] frame = new byte[FRAME + length];
        ByteBuffer.wrap(frame).putInt(length).putInt(crc(length, record, 0, length));
        System.arraycopy(record, 0, frame, FRAME, length);
        return frame;
    }

    private static int crc(int length, byte[] payload, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, offset, count);
        return (int) crc.getValue();
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) position += channel.write(buffer, position);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) throw new EOFException();
            position += n;
        }
    }
}
