package eduledger.integrations;

import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.auth.Tokens;
import eduledger.storage.Keys;
import eduledger.storage.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

/** Integrations and their tokens, in the control table (key design in {@link Keys}). */
public final class IntegrationStore {
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;

    public IntegrationStore(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    public Integration create(String name) {
        return createWithId(UUID.randomUUID().toString(), name);
    }

    /** Creates the integration with this id, or returns the existing one. */
    public Integration createWithId(String id, String name) {
        Integration integration = new Integration(id, name, Integration.SHARING_ALL, clock.instant());
        Map<String, AttributeValue> item = new HashMap<>(key(Keys.integration(id), Keys.INTEGRATION_SK));
        item.put("id", s(id));
        item.put("name", s(name));
        item.put("sharing", s(integration.sharing()));
        item.put("created_date", s(integration.createdDate().toString()));
        try {
            dynamo.putItem(b -> b.tableName(tables.control()).item(item)
                    .conditionExpression("attribute_not_exists(pk)"));
            return integration;
        } catch (ConditionalCheckFailedException e) {
            return find(id).orElseThrow();
        }
    }

    public Optional<Integration> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                .key(key(Keys.integration(id), Keys.INTEGRATION_SK)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Integration(string(item, "id"), string(item, "name"), string(item, "sharing"),
                Instant.parse(string(item, "created_date"))));
    }

    /** Issues a new token for the integration; the clear token is returned once and never stored. */
    public String issueToken(String integrationId, Set<Scope> scopes) {
        return storeToken(integrationId, scopes, Tokens.generate());
    }

    /** Stores a caller-chosen token (local development only: {@code EDULEDGER_DEV_TOKEN}). */
    public String storeToken(String integrationId, Set<Scope> scopes, String token) {
        Map<String, AttributeValue> item = new HashMap<>(key(Keys.token(Tokens.hash(token)), Keys.TOKEN_SK));
        item.put("integration_id", s(integrationId));
        item.put("scopes", AttributeValue.fromSs(scopes.stream().map(Scope::id).sorted().toList()));
        item.put("created_date", s(clock.instant().toString()));
        dynamo.putItem(b -> b.tableName(tables.control()).item(item));
        return token;
    }

    public Optional<Caller> findCallerByTokenHash(String tokenHash) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                .key(key(Keys.token(tokenHash), Keys.TOKEN_SK))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Set<Scope> scopes = item.get("scopes").ss().stream().map(Scope::parse)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
        return Optional.of(new Caller(string(item, "integration_id"), scopes));
    }
}
