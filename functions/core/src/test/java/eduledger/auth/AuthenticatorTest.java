package eduledger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eduledger.errors.ServiceException;
import eduledger.lambda.Services;
import eduledger.testing.TestServices;
import eduledger.testing.TestServices.TestIntegration;
import org.junit.jupiter.api.Test;

/** The Authorization header as callers write it: the scheme in any case, any whitespace between. */
class AuthenticatorTest {
    private final Services services = TestServices.shared();
    private final TestIntegration tenant = TestServices.integration(services);

    private String refused(String header) {
        ServiceException e = assertThrows(
                ServiceException.class, () -> services.authenticator().authenticate(header));
        return e.details().get(0).code();
    }

    @Test
    void acceptsTheBearerSchemeInAnyCaseWithAnyWhitespaceAroundTheToken() {
        for (String header : new String[] {
            "Bearer " + tenant.token(),
            "bearer " + tenant.token(),
            "BEARER\t" + tenant.token(),
            "  Bearer \t\r\n " + tenant.token() + "  ",
            "Bearer\u000B\f" + tenant.token(),
        }) {
            assertEquals(
                    tenant.id(), services.authenticator().authenticate(header).integrationId(), header);
        }
    }

    @Test
    void refusesHeadersThatAreNotBearerAndOneToken() {
        assertEquals("MISSING_TOKEN", refused(null));
        assertEquals("MISSING_TOKEN", refused(" \t"));
        assertEquals("INVALID_TOKEN", refused("Bearer"));
        assertEquals("INVALID_TOKEN", refused("Bearer   "));
        assertEquals("INVALID_TOKEN", refused(tenant.token()));
        assertEquals("INVALID_TOKEN", refused("Basic " + tenant.token()));
        assertEquals("INVALID_TOKEN", refused("Bearers " + tenant.token()));
        assertEquals("INVALID_TOKEN", refused("Bear " + tenant.token()));
        assertEquals("INVALID_TOKEN", refused("Bearer\u00A0" + tenant.token()));
        // Whitespace inside the token is part of it, so it names no token.
        assertEquals("INVALID_TOKEN", refused("Bearer " + tenant.token() + " extra"));
        assertEquals("INVALID_TOKEN", refused("Bearer x" + tenant.token()));
    }
}
