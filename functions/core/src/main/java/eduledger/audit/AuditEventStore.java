package eduledger.audit;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import eduledger.storage.BatchReads;
import eduledger.storage.BatchWrites;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import eduledger.storage.ShardedPages;
import eduledger.storage.Tables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Audit events in the events table (key design, shards and indexes in {@link AuditKeys}). Reads never
 * return an event past the retention period: the cut-off is part of every key condition.
 */
public final class AuditEventStore {
    /** DynamoDB's item size limit; an event whose item would be larger is refused before writing. */
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    /**
     * An event stored under an id the client chose, when it was already there; {@code requestHash}
     * is null when it was stored under an id of the service's (a client chose one it was given).
     */
    public record Existing(AuditEvent event, String requestHash) {}

    /**
     * An event of a list page as stored: its id and its JSON exactly as {@link AuditEvent#toJson}
     * wrote it, which is also how it is rendered, so a page can pass it on without parsing it.
     */
    public record Stored(String id, String json) {
        public AuditEvent event() {
            return AuditEvent.fromJson(Json.readStored(json));
        }
    }

    /** The stored body's attribute, on the event item and on the whole list's and the action's lookup items. */
    private static final String EVENT = "event";
    /**
     * The hash of the request that posted an event under its own id: a later post of that id is a
     * retry when its hash is the same, and a conflict otherwise. Other events get fresh or derived
     * ids that no later post can name as a retry, so their items leave it out.
     */
    private static final String REQUEST_HASH = "request_hash";

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final Duration retention;
    private final ShardLayouts layouts;

    /** A store with its own cache of scopes' shard layouts: build one per container and keep it. */
    public AuditEventStore(DynamoDbClient dynamo, Tables tables, Clock clock, Duration retention) {
        this(dynamo, tables, clock, retention, new ShardLayouts(dynamo, tables, clock));
    }

