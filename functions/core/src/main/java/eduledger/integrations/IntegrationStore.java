package eduledger.integrations;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.json.Json;
import eduledger.storage.StoreBackoff;
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
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Integrations, in the control table (key design in {@link IntegrationKeys}). */
public final class IntegrationStore {
    private static final int BATCH_GET_LIMIT = 100;
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

    public Integration create(String name, Sharing sharing) {
        return createWithId(UUID.randomUUID().toString(), name, sharing);
    }

    /** Creates the integration with this id, or returns the existing one. */
    public Integration createWithId(String id, String name) {
        return createWithId(id, name, Sharing.all());
    }

    /**
     * Creates the integration with this id, or returns the existing one. The integration item and its
     * entry in the integrations listing (what the change stream fans out over) are written together.
     */
    public Integration createWithId(String id, String name, Sharing sharing) {
        Integration integration = new Integration(id, name, sharing, clock.instant());
        Map<String, AttributeValue> item =
                new HashMap<>(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK));
        item.putAll(attributes(integration));
        Map<String, AttributeValue> listed = new HashMap<>(key(IntegrationKeys.INTEGRATIONS, id));
        listed.putAll(attributes(integration));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control())
                                    .item(item)
                                    .conditionExpression("attribute_not_exists(pk)"))
                            .build(),
                    TransactWriteItem.builder()
                            .put(p -> p.tableName(tables.control()).item(listed))
                            .build()));
            return integration;
        } catch (TransactionCanceledException e) {
            return find(id).orElseThrow(() -> e);
        }
    }

    public Optional<Integration> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(integration(item));
    }

    /** Several integrations by id, read consistently; ids with no integration are left out. */
    public Map<String, Integration> findAll(List<String> ids) {
        Map<String, Integration> found = new HashMap<>();
        List<String> distinct = ids.stream().distinct().toList();
        StoreBackoff backoff = StoreBackoff.start();
        for (int from = 0; from < distinct.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys =
                    distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET_LIMIT)).stream()
                            .map(id -> key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK))
                            .toList();
            Map<String, KeysAndAttributes> request = Map.of(
                    tables.control(),
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            backoff.nextLoop();
            while (!request.isEmpty()) {
                var batch = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(batch));
                response.responses().getOrDefault(tables.control(), List.of()).forEach(item -> {
                    Integration integration = integration(item);
                    found.put(integration.id(), integration);
                });
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    backoff.pause();
                }
            }
        }
        return found;
    }

    /**
     * Every integration with its sharing, for fanning a roster change out: one Query of the listing
     * partition (strongly consistent, so a rule change is seen by the next stream batch).
     */
    public List<Integration> all() {
        List<Integration> all = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(tables.control())
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(IntegrationKeys.INTEGRATIONS))))
                .items()
                .forEach(item -> all.add(integration(item)));
        return all;
    }

    /**
     * Replaces the integration's sharing if it is still at {@code expectedVersion}; the new sharing
     * gets the next version. Returns false when another change came first.
     */
    public boolean updateSharing(String id, long expectedVersion, Sharing sharing) {
        Sharing next = sharing.withVersion(expectedVersion + 1);
        Map<String, AttributeValue> values = Map.of(
                ":sharing",
                s(Json.write(next.toJson())),
                ":expected",
                AttributeValue.fromN(Long.toString(expectedVersion)));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    update(key(IntegrationKeys.integration(id), IntegrationKeys.INTEGRATION_SK), values),
                    update(key(IntegrationKeys.INTEGRATIONS, id), values)));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    private TransactWriteItem update(Map<String, AttributeValue> key, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(tables.control())
                        .key(key)
                        .updateExpression("SET sharing = :sharing, sharing_version = sharing_version + :one")
                        .conditionExpression("sharing_version = :expected")
                        .expressionAttributeValues(withOne(values)))
                .build();
    }

    private static Map<String, AttributeValue> withOne(Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":one", AttributeValue.fromN("1"));
        return all;
    }

    private static Map<String, AttributeValue> attributes(Integration integration) {
        return Map.of(
                "id",
                s(integration.id()),
                "name",
                s(integration.name()),
                "sharing",
                s(Json.write(integration.sharing().toJson())),
                "sharing_version",
                AttributeValue.fromN(Long.toString(integration.sharing().version())),
                "created_date",
                s(integration.createdDate().toString()));
    }

    private static Integration integration(Map<String, AttributeValue> item) {
        String sharing = string(item, "sharing");
        // Integrations made before sharing rules existed stored the bare word "all".
        Sharing parsed = sharing == null || !sharing.startsWith("{")
                ? Sharing.all()
                : Sharing.fromStored(Json.readStored(sharing));
        return new Integration(
                string(item, "id"),
                string(item, "name"),
                parsed,
                Instant.parse(string(item, "created_date")),
                string(item, "application_id"));
    }
}
