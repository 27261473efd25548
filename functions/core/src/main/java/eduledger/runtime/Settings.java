package eduledger.runtime;

import eduledger.storage.Tables;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration, from the environment variables {@code template.yaml} sets. Each has a default
 * that fits a local run, so a handler can start with no environment at all.
 */
public record Settings(Tables tables, String region, Optional<URI> dynamoEndpoint,
                       Duration retention, Duration storeCallTimeout) {

    public static final String CONTROL_TABLE = "CONTROL_TABLE";
    public static final String ROSTER_TABLE = "ROSTER_TABLE";
    public static final String EVENTS_TABLE = "EVENTS_TABLE";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String STORE_TIMEOUT_MS = "STORE_TIMEOUT_MS";

    public static Settings from(Map<String, String> env) {
        Tables tables = new Tables(
                value(env, CONTROL_TABLE, "eduledger-control"),
                value(env, ROSTER_TABLE, "eduledger-roster"),
                value(env, EVENTS_TABLE, "eduledger-events"));
        String endpoint = env.get(DYNAMODB_ENDPOINT);
        return new Settings(tables,
                value(env, "AWS_REGION", "us-east-1"),
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint)),
                Duration.ofDays(Long.parseLong(value(env, RETENTION_DAYS, "30"))),
                Duration.ofMillis(Long.parseLong(value(env, STORE_TIMEOUT_MS, "5000"))));
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