    public AuditEventStore(
            DynamoDbClient dynamo, Tables tables, Clock clock, Duration retention, ShardLayouts layouts) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
        this.retention = retention;
        this.layouts = layouts;
    }

    /**
     * The event's own item: what the size limit applies to, as the largest item an event makes.
     * {@code requestHash} is that of the request that chose the event's id, null for an id of the
     * service's ({@link #REQUEST_HASH}).
     */
    public Map<String, AttributeValue> item(String integrationId, AuditEvent event, String requestHash) {
        return item(integrationId, event, event.json(), requestHash);
    }

    private Map<String, AttributeValue> item(String integrationId, AuditEvent event, String json, String requestHash) {
        Map<String, AttributeValue> item = body(event, json, requestHash);
        item.putAll(key(AuditKeys.auditEvents(integrationId, AuditKeys.auditShard(event.id())), event.id()));
        return item;
    }

    /** The event's JSON as its own item ({@link #item}) carries it. */
    static String storedJson(Map<String, AttributeValue> item) {
        return item.get(EVENT).s();
    }

    /**
     * Every list the event belongs to, as lookup dimensions ({@link AuditKeys}): the scope's whole
     * list and one per filter value the event has. The same names {@link AuditQuery} builds from a
     * list's parameters.
     */
    static Set<String> dimensions(AuditEvent event) {
        Set<String> dimensions = new LinkedHashSet<>();
        dimensions.add("");
        dimensions.add(AuditQuery.filterDimension("action", event.actionId()));
        addParty(dimensions, ACTOR, event.actor());
        for (Party target : event.targets()) {
            addParty(dimensions, TARGET, target);
        }
        if (event.context() != null) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = event.context().fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String filter = CONTEXT_FILTERS.get(field.getKey());
                JsonNode value = field.getValue();
                boolean indexed = filter != null
                        && (value.isTextual() || value.isIntegralNumber())
                        && !value.asText().isEmpty()
                        && value.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                                <= EventSubmission.MAX_ID_LENGTH;
                if (indexed) {
                    dimensions.add(AuditKeys.dimension(filter, value.asText()));
                }
            }
        }
        return dimensions;
    }

    /**
     * The names {@link AuditQuery#filterDimension} gives a party's filters ({@code actor.type} and
     * the like), upper-cased once rather than for every event; {@link #CONTEXT_FILTERS} are the
     * indexed context fields' by field name.
     */
    private record PartyFilters(String party, String type, String value, String issuer) {
        static PartyFilters of(String party) {
            String upper = party.toUpperCase(Locale.ROOT);
            return new PartyFilters(upper, upper + ".TYPE", upper + ".VALUE", upper + ".ISSUER");
        }
    }

    private static final PartyFilters ACTOR = PartyFilters.of("actor");
    private static final PartyFilters TARGET = PartyFilters.of("target");
    private static final Map<String, String> CONTEXT_FILTERS = contextFilters();

    private static Map<String, String> contextFilters() {
        Map<String, String> filters = new HashMap<>();
        for (String filter : AuditQuery.FILTERS) {
            if (filter.startsWith("context.")) {
                filters.put(filter.substring("context.".length()), filter.toUpperCase(Locale.ROOT));
            }
        }
        return Map.copyOf(filters);
    }

    private static void addParty(Set<String> dimensions, PartyFilters filters, Party value) {
        dimensions.add(AuditKeys.dimension(filters.type(), value.type()));
        for (Identifier identifier : value.identifiers()) {
            dimensions.add(AuditKeys.dimension(filters.value(), identifier.value()));
            dimensions.add(AuditKeys.dimension(filters.issuer(), identifier.issuer()));
            dimensions.add(AuditKeys.identifierDimension(filters.party(), identifier.issuer(), identifier.value()));
        }
    }

    /** Approximate stored size (names and values as UTF-8, numbers at their maximum), never below the real one. */
    public static int itemBytes(Map<String, AttributeValue> item) {
        int bytes = 0;
        for (var attribute : item.entrySet()) {
            bytes += attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
            AttributeValue value = attribute.getValue();
            bytes += value.s() != null ? value.s().getBytes(StandardCharsets.UTF_8).length : 21;
        }
        return bytes;
    }

    /**
     * Writes the event under a client-chosen id unless that id exists; returns what exists instead.
     * When what exists is this same request, its lookup items are written again: an earlier attempt
     * may have stopped between the event's item and its lookups, and the lookups are equal items.
     */
    public Optional<Existing> putIfAbsent(String integrationId, AuditEvent event, String requestHash) {
        String json = event.json();
        try {
            dynamo.putItem(b -> b.tableName(tables.events())
                    .item(item(integrationId, event, json, requestHash))
                    .conditionExpression("attribute_not_exists(sk)")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.hasItem() ? e.item() : read(integrationId, event.id());
            String oldJson = string(old, EVENT);
            Existing existing = new Existing(AuditEvent.fromJson(Json.readStored(oldJson)), string(old, REQUEST_HASH));
            if (requestHash.equals(existing.requestHash())) {
                writeAll(lookups(integrationId, existing.event(), oldJson));
            }
            return Optional.of(existing);
        }
        writeAll(lookups(integrationId, event, json));
        return Optional.empty();
    }

    /**
     * An event to write, with the hash of the request that made it and, when the caller already
     * built it to check its size, its own item ({@link #item}; null to build it here).
     */
    public record Prepared(AuditEvent event, String requestHash, Map<String, AttributeValue> item) {}

    /** Writes events whose items are deterministic (fresh or derived ids): a retry rewrites equal items. */
    public void putAll(String integrationId, List<Prepared> events) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Prepared prepared : events) {
            Map<String, AttributeValue> item = prepared.item() != null
                    ? prepared.item()
                    : item(integrationId, prepared.event(), prepared.requestHash());
            items.add(item);
            items.addAll(
                    lookups(integrationId, prepared.event(), item.get(EVENT).s()));
        }
        writeAll(items);
    }

    /**
     * Every item one event is stored as: its own item, then its lookup items. Public so that what
     * measures the store against raw DynamoDB writes exactly these items.
     */
    public List<Map<String, AttributeValue>> items(String integrationId, AuditEvent event, String requestHash) {
        String json = event.json();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(item(integrationId, event, json, requestHash));
        items.addAll(lookups(integrationId, event, json));
        return items;
    }

    /** The event with this id, unless it belongs to another integration or is past retention. */
    public Optional<AuditEvent> find(String integrationId, String id) {
        String normalized = id.toLowerCase();
        Instant time = EventIds.timeOf(normalized);
        if (time == null || normalized.compareTo(retentionBound()) < 0) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = read(integrationId, normalized);
        return item.isEmpty()
                ? Optional.empty()
                : Optional.of(AuditEvent.fromJson(Json.readStored(string(item, EVENT))));
    }

    /** Several events by id, read consistently (they were just written); missing ones are left out. */
    public Map<String, AuditEvent> findAll(String integrationId, List<String> ids) {
        Map<String, AuditEvent> found = new HashMap<>();
        findStored(integrationId, ids).forEach((id, json) -> found.put(id, AuditEvent.fromJson(Json.readStored(json))));
        return found;
    }

    /** As {@link #findAll}, the events' stored JSON by id, unparsed. */
    private Map<String, String> findStored(String integrationId, List<String> ids) {
        List<Map<String, AttributeValue>> keys = ids.stream()
                .distinct()
                .map(id -> key(AuditKeys.auditEvents(integrationId, AuditKeys.auditShard(id)), id))
                .toList();
        Map<String, String> found = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, tables.events(), keys, true)) {
            found.put(string(item, Keys.SK), string(item, EVENT));
        }
        return found;
    }

    /**
     * One page of a scope's list, newest first: the lookup partitions of the query's dimension (see
     * {@link #lookupPage}), then the bodies. The lookup items of the scope's whole list and of an
     * action carry the event's body, so a page of either is its Queries alone; the other lists'
     * lookup items hold keys only, and their bodies are read by key. Paging forward ({@code $first}/{@code $after})
     * goes to older events, backward ({@code $last}/{@code $before}) to newer ones; either page
     * lists newest first. The anchor must be an event of this integration within retention.
     */
    public Page<Stored> list(String integrationId, AuditScope scope, AuditQuery query, PageRequest page) {
        String low = retentionBound();
        String high = ShardedPages.HIGHEST_ID;
        if (query.start() != null) {
            low = max(low, EventIds.lowerBound(query.start()));
        }
        if (query.end() != null) {
            high = ShardedPages.adjacent(EventIds.lowerBound(query.end()), -1);
        }
        String anchor = page.anchor() == null ? null : page.anchor().toLowerCase();
        // A page after the first reads its anchor with its first Queries; only an anchor they did
        // not find (not on this list, or no event at all) is looked up by key.
        boolean anchorChecked = anchor == null;
        // Ids grow with time, so newest first is the store's order reversed: a page forward in the
        // list is a page backward over the ids.
        // Each read comes in id order (oldest first); the page lists newest first.
        List<Stored> oldestFirst = new ArrayList<>();
        boolean more;
        do {
            PageRequest byId = new PageRequest(page.size() - oldestFirst.size(), !page.forward(), anchor);
            Page<Map<String, AttributeValue>> lookups;
            if (anchorChecked) {
                lookups = lookupPage(integrationId, scope, query.dimension(), low, high, byId);
            } else {
                ShardedPages.Anchored anchored =
                        lookupPageFromAnchor(integrationId, scope, query.dimension(), low, high, byId);
                if (!anchored.anchorFound()
                        && find(integrationId, page.anchor()).isEmpty()) {
                    throw ServiceException.notFound(
                            "UNKNOWN_CURSOR",
                            "The paging anchor " + page.anchor()
                                    + " names no event of this integration within the retention period.");
                }
                lookups = anchored.page();
                anchorChecked = true;
            }
            List<String> withoutBody = new ArrayList<>();
            for (Map<String, AttributeValue> lookup : lookups.items()) {
                if (!lookup.containsKey(EVENT)) {
                    withoutBody.add(string(lookup, Keys.SK));
                }
            }
            Map<String, String> bodies = withoutBody.isEmpty() ? Map.of() : findStored(integrationId, withoutBody);
            List<Stored> read = new ArrayList<>();
            for (Map<String, AttributeValue> lookup : lookups.items()) {
                String id = string(lookup, Keys.SK);
                String json = lookup.containsKey(EVENT) ? string(lookup, EVENT) : bodies.get(id);
                // A lookup item without its event is one whose write did not finish; it was never
                // acknowledged, so it is passed over, and the page reads on to stay full.
                if (json != null) {
                    read.add(new Stored(id, json));
                }
            }
            more = lookups.more();
            if (lookups.items().isEmpty()) {
                break;
            }
            if (byId.forward()) {
                oldestFirst.addAll(read);
                anchor = string(lookups.items().get(lookups.items().size() - 1), Keys.SK);
            } else {
                oldestFirst.addAll(0, read);
                anchor = string(lookups.items().get(0), Keys.SK);
            }
        } while (more && oldestFirst.size() < page.size());
        List<Stored> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        return new Page<>(newestFirst, more);
    }

    /**
     * One page of the lookup items of one of a scope's lists ({@code dimension} "" for the whole
     * list) with {@code low <= id <= high}, in id order: a Query per shard of each epoch of the
     * scope's layout the page reaches into, merged by id ({@link ShardedPages}). The items carry the
     * event id in {@link Keys#SK}, and on the whole list and an action's the event's body too.
     */
    public Page<Map<String, AttributeValue>> lookupPage(
            String integrationId, AuditScope scope, String dimension, String low, String high, PageRequest byId) {
        return ShardedPages.read(dynamo, lookupPartitions(integrationId, scope, dimension), low, high, byId);
    }

    /** The same after {@code byId}'s anchor, read with the anchor ({@link ShardedPages#readFromAnchor}). */
    private ShardedPages.Anchored lookupPageFromAnchor(
            String integrationId, AuditScope scope, String dimension, String low, String high, PageRequest byId) {
        return ShardedPages.readFromAnchor(dynamo, lookupPartitions(integrationId, scope, dimension), low, high, byId);
    }

    private ShardedPages.Partitions lookupPartitions(String integrationId, AuditScope scope, String dimension) {
        // Client ids may run ahead of the clock, so the newest the list can hold is that far ahead.
        ShardLayout layout = layouts.layout(
                AuditKeys.LIST_LAYOUT,
                AuditKeys.listLayoutTenant(integrationId, scope),
                clock.instant().plus(EventSubmission.MAX_CLOCK_SKEW));
        IntFunction<List<String>> partitions = shards -> IntStream.range(0, shards)
                .mapToObj(shard -> AuditKeys.auditLookup(integrationId, scope, shard, dimension))
                .toList();
        return new ShardedPages.Partitions(tables.events(), null, Keys.PK, layout, partitions)
                .reading(List.of(Keys.SK, EVENT));
    }

    /** The smallest id still within retention: every read starts here, so expired items are never seen. */
    private String retentionBound() {
        return EventIds.lowerBound(clock.instant().minus(retention));
    }

    /**
     * The event's lookup items. The whole list's and the action's carry the body ({@code json}, as
     * on the event item) unless that would take it past the item size limit, as the scope key can be
     * longer than the event item's: those are the lists clients page through most, and an event is on
     * exactly one of each, so a page of either is its Queries alone for one more copy of the event.
     * The other lists' items hold keys only, as an event can be on hundreds of them.
     */
    private List<Map<String, AttributeValue>> lookups(String integrationId, AuditEvent event, String json) {
        String tenant = AuditKeys.listLayoutTenant(integrationId, event.scope());
        int shard = layouts.layout(AuditKeys.LIST_LAYOUT, tenant, EventIds.timeOf(event.id()))
                .shard(event.id());
        layouts.written(AuditKeys.LIST_LAYOUT, tenant);
        // Every lookup item has the same sort key and expiry; attribute values are immutable, so
        // each is built once for all of them.
        AttributeValue id = s(event.id());
        AttributeValue expiresAt = n(event.createdDate().plus(retention).getEpochSecond());
        AttributeValue body = s(json);
        String action = AuditQuery.filterDimension("action", event.actionId());
        Set<String> dimensions = dimensions(event);
        String partition = AuditKeys.shardOfLists(tenant, shard);
        List<Map<String, AttributeValue>> lookups = new ArrayList<>(dimensions.size());
        for (String dimension : dimensions) {
            Map<String, AttributeValue> lookup = new HashMap<>(8);
            lookup.put(Keys.PK, s(partition.concat(dimension)));
            lookup.put(Keys.SK, id);
            lookup.put(Keys.EXPIRES_AT, expiresAt);
            if (dimension.isEmpty() || dimension.equals(action)) {
                lookup.put(EVENT, body);
                if (itemBytes(lookup) > MAX_ITEM_BYTES) {
                    lookup.remove(EVENT);
                }
            }
            lookups.add(lookup);
        }
        return lookups;
    }

    private Map<String, AttributeValue> body(AuditEvent event, String json, String requestHash) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(EVENT, s(json));
        if (requestHash != null) {
            item.put(REQUEST_HASH, s(requestHash));
        }
        item.put(Keys.EXPIRES_AT, n(event.createdDate().plus(retention).getEpochSecond()));
        return item;
    }

    private Map<String, AttributeValue> read(String integrationId, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.events())
                        .key(key(AuditKeys.auditEvents(integrationId, AuditKeys.auditShard(id)), id)))
                .item();
        return item == null ? Map.of() : item;
    }

    private void writeAll(List<Map<String, AttributeValue>> items) {
        BatchWrites.putAll(dynamo, tables.events(), items, this::throttled);
    }

    /**
     * Items DynamoDB left unprocessed (or refused outright) were throttled: the scopes whose lookup
     * items they are may need more shards.
     */
    private void throttled(List<WriteRequest> requests) {
        Set<String> tenants = new LinkedHashSet<>();
        for (WriteRequest request : requests) {
            if (request.putRequest() != null) {
                String tenant =
                        AuditKeys.lookupLayoutTenant(string(request.putRequest().item(), Keys.PK));
                if (tenant != null) {
                    tenants.add(tenant);
                }
            }
        }
        tenants.forEach(tenant -> layouts.throttled(AuditKeys.LIST_LAYOUT, tenant));
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
