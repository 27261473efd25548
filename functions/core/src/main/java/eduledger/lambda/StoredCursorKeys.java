package eduledger.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.json.Json;
import eduledger.paging.CursorKeys;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The page-token keys kept in a secret store, read once at init (a function that cannot read them
 * fails its init rather than sign with a key the other copies do not hold), read again after a
 * SnapStart restore (a snapshot may be restored long after it was taken, past a rotation), and
 * again when {@link #REFRESH} has passed, so a rotation reaches every warm copy within that time.
 * A failed re-read keeps the keys held and tries again after {@link #RETRY}: serving pages with
 * the keys of a few minutes ago beats failing them.
 */
final class StoredCursorKeys implements Supplier<CursorKeys> {
    /** How long a rotation takes to reach every running copy; docs/operations.md builds on it. */
    static final Duration REFRESH = Duration.ofMinutes(5);

    static final Duration RETRY = Duration.ofSeconds(30);

    private final Supplier<String> read;
    private final Clock clock;
    private volatile CursorKeys keys;
    private volatile Instant nextRead;

    /** @param read the secret's text: {@code {"current": "...", "previous": "..."}} */
    StoredCursorKeys(Supplier<String> read, Clock clock) {
        this.read = read;
        this.clock = clock;
        this.keys = parse(read.get());
        this.nextRead = clock.instant().plus(REFRESH);
    }

    @Override
    public CursorKeys get() {
        if (!clock.instant().isBefore(nextRead)) {
            refresh();
        }
        return keys;
    }

    /** Reads the keys now (after a restore); on failure the next use tries again. */
    void reread() {
        nextRead = Instant.MIN;
        refresh();
    }

    private synchronized void refresh() {
        Instant now = clock.instant();
        if (now.isBefore(nextRead)) {
            return; // another request read them while this one waited
        }
        try {
            keys = parse(read.get());
            nextRead = now.plus(REFRESH);
        } catch (RuntimeException e) {
            nextRead = now.plus(RETRY);
            System.err.println("cursor keys: re-reading failed, keeping " + keys + ": " + e.getMessage());
        }
    }

    static CursorKeys parse(String secret) {
        JsonNode json;
        try {
            json = Json.read(secret);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the cursor secret is not JSON: expected {\"current\": ..., \"previous\": ...}");
        }
        JsonNode current = json == null ? null : json.get("current");
        if (current == null || !current.isTextual() || current.asText().length() < 32) {
            throw new IllegalStateException("the cursor secret needs \"current\": a string of at least 32 characters");
        }
        JsonNode previous = json.path("previous");
        return new CursorKeys(current.asText(), previous.isTextual() ? previous.asText() : null);
    }
}
