package eduledger.paging;

import java.util.HexFormat;
import java.util.Optional;

/**
 * The secrets page tokens are signed with: {@code current} signs and verifies; {@code previous},
 * when present, only verifies, so the tokens clients hold survive one rotation.
 */
public record CursorKeys(String current, Optional<String> previous) {
    public CursorKeys {
        if (current == null || current.isEmpty()) {
            throw new IllegalArgumentException("a cursor secret is required");
        }
        previous = previous.filter(p -> !p.isEmpty() && !p.equals(current));
    }

    /** @param previous null or empty for none */
    public CursorKeys(String current, String previous) {
        this(current, Optional.ofNullable(previous));
    }

    /** The key id page tokens of {@code secret} carry: the first 4 bytes of its SHA-256, in hex. */
    public static String keyId(String secret) {
        return HexFormat.of().formatHex(CursorCodec.keyId(secret));
    }

    @Override
    public String toString() {
        // Keys get logged by accident; only their ids may be.
        return "CursorKeys[current=" + keyId(current) + ", previous="
                + previous.map(CursorKeys::keyId).orElse("none") + "]";
    }
}
