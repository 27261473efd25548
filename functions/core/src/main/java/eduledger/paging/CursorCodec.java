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
 * Opaque page tokens: {@code base64url(mac ‖ payload)}, where the MAC is HMAC-SHA256 over the
 * integration id and the payload. The integration is never written into the token: it is taken from
 * the caller's bearer token on every request and only enters the MAC, so a token altered in any
 * byte, or presented by another integration, fails verification instead of reaching its data.
 */
public final class CursorCodec {
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAC_BYTES = 32;
    private static final int MAX_TOKEN_CHARS = 4096;

    private final SecretKeySpec key;

    public CursorCodec(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a cursor secret is required");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String encode(String integrationId, ObjectNode payload) {
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(integrationId, body);
        byte[] token = Arrays.copyOf(mac, MAC_BYTES + body.length);
        System.arraycopy(body, 0, token, MAC_BYTES, body.length);
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
        if (bytes.length <= MAC_BYTES) {
            throw invalid();
        }
        byte[] body = Arrays.copyOfRange(bytes, MAC_BYTES, bytes.length);
        // Constant-time comparison: the time taken must not reveal how many MAC bytes matched.
        if (!MessageDigest.isEqual(Arrays.copyOf(bytes, MAC_BYTES), mac(integrationId, body))) {
            throw invalid();
        }
        JsonNode payload = Json.readStored(new String(body, StandardCharsets.UTF_8));
        if (!payload.isObject()) {
            throw invalid();
        }
        return (ObjectNode) payload;
    }

    private byte[] mac(String integrationId, byte[] body) {
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
