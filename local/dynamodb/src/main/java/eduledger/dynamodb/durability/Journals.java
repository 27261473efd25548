package eduledger.dynamodb.durability;

import java.nio.file.Path;

/** Opens the journal an engine keeps its state in. */
public final class Journals {
    private Journals() {}

    /**
     * The durable journal in {@code directory} (created if missing), or {@link Journal#NONE} for an
     * in-memory engine when {@code directory} is null. The directory stays locked until the journal is
     * closed; opening one that another engine holds fails with an {@link IllegalStateException}.
     */
    public static Journal open(Path directory) {
        if (directory == null) return Journal.NONE;
        return FileJournal.open(directory);
    }
}
