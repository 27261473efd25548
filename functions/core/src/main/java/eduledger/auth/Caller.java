package eduledger.auth;

import java.util.Set;

/** Who is calling: the integration (the tenant) the token belongs to, and what it may do. */
public record Caller(String integrationId, Set<Scope> scopes) {
    /** Whom the platform operator's tokens belong to: no integration has this id. */
    public static final String OPERATOR = "platform-operator";

    public Caller {
        scopes = Set.copyOf(scopes);
    }
}
