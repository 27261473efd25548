package eduledger.roster;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.storage.BatchReads;
import eduledger.storage.Keys;
import eduledger.storage.Tables;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The platform roster in the roster table (key design in {@link RosterKeys}). Writes only change an item
 * when the object changes, so the table's stream carries exactly the changes graph events report.
 */
public final class RosterStore {
    /** Leaves room under DynamoDB's 400 KB item limit for the keys and the provenance. */
    public static final int MAX_OBJECT_BYTES = 350_000;
    /** Organizations a person may list in {@code school_ids}. */
    static final int MAX_REFERENCES = 100;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> SERVER_FIELDS = Set.of("created_date", "updated_date");
    private static final int ATTEMPTS = 5;
    /** The deepest an organization may sit: a district is depth 1, its schools depth 2. */
    public static final int MAX_ORGANIZATION_DEPTH = 8;
    /**
     * The most objects one organization write may carry along when it moves (its whole subtree,
     * itself included); a larger move is refused before anything is written.
     */
    public static final int MAX_MOVED_SUBTREE = 10_000;

    /** What a write did: {@code changed} is false when the object already was (or was not) so. */
    public record WriteResult(boolean changed, boolean created, RosterObject object) {}

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;

    /**
     * When the source write happened, in epoch milliseconds. A stream record's own time is only
     * approximate (whole seconds), too coarse to order two changes of one object; events derived
     * from a change take their time from here.
     */
    public static final String WRITTEN_AT = "written_at";

    /**
     * The item's revision: every write sets it above the one it replaces, and at least to the
     * write's time in milliseconds, so an object deleted and written again starts above the
     * revision its delete had (see {@link #nextRevision}).
     */
    public static final String REVISION = "revision";

