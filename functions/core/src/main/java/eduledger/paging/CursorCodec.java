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

    private final SecretKeySpec key;
    private final byte[] keyId;
    /** The key before the current one, accepted for reading; null when there is none. */
    private final SecretKeySpec previousKey;

    private final byte[] previousKeyId;

    public CursorCodec(String secret) {
        this(secret, null);
    }

    /** @param previousSecret the secret the current one replaced, still accepted for reading; null for none */
    public CursorCodec(String secret, String previousSecret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a cursor secret is required");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.keyId = keyId(secret);
        boolean hasPrevious = previousSecret != null && !previousSecret.isEmpty() && !previousSecret.equals(secret);
        this.previousKey =
                hasPrevious ? new SecretKeySpec(previousSecret.getBytes(StandardCharsets.UTF_8), ALGORITHM) : null;
        this.previousKeyId = hasPrevious ? keyId(previousSecret) : null;
    }

    private static byte[] keyId(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, KEY_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    public String encode(String integrationId, ObjectNode payload) {
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(key, integrationId, body);
        byte[] token = Arrays.copyOf(keyId, KEY_ID_BYTES + MAC_BYTES + body.length);
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
        SecretKeySpec signer = Arrays.equals(id, keyId)
                ? key
                : previousKey != null && Arrays.equals(id, previousKeyId) ? previousKey : null;
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
