package eduledger.auth;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling and what it may do: an integration (the tenant) with its token, the platform
 * operator, or an application with its secret key, which acts for all of its integrations and is
 * none of them ({@code integrationId} null).
 */
public record Caller(String integrationId, Set<Scope> scopes, String applicationId) {
    /** Whom the platform operator's tokens belong to: no integration has this id. */
    public static final String OPERATOR = "platform-operator";

    public Caller {
        // The application scope is an application's secret key's alone, whatever a stored token says.
        scopes = applicationId == null || integrationId != null
                ? scopes.stream().filter(scope -> scope != Scope.APPLICATION).collect(Collectors.toUnmodifiableSet())
                : Set.copyOf(scopes);
    }

    public Caller(String integrationId, Set<Scope> scopes) {
        this(integrationId, scopes, null);
    }

    /** True for an application's secret key. */
    public boolean isApplication() {
        return integrationId == null && applicationId != null;
    }

    /** True for an integration's token: neither an application's secret nor the operator's. */
    public boolean isIntegration() {
        return integrationId != null && !OPERATOR.equals(integrationId) && !scopes.contains(Scope.ADMIN);
    }

    /** The integration, or the application, the request acts for: what its log line names. */
    public String tenant() {
        return isApplication() ? applicationId : integrationId;
    }
}
