package eduledger.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a token may do. An integration's token carries a subset of {@link #integrationScopes()};
 * {@code admin} and {@code source:write} are the platform operator's alone: the roster is written
 * by the platform's sync jobs, and a source write reaches every tenant's objects, so no
 * integration's token may hold it. {@code application} only an application's secret key holds
 * (with the audit event scopes).
 */
public enum Scope {
    GRAPH_READ("graph:read"),
    AUDIT_WRITE("audit:write"),
    AUDIT_READ("audit:read"),
    SCHEMA_ADMIN("schemas:admin"),
    SOURCE_WRITE("source:write"),
    COURSE_AUDIT_READ("course_audit:read"),
    ADMIN("admin"),
    APPLICATION("application");

    private final String id;

    Scope(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Scope parse(String id) {
        for (Scope scope : values()) {
            if (scope.id.equals(id)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + id + "'; known: " + allIds());
    }

    /** Every scope an integration can hold: all but the {@linkplain #operatorScopes() operator's} and {@code application}. */
    public static Set<Scope> integrationScopes() {
        EnumSet<Scope> notAnIntegrations = EnumSet.copyOf(operatorScopes());
        notAnIntegrations.add(APPLICATION);
        return EnumSet.complementOf(notAnIntegrations);
    }

    /** What an application's secret key holds: the audit event routes and the meta routes. */
    public static Set<Scope> applicationScopes() {
        return EnumSet.of(AUDIT_WRITE, AUDIT_READ, APPLICATION);
    }

    /** The scopes only the platform operator's tokens hold. */
    public static Set<Scope> operatorScopes() {
        return EnumSet.of(ADMIN, SOURCE_WRITE);
    }

    public boolean operatorOnly() {
        return this == ADMIN || this == SOURCE_WRITE;
    }

    public static String allIds() {
        StringBuilder ids = new StringBuilder();
        for (Scope scope : values()) {
            ids.append(ids.length() == 0 ? "" : ", ").append(scope.id);
        }
        return ids.toString();
    }
}
