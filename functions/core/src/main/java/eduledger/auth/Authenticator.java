package eduledger.auth;

import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization: Bearer} header into a {@link Caller}. Lookups are cached per
 * container for a short while, so a revoked token may keep working for up to {@link #CACHE_FOR}.
 */
public final class Authenticator {
    public static final Duration CACHE_FOR = Duration.ofSeconds(60);
    private static final int MAX_CACHED = 10_000;

    private record Cached(Caller caller, Instant until) {}

    private final TokenStore tokens;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public Authenticator(TokenStore tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("MISSING_TOKEN", "Send an Authorization: Bearer <token> header.");
        }
        // The scheme, a run of whitespace, and the token: split by hand, as a regular expression
        // would be compiled again on every request.
        String trimmed = authorization.trim();
        int gap = 0;
        while (gap < trimmed.length() && !separates(trimmed.charAt(gap))) {
            gap++;
        }
        int start = gap;
        while (start < trimmed.length() && separates(trimmed.charAt(start))) {
            start++;
        }
        String token = trimmed.substring(start);
        if (gap != 6
                || start == trimmed.length()
                || !trimmed.regionMatches(true, 0, "bearer", 0, 6)
                || token.isBlank()) {
            throw unauthorized("INVALID_TOKEN", "The Authorization header must be 'Bearer <token>'.");
        }
        String hash = Tokens.hash(token);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.caller();
        }
        Optional<Caller> caller = tokens.findCaller(hash);
        if (caller.isEmpty()) {
            throw unauthorized("INVALID_TOKEN", "The token is unknown or revoked.");
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(hash, new Cached(caller.get(), now.plus(CACHE_FOR)));
        return caller.get();
    }

    /** The whitespace that separates the scheme from the token: a regular expression's {@code \s}. */
    private static boolean separates(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static ServiceException unauthorized(String code, String message) {
        return new ServiceException(Failure.UNAUTHORIZED, code, message);
    }
}
