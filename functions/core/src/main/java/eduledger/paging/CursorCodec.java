package eduledger.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque page tokens: {@code base64url(keyId ‖ mac ‖ payload)}, where the MAC is HMAC-SHA256 over
 * the integration id and the payload, and the key id (the first bytes of the key's SHA-256) says which
 * key made it: while the secret is rotated, tokens of the previous key still verify, so no client's
 * paging breaks at the moment of rotation; a token of a key no longer held is refused. The integration is never written into the token: it is taken from
 * the caller's bearer token on every request and only enters the MAC, so a token altered in any
 * byte, or presented by another integration, fails verification instead of reaching its data.
 */
public final class CursorCodec {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final int KEY_ID_BYTES = 4;
    private static final int MAX_TOKEN_CHARS = 4096;

    private final Supplier<CursorKeys> source;
    /** The keys last taken from {@link #source}, with the signing keys made from them. */
    private volatile Signers signers;

    public CursorCodec(String secret) {
        this(secret, null);
    }

    /** @param previousSecret the secret the current one replaced, still accepted for reading; null for none */
    public CursorCodec(String secret, String previousSecret) {
        this(fixed(new CursorKeys(secret, previousSecret)));
    }

    /**
     * A codec that asks {@code source} for the keys on every use, so a source that re-reads a
     * secret store changes the keys without rebuilding whatever holds the codec.
     */
    public CursorCodec(Supplier<CursorKeys> source) {
        this.source = source;
        this.signers = new Signers(source.get());
    }

    private static Supplier<CursorKeys> fixed(CursorKeys keys) {
        return () -> keys;
    }

    private Signers signers() {
        CursorKeys keys = source.get();
        Signers current = signers;
        if (current.keys != keys && !current.keys.equals(keys)) {
            current = new Signers(keys);
            signers = current;
        }
        return current;
    }

    /** The signing keys of one {@link CursorKeys}, made once. */
    private static final class Signers {
        final CursorKeys keys;
        final SecretKeySpec key;
        final byte[] keyId;
        /** The key before the current one, accepted for reading; null when there is none. */
        final SecretKeySpec previousKey;

        final byte[] previousKeyId;

        Signers(CursorKeys keys) {
            this.keys = keys;
            this.key = new SecretKeySpec(keys.current().getBytes(StandardCharsets.UTF_8), ALGORITHM);
            this.keyId = keyId(keys.current());
            this.previousKey = keys.previous()
                    .map(previous -> new SecretKeySpec(previous.getBytes(StandardCharsets.UTF_8), ALGORITHM))
                    .orElse(null);
            this.previousKeyId = keys.previous().map(CursorCodec::keyId).orElse(null);
        }
    }

    static byte[] keyId(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, KEY_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    public String encode(String integrationId, ObjectNode payload) {
        Signers signers = signers();
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(signers.key, integrationId, body);
        byte[] token = Arrays.copyOf(signers.keyId, KEY_ID_BYTES + MAC_BYTES + body.length);
        System.arraycopy(mac, 0, token, KEY_ID_BYTES, MAC_BYTES);
        System.arraycopy(body, 0, token, KEY_ID_BYTES + MAC_BYTES, body.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /** The payload of a token this integration was given; anything else is the caller's 400. */
    public ObjectNode decode(String integrationId, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw invalid();
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (bytes.length <= KEY_ID_BYTES + MAC_BYTES) {
            throw invalid();
        }
        byte[] id = Arrays.copyOf(bytes, KEY_ID_BYTES);
        Signers signers = signers();
        SecretKeySpec signer = Arrays.equals(id, signers.keyId)
                ? signers.key
                : signers.previousKey != null && Arrays.equals(id, signers.previousKeyId) ? signers.previousKey : null;
        if (signer == null) {
            throw invalid();
        }
        byte[] body = Arrays.copyOfRange(bytes, KEY_ID_BYTES + MAC_BYTES, bytes.length);
        // Constant-time comparison: the time taken must not reveal how many MAC bytes matched.
        if (!MessageDigest.isEqual(
                Arrays.copyOfRange(bytes, KEY_ID_BYTES, KEY_ID_BYTES + MAC_BYTES), mac(signer, integrationId, body))) {
            throw invalid();
        }
        JsonNode payload = Json.readStored(new String(body, StandardCharsets.UTF_8));
        if (!payload.isObject()) {
            throw invalid();
        }
        return (ObjectNode) payload;
    }

    private static byte[] mac(SecretKeySpec key, String integrationId, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(integrationId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0); // separates the integration id from the payload unambiguously
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present", e);
        }
    }

    private static ServiceException invalid() {
        return ServiceException.badRequest(
                "INVALID_PAGE_TOKEN",
                "The page token is not valid: it was altered, truncated, or issued to another integration. "
                        + "Start again from the first page.");
    }
}
