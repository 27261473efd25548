package eduledger.schemas;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.number;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import eduledger.storage.Keys;
import eduledger.storage.QueryPages;
import eduledger.storage.StoreBackoff;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Audit schemas and their versions, in the control table (key design in {@link SchemaKeys}). */
public final class SchemaStore {
    /**
     * Concurrent patches of one action each retry until they get the next version number, within
     * the store's time budget: each loses at most once per patch that wins before it.
     */
    private static final int MAX_WRITE_ATTEMPTS = 100;

    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;

    public SchemaStore(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    /** Creates version 1 of the action's schema; 409 if the action already has one. */
    public AuditSchema create(String integrationId, SchemaDefinition definition) {
        if (PredefinedSchemas.forAction(definition.actionId()).isPresent()) {
            throw new ServiceException(
                    Failure.CONFLICT,
                    "SCHEMA_EXISTS",
                    "Action " + definition.actionId()
                            + " has a predefined schema; PATCH /api/v2/audit/schemas/" + definition.actionId()
                            + " makes your own version of it.");
        }
        AuditSchema schema = new AuditSchema(
                UUID.randomUUID().toString(),
                definition.actionId(),
                definition.actionType(),
                definition.validationLevel(),
                definition.data(),
                UUID.randomUUID().toString(),
                1,
                clock.instant());
        // A cancellation that is not our condition (a concurrent transaction, throttling) is retried
        // under the store's one policy; it says nothing about whether the action exists.
        StoreBackoff backoff = StoreBackoff.start();
        while (true) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        put(newestItem(integrationId, schema), "attribute_not_exists(pk)"),
                        put(schemaAlias(integrationId, schema), "attribute_not_exists(pk)"),
                        put(versionItem(integrationId, schema), "attribute_not_exists(pk)"),
                        put(versionAlias(integrationId, schema), "attribute_not_exists(pk)")));
                return schema;
            } catch (TransactionCanceledException e) {
                if (conditionFailed(e)) {
                    throw new ServiceException(
                            Failure.CONFLICT,
                            "SCHEMA_EXISTS",
                            "Action " + definition.actionId()
                                    + " already has a schema; PATCH /api/v2/audit/schemas/" + definition.actionId()
                                    + " makes a new version.");
                }
                backoff.pause();
            }
        }
    }

    /**
     * Writes the next version, built from the newest one by {@code change}; concurrent patches
     * serialize. A change that leaves type, level and data as they are makes no version: the newest
     * one is returned, so a client that repeats a PATCH does not pile up identical versions.
     */
    public AuditSchema patch(String integrationId, String identifier, Function<AuditSchema, SchemaDefinition> change) {
        StoreBackoff backoff = StoreBackoff.contended(MAX_WRITE_ATTEMPTS, SchemaStore::busy);
        while (true) {
            Optional<AuditSchema> stored = findStored(integrationId, identifier, true);
            if (stored.isEmpty() && UUID_SHAPE.matcher(identifier).matches()) {
                Map<String, AttributeValue> alias = versionAlias(integrationId, identifier, true);
                if (!alias.isEmpty()) {
                    stored = findStored(integrationId, string(alias, "action_id"), true);
                }
            }
            AuditSchema current = stored.or(() -> predefined(identifier)).orElseThrow(() -> notFound(identifier));
            SchemaDefinition definition = change.apply(current);
            if (definition.actionType() == current.actionType()
                    && definition.validationLevel() == current.validationLevel()
                    && java.util.Objects.equals(definition.data(), current.data())) {
                return current;
            }
            AuditSchema next = new AuditSchema(
                    current.id(),
                    current.actionId(),
                    definition.actionType(),
                    definition.validationLevel(),
                    definition.data(),
                    UUID.randomUUID().toString(),
                    current.versionNumber() + 1,
                    clock.instant());
            Map<String, AttributeValue> newest = newestItem(integrationId, next);
            try {
                if (stored.isEmpty()) {
                    // The first change of a predefined schema stores the catalogue's version 1 beside
                    // the new one, so the owner's versions read like any other schema's.
                    dynamo.transactWriteItems(b -> b.transactItems(
                            put(newest, "attribute_not_exists(pk)"),
                            put(schemaAlias(integrationId, next), "attribute_not_exists(pk)"),
                            put(versionItem(integrationId, current), "attribute_not_exists(pk)"),
                            put(versionAlias(integrationId, current), "attribute_not_exists(pk)"),
                            put(versionItem(integrationId, next), "attribute_not_exists(pk)"),
                            put(versionAlias(integrationId, next), "attribute_not_exists(pk)")));
                    return next;
                }
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder()
                                .put(Put.builder()
                                        .tableName(tables.control())
                                        .item(newest)
                                        .conditionExpression("version_number = :current")
                                        .expressionAttributeValues(Map.of(":current", n(current.versionNumber())))
                                        .build())
                                .build(),
                        put(versionItem(integrationId, next), "attribute_not_exists(pk)"),
                        put(versionAlias(integrationId, next), "attribute_not_exists(pk)")));
                return next;
            } catch (TransactionCanceledException e) {
                backoff.pause(); // another patch got this version number first
            }
        }
    }

    /** The newest version of the schema named by its id or its action id, predefined ones included. */
    public Optional<AuditSchema> find(String integrationId, String identifier) {
        return findStored(integrationId, identifier, false).or(() -> predefined(identifier));
    }

    /** The predefined schema an action id or schema id names; only where the owner stored none for it. */
    private static Optional<AuditSchema> predefined(String identifier) {
        return PredefinedSchemas.forAction(identifier)
                .or(() -> UUID_SHAPE.matcher(identifier).matches()
                        ? PredefinedSchemas.byUuid(identifier).filter(p -> p.id().equalsIgnoreCase(identifier))
                        : Optional.empty());
    }

    /**
     * What {@code GET /api/v2/audit/schemas/{identifier}} names: the newest version by schema id or
     * action id, or else the one version whose version UUID it is.
     */
    public Optional<AuditSchema> findAny(String integrationId, String identifier) {
        Optional<AuditSchema> newest = find(integrationId, identifier);
        if (newest.isPresent() || !UUID_SHAPE.matcher(identifier).matches()) {
            return newest;
        }
        Map<String, AttributeValue> alias = versionAlias(integrationId, identifier, false);
        if (alias.isEmpty()) {
            // Version 1 of a predefined schema the owner has not changed.
            return PredefinedSchemas.byUuid(identifier)
                    .filter(p -> p.version().equalsIgnoreCase(identifier))
                    .filter(p -> findStored(integrationId, p.actionId(), false).isEmpty());
        }
        Map<String, AttributeValue> item = get(
                key(
                        SchemaKeys.schemaVersions(integrationId, string(alias, "action_id")),
                        SchemaKeys.schemaVersion(
                                Long.parseLong(alias.get("version_number").n()))),
                false);
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    private Map<String, AttributeValue> versionAlias(String integrationId, String versionUuid, boolean consistent) {
        return get(
                key(
                        SchemaKeys.schemaVersionAlias(integrationId, versionUuid.toLowerCase()),
                        SchemaKeys.SCHEMA_VERSION_SK),
                consistent);
    }

    private Optional<AuditSchema> findStored(String integrationId, String identifier, boolean consistent) {
        String actionId = identifier;
        if (UUID_SHAPE.matcher(identifier).matches()) {
            Map<String, AttributeValue> alias = get(
                    key(SchemaKeys.schemaIdAlias(integrationId, identifier.toLowerCase()), SchemaKeys.SCHEMA_ID_SK),
                    consistent);
            if (!alias.isEmpty()) {
                actionId = string(alias, "action_id");
            }
        }
        return newestStored(integrationId, actionId, consistent);
    }

    /** The schema governing the action's events: the owner's newest version, else a predefined one. */
    public Optional<AuditSchema> newest(String integrationId, String actionId, boolean consistent) {
        return newestStored(integrationId, actionId, consistent).or(() -> PredefinedSchemas.forAction(actionId));
    }

    private Optional<AuditSchema> newestStored(String integrationId, String actionId, boolean consistent) {
        Map<String, AttributeValue> item = get(key(SchemaKeys.schemas(integrationId), actionId), consistent);
        return item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** One version by its number or its version UUID. */
    public Optional<AuditSchema> version(String integrationId, String identifier, String version) {
        AuditSchema newest = find(integrationId, identifier).orElseThrow(() -> notFound(identifier));
        Optional<AuditSchema> predefined = PredefinedSchemas.forAction(newest.actionId());
        long number = versionNumber(integrationId, newest.actionId(), version);
        if (number < 1
                && predefined.filter(p -> p.version().equalsIgnoreCase(version)).isPresent()) {
            number = 1;
        }
        if (number < 1) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = get(
                key(SchemaKeys.schemaVersions(integrationId, newest.actionId()), SchemaKeys.schemaVersion(number)),
                false);
        if (item.isEmpty()) {
            // A predefined schema nobody changed has its version 1 in the catalogue alone.
            return number == 1 ? predefined : Optional.empty();
        }
        return Optional.of(fromItem(item));
    }

    public Page<AuditSchema> list(String integrationId, PageRequest page) {
        Map<String, AttributeValue> start = null;
        if (page.anchor() != null) {
            AuditSchema anchor =
                    find(integrationId, page.anchor()).orElseThrow(() -> unknownAnchor("no schema " + page.anchor()));
            start = key(SchemaKeys.schemas(integrationId), anchor.actionId());
        }
        QueryRequest query = QueryRequest.builder()
                .tableName(tables.control())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(SchemaKeys.schemas(integrationId))))
                .build();
        Page<AuditSchema> stored = QueryPages.fetch(dynamo, query, page, start).map(SchemaStore::fromItem);
        return withPredefined(integrationId, page, start == null ? null : string(start, Keys.SK), stored);
    }

    /**
     * Merges the predefined schemas the owner has not changed into a page of its stored ones, in
     * action order. The stored page holds the {@code size} stored schemas nearest the anchor, so the
     * merged page is the {@code size} nearest of both; one GetItem per predefined schema (a handful)
     * tells whether the owner has its own version.
     */
    private Page<AuditSchema> withPredefined(
            String integrationId, PageRequest page, String anchorAction, Page<AuditSchema> stored) {
        List<AuditSchema> merged = new ArrayList<>(stored.items());
        for (AuditSchema predefined : PredefinedSchemas.all()) {
            int side = anchorAction == null ? 0 : predefined.actionId().compareTo(anchorAction);
            boolean beyondAnchor = anchorAction == null || (page.forward() ? side > 0 : side < 0);
            if (beyondAnchor
                    && newestStored(integrationId, predefined.actionId(), false).isEmpty()) {
                merged.add(predefined);
            }
        }
        if (merged.size() == stored.items().size()) {
            return stored;
        }
        merged.sort(Comparator.comparing(AuditSchema::actionId));
        boolean more = stored.more() || merged.size() > page.size();
        List<AuditSchema> items = page.forward()
                ? merged.subList(0, Math.min(page.size(), merged.size()))
                : merged.subList(Math.max(0, merged.size() - page.size()), merged.size());
        return new Page<>(items, more);
    }

    public Page<AuditSchema> versions(String integrationId, String identifier, PageRequest page) {
        AuditSchema newest = find(integrationId, identifier).orElseThrow(() -> notFound(identifier));
        if (PredefinedSchemas.forAction(newest.actionId())
                        .filter(newest::equals)
                        .isPresent()
                && newestStored(integrationId, newest.actionId(), false).isEmpty()) {
            // Unchanged predefined schema: its one version, unless the anchor is that version.
            return new Page<>(page.anchor() == null ? List.of(newest) : List.of(), false);
        }
        String partition = SchemaKeys.schemaVersions(integrationId, newest.actionId());
        Map<String, AttributeValue> start = null;
        if (page.anchor() != null) {
            long number = versionNumber(integrationId, newest.actionId(), page.anchor());
            if (number < 1) {
                throw unknownAnchor("no version " + page.anchor() + " of " + identifier);
            }
            start = key(partition, SchemaKeys.schemaVersion(number));
        }
        QueryRequest query = QueryRequest.builder()
                .tableName(tables.control())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(partition)))
                .build();
        return QueryPages.fetch(dynamo, query, page, start).map(SchemaStore::fromItem);
    }

    /** A version named by number ("3") or by version UUID; 0 when there is no such version. */
    private long versionNumber(String integrationId, String actionId, String version) {
        if (version.chars().allMatch(Character::isDigit) && !version.isEmpty() && version.length() < 11) {
            return Long.parseLong(version);
        }
        if (!UUID_SHAPE.matcher(version).matches()) {
            return 0;
        }
        Map<String, AttributeValue> alias = get(
                key(SchemaKeys.schemaVersionAlias(integrationId, version.toLowerCase()), SchemaKeys.SCHEMA_VERSION_SK),
                false);
        if (alias.isEmpty() || !actionId.equals(string(alias, "action_id"))) {
            return 0;
        }
        return number(alias, "version_number");
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key, boolean consistent) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(tables.control()).key(key).consistentRead(consistent))
                .item();
        return item == null ? Map.of() : item;
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(tables.control())
                        .item(item)
                        .conditionExpression(condition)
                        .build())
                .build();
    }

    private static Map<String, AttributeValue> newestItem(String integrationId, AuditSchema schema) {
        Map<String, AttributeValue> item = attributes(schema);
        item.putAll(key(SchemaKeys.schemas(integrationId), schema.actionId()));
        return item;
    }

    private static Map<String, AttributeValue> versionItem(String integrationId, AuditSchema schema) {
        Map<String, AttributeValue> item = attributes(schema);
        item.putAll(key(
                SchemaKeys.schemaVersions(integrationId, schema.actionId()),
                SchemaKeys.schemaVersion(schema.versionNumber())));
        return item;
    }

    private static Map<String, AttributeValue> schemaAlias(String integrationId, AuditSchema schema) {
        Map<String, AttributeValue> item =
                new HashMap<>(key(SchemaKeys.schemaIdAlias(integrationId, schema.id()), SchemaKeys.SCHEMA_ID_SK));
        item.put("action_id", s(schema.actionId()));
        return item;
    }

    private static Map<String, AttributeValue> versionAlias(String integrationId, AuditSchema schema) {
        Map<String, AttributeValue> item = new HashMap<>(
                key(SchemaKeys.schemaVersionAlias(integrationId, schema.version()), SchemaKeys.SCHEMA_VERSION_SK));
        item.put("action_id", s(schema.actionId()));
        item.put("version_number", n(schema.versionNumber()));
        return item;
    }

    private static Map<String, AttributeValue> attributes(AuditSchema schema) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(schema.id()));
        item.put("action_id", s(schema.actionId()));
        item.put("action_type", s(schema.actionType().id()));
        item.put("validation_level", s(schema.validationLevel().id()));
        item.put("version", s(schema.version()));
        item.put("version_number", n(schema.versionNumber()));
        item.put("created_date", s(schema.createdDate().toString()));
        if (schema.data() != null) {
            item.put("data", s(Json.write(schema.data())));
        }
        return item;
    }

    private static AuditSchema fromItem(Map<String, AttributeValue> item) {
        String data = string(item, "data");
        JsonNode schemaData = data == null ? null : Json.readStored(data);
        return new AuditSchema(
                string(item, "id"),
                string(item, "action_id"),
                ActionType.parse(string(item, "action_type")),
                ValidationLevel.parse(string(item, "validation_level")),
                schemaData,
                string(item, "version"),
                number(item, "version_number"),
                Instant.parse(string(item, "created_date")));
    }

    private static boolean conditionFailed(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return !reasons.isEmpty()
                && "ConditionalCheckFailed".equals(reasons.get(0).code());
    }

    private static ServiceException busy() {
        return new ServiceException(
                Failure.TOO_MANY_REQUESTS,
                "SCHEMA_BUSY",
                "The schema is being changed by many requests at once; retry shortly.");
    }

    private static ServiceException notFound(String identifier) {
        return ServiceException.notFound("SCHEMA_NOT_FOUND", "No schema has the id or action id " + identifier + ".");
    }

    private static ServiceException unknownAnchor(String what) {
        return ServiceException.notFound("UNKNOWN_CURSOR", "The paging anchor names " + what + " in this integration.");
    }
}
