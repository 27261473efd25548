package eduledger.testing;

import eduledger.auth.Scope;
import eduledger.harness.LocalTables;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.lambda.Services;
import eduledger.lambda.Settings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@link Services} on the shared test store, and integrations with tokens to call handlers with. */
public final class TestServices {
    private static Services shared;

    private TestServices() {}

    public static synchronized Services shared() {
        if (shared == null) {
            shared = create(Clock.systemUTC());
        }
        return shared;
    }

    /** Services with their own clock (for retention tests) on the same store. */
    public static Services create(Clock clock) {
        TestStore.Handle store = TestStore.get();
        SamTemplate template = SamTemplate.read(SamTemplate.locate());
        SamTemplate.Function anyFunction =
                template.functions().values().iterator().next();
        Map<String, String> env = new HashMap<>(LocalTables.environment(anyFunction, store.tableNames()));
        env.put(Settings.DYNAMODB_ENDPOINT, store.endpoint().toString());
        Settings settings = Settings.from(env);
        return new Services(settings, Services.dynamoClient(settings), clock);
    }

    /**
     * Services on the same store whose integrations may make {@code requests} per minute: for tests
     * that flood one integration on purpose to test something else than its rate limit.
     */
    public static Services withTenantLimit(Services services, int requests) {
        return new Services(
                services.settings()
                        .withTenantLimit(eduledger.auth.RateLimit.of(requests, java.time.Duration.ofMinutes(1))),
                services.dynamo(),
                services.clock());
    }

    /** A new integration and a token for it holding {@code scopes} (every integration scope when empty). */
    public static TestIntegration integration(Services services, Scope... scopes) {
        var integration = services.integrations().create("test " + System.nanoTime());
        Set<Scope> granted = scopes.length == 0 ? Scope.integrationScopes() : Set.of(scopes);
        return new TestIntegration(integration.id(), services.tokens().issue(integration.id(), granted));
    }

    public record TestIntegration(String id, String token) {}
}
