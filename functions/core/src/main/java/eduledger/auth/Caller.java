package eduledger.auth;

import java.util.Set;

/** Who is calling: the integration (the tenant) the token belongs to, and what it may do. */
public record Caller(String integrationId, Set<Scope> scopes) {
    public Caller {
        scopes = Set.copyOf(scopes);
    }
}
