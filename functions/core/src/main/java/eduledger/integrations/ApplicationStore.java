package eduledger.integrations;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.auth.TokenStore;
import eduledger.auth.Tokens;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import eduledger.storage.QueryPages;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Applications, their secret keys and the integrations they own (key design in {@link IntegrationKeys}). */
public final class ApplicationStore {
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final IntegrationStore integrations;
    private final TokenStore tokens;

    /** An application just made, with its secret key in clear: shown once, stored only as a hash. */
    public record Created(Application application, String secret) {}

    public ApplicationStore(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
        this.integrations = new IntegrationStore(dynamo, tables, clock);
        this.tokens = new TokenStore(dynamo, tables, clock);
    }

    /** A new application and its secret key, written together so that neither exists without the other. */
    public Created create(String name) {
        return createWithId(UUID.randomUUID().toString(), name, Tokens.generate());
    }

    /**
     * Creates the application with this id and secret, or, when it exists, adds the secret to it
     * (local development fixes both: {@code EDULEDGER_APP_SECRET}).
     */
    public Created createWithId(String id, String name, String secret) {
        Application application = new Application(id, name, clock.instant());
        Map<String, AttributeValue> item =
                new HashMap<>(key(IntegrationKeys.application(id), IntegrationKeys.APPLICATION_SK));
        item.put("id", s(id));
        item.put("name", s(name));
        item.put("created_date", s(application.createdDate().toString()));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control())
                                    .item(item)
                                    .conditionExpression("attribute_not_exists(pk)"))
                            .build(),
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control()).item(tokens.applicationSecretItem(id, secret)))
                            .build()));
            return new Created(application, secret);
        } catch (TransactionCanceledException e) {
            Application existing = find(id).orElseThrow(() -> e);
            tokens.storeApplicationSecret(id, secret);
            return new Created(existing, secret);
        }
    }

    public Optional<Application> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(IntegrationKeys.application(id), IntegrationKeys.APPLICATION_SK))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Application(string(item, "id"), string(item, "name"), Instant.parse(string(item, "created_date"))));
    }

    /**
     * Makes the application the integration's owner. An integration belongs to at most one
     * application: attaching it again to the same one changes nothing, to another is a 409. From
     * then on its schemas and audit events are the application's (see {@link Integration#auditOwner()}).
     */
    public Integration attach(String applicationId, String integrationId) {
        Map<String, AttributeValue> member =
                new HashMap<>(key(IntegrationKeys.applicationIntegrations(applicationId), integrationId));
        member.put("integration_id", s(integrationId));
        member.put("attached_date", s(clock.instant().toString()));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder()
                            .conditionCheck(c -> c.tableName(tables.control())
                                    .key(key(
                                            IntegrationKeys.application(applicationId), IntegrationKeys.APPLICATION_SK))
                                    .conditionExpression("attribute_exists(pk)"))
                            .build(),
                    TransactWriteItem.builder()
                            .update(u -> u.tableName(tables.control())
                                    .key(key(
                                            IntegrationKeys.integration(integrationId), IntegrationKeys.INTEGRATION_SK))
                                    .updateExpression("SET application_id = :application")
                                    .conditionExpression(
                                            "attribute_exists(pk) AND (attribute_not_exists(application_id)"
                                                    + " OR application_id = :application)")
                                    .expressionAttributeValues(Map.of(":application", s(applicationId))))
                            .build(),
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control()).item(member))
                            .build()));
        } catch (TransactionCanceledException e) {
            if (find(applicationId).isEmpty()) {
                throw ServiceException.notFound("APPLICATION_NOT_FOUND", "No application " + applicationId + ".");
            }
            Integration integration = integrations
                    .find(integrationId)
                    .orElseThrow(() -> ServiceException.notFound(
                            "INTEGRATION_NOT_FOUND", "No integration " + integrationId + "."));
            if (integration.applicationId() != null
                    && !integration.applicationId().equals(applicationId)) {
                throw new ServiceException(
                        Failure.CONFLICT,
                        "INTEGRATION_HAS_APPLICATION",
                        "Integration " + integrationId + " belongs to application " + integration.applicationId()
                                + "; an integration belongs to at most one application.");
            }
            throw e;
        }
        return integrations.find(integrationId).orElseThrow();
    }

    /** Whether the integration is one of the application's: one GetItem. */
    public boolean owns(String applicationId, String integrationId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(IntegrationKeys.applicationIntegrations(applicationId), integrationId))
                        .consistentRead(true))
                .item();
        return item != null && !item.isEmpty();
    }

    /** The ids of all the application's integrations, in id order: one Query (paged at 1 MB). */
    public List<String> integrationIds(String applicationId) {
        List<String> ids = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.control())
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                                Map.of(":pk", s(IntegrationKeys.applicationIntegrations(applicationId)))))
                .items()
                .forEach(item -> ids.add(string(item, "sk")));
        return ids;
    }

    /**
     * A page of the application's integrations in id order, the anchor an integration of its own:
     * a Query of its partition, then the integrations by key (BatchGetItem).
     */
    public Page<Integration> integrations(String applicationId, PageRequest page) {
        String partition = IntegrationKeys.applicationIntegrations(applicationId);
        Map<String, AttributeValue> start = null;
        if (page.anchor() != null) {
            if (!owns(applicationId, page.anchor())) {
                throw ServiceException.notFound(
                        "UNKNOWN_CURSOR",
                        "The paging anchor names no integration " + page.anchor() + " of this application.");
            }
            start = key(partition, page.anchor());
        }
        QueryRequest query = QueryRequest.builder()
                .tableName(tables.control())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(partition)))
                .build();
        Page<String> ids = QueryPages.fetch(dynamo, query, page, start).map(item -> string(item, "sk"));
        Map<String, Integration> found = integrations.findAll(ids.items());
        return new Page<>(
                ids.items().stream().filter(found::containsKey).map(found::get).toList(), ids.more());
    }
}
