package eduledger.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a token may do. An integration's token carries a subset of {@link #integrationScopes()};
 * {@code admin} is the platform operator's, and {@code application} only an application's secret
 * key holds (with the audit event scopes).
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

    /** Every scope an integration can hold; {@code admin} and {@code application} never are. */
    public static Set<Scope> integrationScopes() {
        return EnumSet.complementOf(EnumSet.of(ADMIN, APPLICATION));
    }

    /** What an application's secret key holds: the audit event routes and the meta routes. */
    public static Set<Scope> applicationScopes() {
        return EnumSet.of(AUDIT_WRITE, AUDIT_READ, APPLICATION);
    }

    public static String allIds() {
        StringBuilder ids = new StringBuilder();
        for (Scope scope : values()) {
            ids.append(ids.length() == 0 ? "" : ", ").append(scope.id);
        }
        return ids.toString();
    }
}
