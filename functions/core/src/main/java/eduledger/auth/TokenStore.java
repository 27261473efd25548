package eduledger.auth;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.storage.Tables;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Bearer tokens in the control table, kept by hash (key design in {@link TokenKeys}). */
public final class TokenStore {
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;

    public TokenStore(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    /** Issues a new token for the integration; the clear token is returned once and never stored. */
    public String issue(String integrationId, Set<Scope> scopes) {
        return store(integrationId, scopes, Tokens.generate());
    }

    /** Issues a new token of the platform operator (for the admin routes and the sync jobs' source writes). */
    public String issueOperator(Set<Scope> scopes) {
        return store(Caller.OPERATOR, scopes, Tokens.generate());
    }

    /**
     * Stores a caller-chosen token (local development only: {@code EDULEDGER_DEV_TOKEN}).
     *
     * @throws IllegalArgumentException when an integration's token would hold an operator scope
     */
    public String store(String integrationId, Set<Scope> scopes, String token) {
        if (!Caller.OPERATOR.equals(integrationId)) {
            for (Scope scope : scopes) {
                if (scope.operatorOnly()) {
                    throw new IllegalArgumentException(
                            "the " + scope.id() + " scope is the platform operator's; no integration's token holds it");
                }
            }
        }
        Map<String, AttributeValue> item = new HashMap<>(key(TokenKeys.token(Tokens.hash(token)), TokenKeys.TOKEN_SK));
        item.put("integration_id", s(integrationId));
        item.put(
                "scopes",
                AttributeValue.fromSs(scopes.stream().map(Scope::id).sorted().toList()));
        item.put("created_date", s(clock.instant().toString()));
        dynamo.putItem(b -> b.tableName(tables.control()).item(item));
        return token;
    }

    /**
     * The item that makes {@code secret} an application's secret key, holding {@link
     * Scope#applicationScopes()}; written by whoever creates the application, in its transaction.
     */
    public Map<String, AttributeValue> applicationSecretItem(String applicationId, String secret) {
        Map<String, AttributeValue> item = new HashMap<>(key(TokenKeys.token(Tokens.hash(secret)), TokenKeys.TOKEN_SK));
        item.put("application_id", s(applicationId));
        item.put(
                "scopes",
                AttributeValue.fromSs(Scope.applicationScopes().stream()
                        .map(Scope::id)
                        .sorted()
                        .toList()));
        item.put("created_date", s(clock.instant().toString()));
        return item;
    }

    /** Stores a caller-chosen application secret (local development only: {@code EDULEDGER_APP_SECRET}). */
    public String storeApplicationSecret(String applicationId, String secret) {
        dynamo.putItem(b -> b.tableName(tables.control()).item(applicationSecretItem(applicationId, secret)));
        return secret;
    }

    public Optional<Caller> findCaller(String tokenHash) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(tables.control()).key(key(TokenKeys.token(tokenHash), TokenKeys.TOKEN_SK)))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String owner = string(item, "integration_id");
        // A token stored for an integration before source:write became the operator's keeps its other scopes only.
        Set<Scope> scopes = item.get("scopes").ss().stream()
                .map(Scope::parse)
                .filter(scope -> Caller.OPERATOR.equals(owner) || !scope.operatorOnly())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        return Optional.of(new Caller(owner, scopes, string(item, "application_id")));
    }
}
