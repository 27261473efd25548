package eduledger.auth;

/**
 * Tokens, in the control table, found by the hash of what the caller sends. The design, and the
 * access patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class TokenKeys {
    private TokenKeys() {}

    public static String token(String tokenHash) {
        return "TOKEN#" + tokenHash;
    }

    public static final String TOKEN_SK = "TOKEN";
}
