package eduledger.lambda;

import eduledger.auth.RateLimit;
import eduledger.storage.Tables;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration, from the environment variables {@code template.yaml} sets. Each has a default
 * that fits a local run, so a handler can start with no environment at all.
 */
public record Settings(
        Tables tables,
        String region,
        Optional<URI> dynamoEndpoint,
        Duration retention,
        Duration storeCallTimeout,
        String cursorSecret,
        String previousCursorSecret,
        Optional<String> cursorSecretId,
        Optional<URI> secretsManagerEndpoint,
        RateLimit tenantLimit) {

    public static final String CONTROL_TABLE = "CONTROL_TABLE";
    public static final String ROSTER_TABLE = "ROSTER_TABLE";
    public static final String EVENTS_TABLE = "EVENTS_TABLE";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String RETENTION_DAYS = "RETENTION_DAYS";
    public static final String STORE_TIMEOUT_MS = "STORE_TIMEOUT_MS";
    public static final String CURSOR_SECRET = "CURSOR_SECRET";
    /** The secret {@code CURSOR_SECRET} replaced: page tokens it signed still read while clients finish paging. */
    public static final String CURSOR_PREVIOUS_SECRET = "CURSOR_PREVIOUS_SECRET";
    /**
     * The Secrets Manager secret (name or ARN) holding the page-token keys as
     * {@code {"current": ..., "previous": ...}}; when set it takes the place of {@code CURSOR_SECRET}
     * and {@code CURSOR_PREVIOUS_SECRET}, which then only serve local runs.
     */
    public static final String CURSOR_SECRET_ID = "CURSOR_SECRET_ID";
    /** Set by Lambda in every function's environment. */
    static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";
    /** A Secrets Manager endpoint to use instead of AWS's (tests and local stand-ins). */
    public static final String SECRETS_MANAGER_ENDPOINT = "SECRETS_MANAGER_ENDPOINT";
    /**
     * Signs page tokens when {@code CURSOR_SECRET} is unset. It is public (it is in this source), so
     * it only suits local runs: a deployed function reads its keys from the secret template.yaml
     * creates ({@code CURSOR_SECRET_ID}).
     */
    public static final String LOCAL_CURSOR_SECRET = "eduledger-local-cursor-secret-for-local-runs-only";
    /** Requests one integration may make per window, over every route and container together. */
    public static final String TENANT_REQUEST_LIMIT = "TENANT_REQUEST_LIMIT";
    /** The length of that window, in seconds. */
    public static final String TENANT_LIMIT_WINDOW_SECONDS = "TENANT_LIMIT_WINDOW_SECONDS";

    public static final RateLimit DEFAULT_TENANT_LIMIT = RateLimit.of(1000, Duration.ofSeconds(10));

    /** Settings with the local cursor secret, for callers that never hand out page tokens. */
    public Settings(
            Tables tables, String region, Optional<URI> dynamoEndpoint, Duration retention, Duration storeCallTimeout) {
        this(
                tables,
                region,
                dynamoEndpoint,
                retention,
                storeCallTimeout,
                LOCAL_CURSOR_SECRET,
                null,
                Optional.empty(),
                Optional.empty(),
                DEFAULT_TENANT_LIMIT);
    }

    @Override
    public String toString() {
        // Settings get logged; the secret must not be.
        return "Settings[tables=" + tables + ", region=" + region + ", dynamoEndpoint=" + dynamoEndpoint
                + ", retention=" + retention + ", storeCallTimeout=" + storeCallTimeout + ", cursorSecretId="
                + cursorSecretId + ", tenantLimit=" + tenantLimit + "]";
    }

    public static Settings from(Map<String, String> env) {
        Tables tables = new Tables(
                value(env, CONTROL_TABLE, "eduledger-control"),
                value(env, ROSTER_TABLE, "eduledger-roster"),
                value(env, EVENTS_TABLE, "eduledger-events"));
        return new Settings(
                tables,
                value(env, "AWS_REGION", "us-east-1"),
                Optional.ofNullable(value(env, DYNAMODB_ENDPOINT, null)).map(URI::create),
                Duration.ofDays(Long.parseLong(value(env, RETENTION_DAYS, "30"))),
                Duration.ofMillis(Long.parseLong(value(env, STORE_TIMEOUT_MS, "5000"))),
                // In Lambda the public local secret never stands in: a function that pages with
                // neither variable set fails, instead of signing with a key anyone can read here.
                value(env, CURSOR_SECRET, env.containsKey(LAMBDA_FUNCTION_NAME) ? null : LOCAL_CURSOR_SECRET),
                value(env, CURSOR_PREVIOUS_SECRET, null),
                Optional.ofNullable(value(env, CURSOR_SECRET_ID, null)),
                Optional.ofNullable(value(env, SECRETS_MANAGER_ENDPOINT, null)).map(URI::create),
                RateLimit.of(
                        Integer.parseInt(
                                value(env, TENANT_REQUEST_LIMIT, Integer.toString(DEFAULT_TENANT_LIMIT.requests()))),
                        Duration.ofSeconds(Long.parseLong(value(
                                env,
                                TENANT_LIMIT_WINDOW_SECONDS,
                                Long.toString(DEFAULT_TENANT_LIMIT.window().toSeconds()))))));
    }

    /** These settings with another tenant limit. */
    public Settings withTenantLimit(RateLimit limit) {
        return new Settings(
                tables,
                region,
                dynamoEndpoint,
                retention,
                storeCallTimeout,
                cursorSecret,
                previousCursorSecret,
                cursorSecretId,
                secretsManagerEndpoint,
                limit);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
