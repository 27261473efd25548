package eduledger.integrations;

import java.time.Instant;

/** An app's connection to the platform: the tenant every request is scoped to. */
public record Integration(String id, String name, String sharing, Instant createdDate) {
    public static final String SHARING_ALL = "all";
}
