package eduledger.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
    private final CursorCodec codec = new CursorCodec("a-test-secret-that-is-long-enough-0123");

    private static ObjectNode payload() {
        ObjectNode payload = Json.object();
        payload.put("a", "0190a5e2-0000-7000-8000-000000000001");
        return payload;
    }

    @Test
    void aTokenDecodesForTheIntegrationItWasIssuedTo() {
        String token = codec.encode("integration-a", payload());
        assertEquals(payload(), codec.decode("integration-a", token));
        assertFalse(token.contains("integration-a"));
        assertFalse(new String(Base64.getUrlDecoder().decode(token)).contains("integration-a"));
    }

    @Test
    void anotherIntegrationCannotUseIt() {
        String token = codec.encode("integration-a", payload());
        ServiceException e = assertThrows(ServiceException.class, () -> codec.decode("integration-b", token));
        assertEquals(Failure.BAD_REQUEST, e.failure());
        assertEquals("INVALID_PAGE_TOKEN", e.details().get(0).code());
    }

    @Test
    void everyAlteredByteIsRefused() {
        byte[] bytes = Base64.getUrlDecoder().decode(codec.encode("integration-a", payload()));
        for (int i = 0; i < bytes.length; i++) {
            byte[] altered = bytes.clone();
            altered[i] ^= 0x01;
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(altered);
            assertThrows(ServiceException.class, () -> codec.decode("integration-a", token), "byte " + i);
        }
    }

    @Test
    void garbageAndOtherSecretsAreRefused() {
        for (String garbage : new String[] {"", "not base64 !", "AAAA", "x".repeat(5000)}) {
            assertThrows(ServiceException.class, () -> codec.decode("integration-a", garbage), garbage);
        }
        String foreign = new CursorCodec("another-secret-that-is-long-enough-99").encode("integration-a", payload());
        assertThrows(ServiceException.class, () -> codec.decode("integration-a", foreign));
    }

    @Test
    void afterARotationTokensOfThePreviousKeyStillReadAndThoseOfOlderKeysDoNot() {
        String oldest = new CursorCodec("the-oldest-secret-long-enough-0123456").encode("integration-a", payload());
        String before = codec.encode("integration-a", payload());
        CursorCodec rotated =
                new CursorCodec("the-next-secret-that-is-long-enough-01", "a-test-secret-that-is-long-enough-0123");
        assertEquals(payload(), rotated.decode("integration-a", before));
        assertThrows(ServiceException.class, () -> rotated.decode("integration-b", before));
        assertThrows(ServiceException.class, () -> rotated.decode("integration-a", oldest));
        String after = rotated.encode("integration-a", payload());
        assertEquals(payload(), rotated.decode("integration-a", after));
        // Tokens of the new key are not the old key's: the old codec refuses them.
        assertThrows(ServiceException.class, () -> codec.decode("integration-a", after));
    }
}