    public RosterStore(DynamoDbClient dynamo, Tables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    /** Whether {@code id} can be an object's id: 1-128 of {@code A-Za-z0-9._:-}, as ASCII as bytes. */
    static boolean isObjectId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw ServiceException.badRequest("INVALID_ID", "An object id is 1-128 letters, digits and . _ : -.");
        }
    }

    /** The fields that name another object; their values end up in keys when the stream places the object. */
    private static final List<String> REFERENCES =
            List.of("parent_id", "account_id", "school_id", "class_id", "person_id", "term_id", "course_id");

    /**
     * Refuses references that could never be an object's id. They are stored now but used as keys
     * later (placing a course under its account, an organization under its parent), where a value
     * over DynamoDB's key size would fail in the stream on every retry instead of here.
     */
    private static void checkReferences(JsonNode body) {
        for (String field : REFERENCES) {
            checkReference(body.get(field), field);
        }
        JsonNode schools = body.get("school_ids");
        if (schools != null && !schools.isNull()) {
            if (!schools.isArray() || schools.size() > MAX_REFERENCES) {
                throw ServiceException.badRequest(
                        "INVALID_REFERENCE", "school_ids is an array of at most " + MAX_REFERENCES + " object ids.");
            }
            schools.forEach(school -> checkReference(school, "school_ids"));
        }
    }

    private static void checkReference(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isTextual() || !ID.matcher(value.textValue()).matches()) {
            throw ServiceException.badRequest(
                    "INVALID_REFERENCE",
                    field + " names an object, so it is an object id: 1-128 letters, digits and . _ : -.");
        }
    }

    public Optional<RosterObject> find(RosterCollection collection, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.roster())
                        .consistentRead(true)
                        .key(key(RosterKeys.rosterObject(collection.id(), id), RosterKeys.OBJECT_SK)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : fromItem(item);
    }

    /** These objects as they are stored now, read consistently, by collection and id; deleted ones are left out. */
    public Map<String, RosterObject> current(List<RosterObject> objects) {
        List<Map<String, AttributeValue>> keys = objects.stream()
                .map(o -> RosterKeys.rosterObject(o.collection().id(), o.id()))
                .distinct()
                .map(pk -> key(pk, RosterKeys.OBJECT_SK))
                .toList();
        Map<String, RosterObject> found = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, tables.roster(), keys, true)) {
            fromItem(item).ifPresent(o -> found.put(o.collection().id() + "#" + o.id(), o));
        }
        return found;
    }

    /** Creates or replaces the object; nothing is written when it equals what is stored. */
    public WriteResult put(RosterCollection collection, String id, JsonNode body, SourceWrite sourceWrite) {
        checkId(id);
        if (body == null || !body.isObject()) {
            throw ServiceException.badRequest("INVALID_OBJECT", "The body must be the object, as a JSON object.");
        }
        if (body.hasNonNull("id") && !body.get("id").asText().equals(id)) {
            throw ServiceException.badRequest("ID_MISMATCH", "The body's id is not the id in the path.");
        }
        checkReferences(body);
        for (int attempt = 1; ; attempt++) {
            Optional<RosterObject> existing = find(collection, id);
            if (existing.isPresent()
                    && withoutServerFields(existing.get().data()).equals(withoutServerFields(body))) {
                return new WriteResult(false, false, existing.get());
            }
            String now = Json.timestamp(clock.instant());
            ObjectNode data = ((ObjectNode) body.deepCopy()).put("id", id);
            data.put(
                    "created_date",
                    existing.map(o -> o.data().path("created_date").asText(now))
                            .orElse(body.path("created_date").asText(now)));
            data.put("updated_date", now);
            String dataJson = Json.write(data);
            if (dataJson.getBytes(StandardCharsets.UTF_8).length > MAX_OBJECT_BYTES) {
                throw new ServiceException(
                        Failure.PAYLOAD_TOO_LARGE,
                        "OBJECT_TOO_LARGE",
                        "A roster object is at most " + MAX_OBJECT_BYTES + " bytes of JSON.");
            }
            OrganizationPath path = placement(collection, id, data);
            // Where the subtree under this organization sits now: its stored path, or for an
            // organization not stored yet the placeholder its children were placed under.
            OrganizationPath oldPath = existing.map(RosterObject::path).orElse(new OrganizationPath(List.of(id)));
            List<RosterObject> carried = collection == RosterCollection.ORGANIZATIONS && !oldPath.equals(path)
                    ? subtreeToMove(id, oldPath, path)
                    : List.of();
            long revision = nextRevision(existing.map(RosterObject::revision).orElse(0L));
            RosterObject object = new RosterObject(collection, id, data, path, sourceWrite, revision);
            boolean orphan = underMissingOrganization(collection, data, path);
            try {
                dynamo.putItem(b -> {
                    b.tableName(tables.roster()).item(item(object, dataJson, orphan));
                    if (existing.isEmpty()) {
                        b.conditionExpression("attribute_not_exists(pk)");
                    } else {
                        // The revision too: a move of the subtree above changes only the placement
                        // and the revision, and this write must not take that revision again.
                        Map<String, AttributeValue> values = new HashMap<>();
                        values.put(":old", s(Json.write(existing.get().data())));
                        revisionValue(existing.get(), values);
                        b.conditionExpression("#data = :old AND " + revisionIs(existing.get()))
                                .expressionAttributeNames(Map.of("#data", "data", "#rev", REVISION))
                                .expressionAttributeValues(values);
                    }
                });
                carried.forEach(descendant -> repath(descendant, oldPath, path));
                if (collection != RosterCollection.ORGANIZATIONS) {
                    // An organization above moved while this was placed: its move may have looked
                    // for its subtree before this write landed, so this write follows it itself.
                    OrganizationPath settled = placement(collection, id, data);
                    if (!settled.equals(path)) {
                        repath(object, path, settled);
                    }
                }
                return new WriteResult(true, existing.isEmpty(), object);
            } catch (ConditionalCheckFailedException raced) {
                if (attempt == ATTEMPTS) {
                    throw new ServiceException(
                            Failure.CONFLICT,
                            "CONCURRENT_WRITE",
                            "The object kept changing while this write was made; retry it.");
                }
            }
        }
    }

    /**
     * Deletes the object. The delete's provenance is first stamped on the item (a write that
     * changes no object data, which the change stream ignores), so the stream's REMOVE record
     * carries who deleted it.
     */
    public WriteResult delete(RosterCollection collection, String id, SourceWrite sourceWrite) {
        checkId(id);
        Optional<RosterObject> existing = find(collection, id);
        if (existing.isEmpty()) {
            return new WriteResult(false, false, null);
        }
        Map<String, AttributeValue> key = key(RosterKeys.rosterObject(collection.id(), id), RosterKeys.OBJECT_SK);
        String provenance = Json.write(sourceWrite.toJson());
        for (int attempt = 1; ; attempt++) {
            RosterObject stored = existing.get();
            try {
                // The stamp takes the next revision: the delete's stream record carries it, above
                // every change before it, and a later write of the same id starts above it.
                Map<String, AttributeValue> values = new HashMap<>();
                values.put(":w", s(provenance));
                values.put(":t", n(clock.instant().toEpochMilli()));
                values.put(":next", n(nextRevision(stored.revision())));
                revisionValue(stored, values);
                dynamo.updateItem(b -> b.tableName(tables.roster())
                        .key(key)
                        .updateExpression("SET source_write = :w, " + WRITTEN_AT + " = :t, #rev = :next")
                        .conditionExpression("attribute_exists(pk) AND " + revisionIs(stored))
                        .expressionAttributeNames(Map.of("#rev", REVISION))
                        .expressionAttributeValues(values));
                dynamo.deleteItem(
                        b -> b.tableName(tables.roster()).key(key).conditionExpression("attribute_exists(pk)"));
                return new WriteResult(true, false, stored);
            } catch (ConditionalCheckFailedException raced) {
                existing = find(collection, id);
                if (existing.isEmpty()) {
                    return new WriteResult(false, false, stored);
                }
                if (attempt == ATTEMPTS) {
                    throw new ServiceException(
                            Failure.CONFLICT,
                            "CONCURRENT_WRITE",
                            "The object kept changing while this delete was made; retry it.");
                }
            }
        }
    }

    /** Above the revision it follows, and at least the time now in milliseconds. */
    private long nextRevision(long previous) {
        return Math.max(previous + 1, clock.instant().toEpochMilli());
    }

    /** The value {@link #revisionIs} names, when it names one. */
    private static void revisionValue(RosterObject stored, Map<String, AttributeValue> values) {
        if (stored.revision() != 0) {
            values.put(":rev", n(stored.revision()));
        }
    }

    /** The condition that the item still has the revision it was read with (none, if it was written before revisions). */
    private static String revisionIs(RosterObject stored) {
        return stored.revision() == 0 ? "attribute_not_exists(#rev)" : "#rev = :rev";
    }

    /**
     * Every object under the organization (itself included), at most {@code limit + 1} so callers
     * can tell that there are more than {@code limit}.
     */
    public List<RosterObject> under(String organizationId, int limit) {
        OrganizationPath path = pathOf(RosterCollection.ORGANIZATIONS, organizationId)
                .orElse(new OrganizationPath(List.of(organizationId)));
        List<RosterObject> found = new ArrayList<>();
        collectTree(path.root(), path.encoded(), limit + 1, found);
        return found;
    }

    /**
     * The whole roster, at most {@code limit + 1} objects: every tree root's objects and the unplaced
     * ones. Trees are found from their root organizations and, for trees whose root organization is
     * not stored (objects written before it, or under a parent that never was), from the objects at
     * their top.
     */
    public List<RosterObject> everything(int limit) {
        Set<String> roots = new LinkedHashSet<>();
        dynamo.queryPaginator(b -> b.tableName(tables.roster())
                        .indexName(RosterKeys.ROOTS_INDEX)
                        .keyConditionExpression("root_pk = :root")
                        .expressionAttributeValues(Map.of(":root", s(RosterKeys.ROOT))))
                .items()
                .forEach(item -> roots.add(string(item, Keys.PK)
                        .substring(RosterKeys.rosterObject(RosterCollection.ORGANIZATIONS.id(), "")
                                .length())));
        for (Map<String, AttributeValue> top : dynamo.queryPaginator(b -> b.tableName(tables.roster())
                        .indexName(RosterKeys.ROOTS_INDEX)
                        .keyConditionExpression("root_pk = :orphan")
                        .expressionAttributeValues(Map.of(":orphan", s(RosterKeys.ORPHAN))))
                .items()) {
            if (roots.size() > limit) {
                break;
            }
            Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(tables.roster())
                            .consistentRead(true)
                            .key(key(string(top, Keys.PK), RosterKeys.OBJECT_SK))
                            .projectionExpression("org_path"))
                    .item();
            if (item != null && !item.isEmpty()) {
                roots.add(OrganizationPath.decode(string(item, "org_path")).root());
            }
        }
        roots.add(OrganizationPath.UNPLACED_ROOT);
        List<RosterObject> found = new ArrayList<>();
        for (String root : roots) {
            if (found.size() > limit) {
                break;
            }
            collectTree(root, "", limit + 1, found);
        }
        return found;
    }

    private void collectTree(String root, String pathPrefix, int max, List<RosterObject> found) {
        for (int shard = 0; shard < RosterKeys.ROSTER_TREE_SHARDS && found.size() < max; shard++) {
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":tree", s(RosterKeys.rosterTree(root, shard)));
            String condition = "tree_pk = :tree";
            if (!pathPrefix.isEmpty()) {
                values.put(":path", s(pathPrefix));
                condition += " AND begins_with(tree_sk, :path)";
            }
            QueryRequest query = QueryRequest.builder()
                    .tableName(tables.roster())
                    .indexName(RosterKeys.BY_ORGANIZATION_INDEX)
                    .keyConditionExpression(condition)
                    .expressionAttributeValues(values)
                    .build();
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(query).items()) {
                fromItem(item).ifPresent(found::add);
                if (found.size() >= max) {
                    return;
                }
            }
        }
    }

    /** The object an item (or a stream image turned into SDK attribute values) holds; empty for other items. */
    public static Optional<RosterObject> fromItem(Map<String, AttributeValue> item) {
        if (item == null || !RosterKeys.isRosterObject(string(item, Keys.PK))) {
            return Optional.empty();
        }
        String collectionId = string(item, "collection");
        RosterCollection collection = RosterCollection.parse(collectionId)
                .orElseThrow(() -> new IllegalArgumentException("roster item of unknown collection " + collectionId));
        String data = string(item, "data");
        if (data == null) {
            throw new IllegalArgumentException("roster item " + string(item, Keys.PK) + " has no data");
        }
        String provenance = string(item, "source_write");
        return Optional.of(new RosterObject(
                collection,
                string(item, "id"),
                Json.readStored(data),
                OrganizationPath.decode(string(item, "org_path")),
                provenance == null ? SourceWrite.api() : SourceWrite.fromJson(Json.readStored(provenance)),
                revision(item)));
    }

    /** The item's (or stream image's) revision; 0 when it was written before revisions were kept. */
    public static long revision(Map<String, AttributeValue> item) {
        AttributeValue value = item == null ? null : item.get(REVISION);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private Map<String, AttributeValue> item(RosterObject object, String dataJson, boolean orphan) {
        String collection = object.collection().id();
        Map<String, AttributeValue> item =
                new HashMap<>(key(RosterKeys.rosterObject(collection, object.id()), RosterKeys.OBJECT_SK));
        item.put("collection", s(collection));
        item.put("id", s(object.id()));
        item.put("data", s(dataJson));
        item.put("source_write", s(Json.write(object.sourceWrite().toJson())));
        item.put(WRITTEN_AT, n(clock.instant().toEpochMilli()));
        item.put(REVISION, n(object.revision()));
        item.put("org_path", s(object.path().encoded()));
        item.put(
                RosterKeys.TREE_PK,
                s(RosterKeys.rosterTree(object.path().root(), RosterKeys.rosterTreeShard(collection, object.id()))));
        item.put(RosterKeys.TREE_SK, s(RosterKeys.rosterTreeSort(object.path().encoded(), collection, object.id())));
        if (object.collection() == RosterCollection.ORGANIZATIONS
                && object.path().organizationIds().size() == 1) {
            item.put(RosterKeys.ROOT_PK, s(RosterKeys.ROOT));
        } else if (orphan) {
            item.put(RosterKeys.ROOT_PK, s(RosterKeys.ORPHAN));
        }
        return item;
    }

    /**
     * Whether the object was placed under its parent's id alone because that organization is not
     * stored: its tree's root is then an organization no item stands for, and only this mark lets
     * {@link #everything} find the tree.
     */
    private boolean underMissingOrganization(RosterCollection collection, JsonNode data, OrganizationPath path) {
        String parent = parentId(collection, data);
        if (parent == null
                || collection == RosterCollection.ENROLLMENTS
                || !path.root().equals(parent)) {
            return false;
        }
        return pathOf(RosterCollection.ORGANIZATIONS, parent).isEmpty();
    }

    /**
     * The objects under an organization that is about to move from {@code from} to {@code to},
     * refusing the move when it would make a cycle or sit any of them deeper than
     * {@link #MAX_ORGANIZATION_DEPTH}, or carries more than {@link #MAX_MOVED_SUBTREE} objects.
     */
    private List<RosterObject> subtreeToMove(String id, OrganizationPath from, OrganizationPath to) {
        List<RosterObject> found = new ArrayList<>();
        collectTree(from.root(), from.encoded(), MAX_MOVED_SUBTREE + 1, found);
        found.removeIf(object -> object.collection() == RosterCollection.ORGANIZATIONS
                && object.id().equals(id));
        if (found.size() > MAX_MOVED_SUBTREE) {
            throw new ServiceException(
                    Failure.UNPROCESSABLE,
                    "SUBTREE_TOO_LARGE",
                    "This organization has more than " + MAX_MOVED_SUBTREE
                            + " objects under it; move its sub-organizations one at a time.");
        }
        int deepest = to.organizationIds().size();
        for (RosterObject object : found) {
            deepest = Math.max(
                    deepest,
                    to.organizationIds().size()
                            + object.path().organizationIds().size()
                            - from.organizationIds().size());
        }
        if (deepest > MAX_ORGANIZATION_DEPTH) {
            throw tooDeep();
        }
        return found;
    }

    /**
     * Moves one object of a moved subtree under the organization's new path, on the condition that
     * it still sits where it was found; an object that changed in between was placed by its own
     * write. Only the placement changes, so the stream shows it as a move (see
     * {@code StreamedChange#changesNoObject}).
     */
    private void repath(RosterObject object, OrganizationPath from, OrganizationPath to) {
        List<String> ids = new ArrayList<>(to.organizationIds());
        List<String> below = object.path().organizationIds();
        ids.addAll(below.subList(Math.min(from.organizationIds().size(), below.size()), below.size()));
        OrganizationPath moved = new OrganizationPath(ids);
        String collection = object.collection().id();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":old", s(object.path().encoded()));
        values.put(":path", s(moved.encoded()));
        values.put(
                ":tree", s(RosterKeys.rosterTree(moved.root(), RosterKeys.rosterTreeShard(collection, object.id()))));
        values.put(":sort", s(RosterKeys.rosterTreeSort(moved.encoded(), collection, object.id())));
        values.put(":one", n(1));
        String update = "SET org_path = :path, " + RosterKeys.TREE_PK + " = :tree, " + RosterKeys.TREE_SK + " = :sort, "
                + REVISION + " = if_not_exists(" + REVISION + ", :zero) + :one";
        values.put(":zero", n(0));
        if (object.collection() == RosterCollection.ORGANIZATIONS && ids.size() == 1) {
            values.put(":root", s(RosterKeys.ROOT));
            update += ", " + RosterKeys.ROOT_PK + " = :root";
        } else {
            // Moved under an organization that is stored: no longer the top of a tree without one.
            update += " REMOVE " + RosterKeys.ROOT_PK;
        }
        String expression = update;
        try {
            dynamo.updateItem(b -> b.tableName(tables.roster())
                    .key(key(RosterKeys.rosterObject(collection, object.id()), RosterKeys.OBJECT_SK))
                    .updateExpression(expression)
                    .conditionExpression("org_path = :old")
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            // deleted or placed again by a later write, which read the new path
        }
    }

    private static ServiceException tooDeep() {
        return new ServiceException(
                Failure.UNPROCESSABLE,
                "ORGANIZATION_TOO_DEEP",
                "Organizations nest at most " + MAX_ORGANIZATION_DEPTH + " deep.");
    }

    /**
     * Where the object sits: under its parent's stored path, or under the parent id alone if it is
     * not stored yet. An organization may not sit under itself (a 409 names the cycle) nor deeper
     * than {@link #MAX_ORGANIZATION_DEPTH}.
     */
    private OrganizationPath placement(RosterCollection collection, String id, JsonNode data) {
        String parent = parentId(collection, data);
        if (collection == RosterCollection.ORGANIZATIONS) {
            if (parent == null) {
                return new OrganizationPath(List.of(id));
            }
            OrganizationPath parentPath = pathOf(collection, parent).orElse(new OrganizationPath(List.of(parent)));
            if (parentPath.contains(id)) {
                throw new ServiceException(
                        Failure.CONFLICT,
                        "ORGANIZATION_CYCLE",
                        "Organization " + id + " cannot sit under " + parent + ", which sits under it.");
            }
            if (parentPath.organizationIds().size() >= MAX_ORGANIZATION_DEPTH) {
                throw tooDeep();
            }
            return parentPath.then(id);
        }
        if (parent == null) {
            return OrganizationPath.UNPLACED;
        }
        if (collection == RosterCollection.ENROLLMENTS) {
            return pathOf(RosterCollection.CLASSES, parent).orElse(OrganizationPath.UNPLACED);
        }
        return pathOf(RosterCollection.ORGANIZATIONS, parent).orElse(new OrganizationPath(List.of(parent)));
    }

    private static String parentId(RosterCollection collection, JsonNode data) {
        String parent = text(data, collection.parentField());
        if (parent == null && collection == RosterCollection.COURSES) {
            parent = text(data, "school_id");
        }
        if (parent == null
                && collection == RosterCollection.PEOPLE
                && data.path("school_ids").size() > 0) {
            parent = data.path("school_ids").get(0).asText();
        }
        return parent == null || !ID.matcher(parent).matches() ? null : parent;
    }

    private Optional<OrganizationPath> pathOf(RosterCollection collection, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.roster())
                        .consistentRead(true)
                        .key(key(RosterKeys.rosterObject(collection.id(), id), RosterKeys.OBJECT_SK))
                        .projectionExpression("org_path"))
                .item();
        return item == null || item.isEmpty()
                ? Optional.empty()
                : Optional.of(OrganizationPath.decode(string(item, "org_path")));
    }

    private static JsonNode withoutServerFields(JsonNode data) {
        ObjectNode copy = (ObjectNode) data.deepCopy();
        copy.remove(SERVER_FIELDS);
        copy.remove("id");
        return copy;
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
