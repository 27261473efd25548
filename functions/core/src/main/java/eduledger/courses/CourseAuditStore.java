package eduledger.courses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.json.Json;
import eduledger.metrics.Counts;
import eduledger.storage.Attributes;
import eduledger.storage.BatchReads;
import eduledger.storage.Keys;
import eduledger.storage.QueryPages;
import eduledger.storage.StoreBackoff;
import eduledger.storage.StoreFailures;
import eduledger.storage.Tables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** Course events and the course and account directories in the events table; keys: {@link CourseKeys}. */
public final class CourseAuditStore {
    private static final String EVENT = "event";
    private static final String COURSE = "course";
    private static final String ACCOUNT_CHAIN = "account_chain";
    private static final String OUT_OF_VIEW = "out_of_view";
    private static final String PARENT_ID = "parent_id";
    private static final String KNOWN_SINCE = "known_since";
    /**
     * The stored event's JSON, in UTF-8 bytes as DynamoDB counts them, leaving room for keys and
     * attributes under the 400 KB item limit. Characters would undercount: one can be three bytes.
     */
    static final int MAX_EVENT_BYTES = 350_000;
    /** DynamoDB's limit of actions in one transaction. */
    static final int ACCOUNTS_PER_TRANSACTION = 100;
    /** Cancellation reasons that sending the same transaction again can get past. */
    private static final Set<String> CONTENTION =
            Set.of("TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded");

    /**
     * A course as the integration last saw it, with the accounts its events roll up to.
     *
     * @param inView false once the course has left the integration's view: it stays linked to the
     *               events the integration already has, as it last was, and takes no new ones
     */
    public record KnownCourse(JsonNode course, List<String> accountChain, boolean inView) {}

    private final DynamoDbClient dynamo;
    private final String table;

    public CourseAuditStore(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.table = tables.events();
    }

    /**
     * Records an account's parent (null for a root account), as an organization change says, in the
     * directory of each of these integrations: one transaction per
     * {@link #ACCOUNTS_PER_TRANSACTION} of them, each action the update a lone write would make. An
     * organization is seen by every integration whose sharing names it; one call per integration,
     * one after another, would make a change seen by 50 of them wait on 50 round trips.
     */
    public void saveAccount(Collection<String> integrationIds, String accountId, String parentId, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", Attributes.s(now.toString()));
        String knownSince = "SET " + KNOWN_SINCE + " = if_not_exists(" + KNOWN_SINCE + ", :now)";
        boolean root = parentId == null || parentId.equals(accountId);
        if (!root) {
            values.put(":parent", Attributes.s(parentId));
        }
        String update = root ? knownSince + " REMOVE " + PARENT_ID : knownSince + ", " + PARENT_ID + " = :parent";
        List<TransactWriteItem> actions = new ArrayList<>();
        for (String integrationId : new LinkedHashSet<>(integrationIds)) {
            actions.add(TransactWriteItem.builder()
                    .update(Update.builder()
                            .tableName(table)
                            .key(Attributes.key(
                                    CourseKeys.auditAccount(integrationId, accountId), CourseKeys.AUDIT_ACCOUNT_SK))
                            .updateExpression(update)
                            .expressionAttributeValues(values)
                            .build())
                    .build());
        }
        for (int from = 0; from < actions.size(); from += ACCOUNTS_PER_TRANSACTION) {
            writeAll(actions.subList(from, Math.min(actions.size(), from + ACCOUNTS_PER_TRANSACTION)));
        }
    }

    /**
     * Sends the updates in one transaction, again after a wait when a concurrent write to one of
     * its items (a course naming the account) or throttling cancelled it. The updates carry no
     * condition, so nothing else cancels one; applying one twice changes nothing.
     */
    private void writeAll(List<TransactWriteItem> actions) {
        StoreBackoff backoff = StoreBackoff.unhurried(StoreBackoff.MAX_ATTEMPTS, StoreFailures::unavailable);
        while (true) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(actions));
                return;
            } catch (TransactionCanceledException e) {
                if (!contended(e)) {
                    throw e;
                }
                backoff.pause();
            }
        }
    }

    private static boolean contended(TransactionCanceledException e) {
        boolean contended = false;
        for (CancellationReason reason :
                e.hasCancellationReasons() ? e.cancellationReasons() : List.<CancellationReason>of()) {
            if (CONTENTION.contains(reason.code())) {
                contended = true;
            } else if (reason.code() != null && !reason.code().equals("None")) {
                return false;
            }
        }
        return contended;
    }

    /**
     * The account and its ancestors, nearest first, as far as the directory knows them. An account
     * seen for the first time is recorded, so the account route knows it even when no organization
     * change named it.
     */
    public List<String> accountChain(String integrationId, String accountId, Instant now) {
        Set<String> chain = new LinkedHashSet<>();
        String current = accountId;
        while (current != null && chain.size() < CourseKeys.MAX_ACCOUNT_DEPTH && chain.add(current)) {
            Map<String, AttributeValue> item = account(integrationId, current);
            if (item.isEmpty() && current.equals(accountId)) {
                markKnown(integrationId, accountId, now);
            }
            current = Attributes.string(item, PARENT_ID);
        }
        return List.copyOf(chain);
    }

    private void markKnown(String integrationId, String accountId, Instant now) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(Attributes.key(CourseKeys.auditAccount(integrationId, accountId), CourseKeys.AUDIT_ACCOUNT_SK))
                .updateExpression("SET " + KNOWN_SINCE + " = if_not_exists(" + KNOWN_SINCE + ", :now)")
                .expressionAttributeValues(Map.of(":now", Attributes.s(now.toString()))));
    }

    public boolean accountKnown(String integrationId, String accountId) {
        return !account(integrationId, accountId).isEmpty();
    }

    private Map<String, AttributeValue> account(String integrationId, String accountId) {
        return dynamo.getItem(b -> b.tableName(table)
                        .key(Attributes.key(
                                CourseKeys.auditAccount(integrationId, accountId), CourseKeys.AUDIT_ACCOUNT_SK))
                        .consistentRead(true))
                .item();
    }

    public void saveCourse(String integrationId, String courseId, JsonNode course, List<String> accountChain) {
        saveCourse(integrationId, courseId, course, accountChain, true);
    }

    public void saveCourse(
            String integrationId, String courseId, JsonNode course, List<String> accountChain, boolean inView) {
        ArrayNode chain = Json.array();
        accountChain.forEach(chain::add);
        Map<String, AttributeValue> item = new HashMap<>(
                Attributes.key(CourseKeys.auditCourse(integrationId, courseId), CourseKeys.AUDIT_COURSE_SK));
        // Linked courses are matched to events by id, whatever the object itself carries.
        ObjectNode stored = course.isObject() ? ((ObjectNode) course).deepCopy() : Json.object();
        stored.put("id", courseId);
        item.put(COURSE, Attributes.s(Json.write(stored)));
        item.put(ACCOUNT_CHAIN, Attributes.s(Json.write(chain)));
        if (!inView) {
            item.put(OUT_OF_VIEW, AttributeValue.fromBool(true));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    public Optional<KnownCourse> course(String integrationId, String courseId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .key(Attributes.key(
                                CourseKeys.auditCourse(integrationId, courseId), CourseKeys.AUDIT_COURSE_SK))
                        .consistentRead(true))
                .item();
        return item.isEmpty() ? Optional.empty() : Optional.of(knownCourse(item));
    }

    /** The directory's courses among {@code courseIds}, by id; unknown ids are left out. */
    public Map<String, JsonNode> courses(String integrationId, Collection<String> courseIds) {
        List<Map<String, AttributeValue>> keys = new LinkedHashSet<>(courseIds)
                .stream()
                        .map(id ->
                                Attributes.key(CourseKeys.auditCourse(integrationId, id), CourseKeys.AUDIT_COURSE_SK))
                        .toList();
        String prefix = CourseKeys.auditCourse(integrationId, "");
        Map<String, JsonNode> found = new HashMap<>();
        for (Map<String, AttributeValue> item : BatchReads.getAll(dynamo, table, keys, false)) {
            found.put(
                    Attributes.string(item, Keys.PK).substring(prefix.length()),
                    knownCourse(item).course());
        }
        return found;
    }

    private static KnownCourse knownCourse(Map<String, AttributeValue> item) {
        List<String> chain = new ArrayList<>();
        Json.readStored(Attributes.string(item, ACCOUNT_CHAIN)).forEach(id -> chain.add(id.asText()));
        AttributeValue outOfView = item.get(OUT_OF_VIEW);
        return new KnownCourse(
                Json.readStored(Attributes.string(item, COURSE)),
                List.copyOf(chain),
                outOfView == null || !Boolean.TRUE.equals(outOfView.bool()));
    }

    /**
     * Writes the event to its course's partition, its account's own, and each account's roll-up on
     * the chain. Each write is
     * conditional on the item being new, so writing the same event again changes nothing.
     */
    public void append(String integrationId, CourseEvent event, List<String> accountChain, Instant expiresAt) {
        List<String> partitions = new ArrayList<>();
        partitions.add(CourseKeys.courseEvents(integrationId, event.courseId()));
        if (!accountChain.isEmpty()) {
            partitions.add(CourseKeys.accountOwnCourseEvents(integrationId, accountChain.get(0)));
        }
        accountChain.forEach(account -> partitions.add(CourseKeys.accountCourseEvents(integrationId, account)));
        String json = storedJson(event);
        for (String partition : partitions) {
            Map<String, AttributeValue> item =
                    new HashMap<>(Attributes.key(partition, CourseKeys.courseEventSk(event.id())));
            item.put(EVENT, Attributes.s(json));
            item.put(Keys.EXPIRES_AT, Attributes.n(expiresAt.getEpochSecond()));
            try {
                dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
                if (partition.equals(partitions.get(0))) {
                    // Counted once, at the course's own copy; the account copies are the same event.
                    Counts.add(Counts.COURSE_EVENTS_WRITTEN, 1);
                }
            } catch (ConditionalCheckFailedException alreadyWritten) {
                // A redelivered stream record: this partition has the event already.
            }
        }
    }

    /**
     * The event as stored. An update of huge fields would not fit in one item and would fail its
     * stream record forever, so past the limit the data names the changed fields without values.
     */
    static String storedJson(CourseEvent event) {
        ObjectNode json = event.toJson();
        String text = Json.write(json);
        if (utf8Bytes(text) <= MAX_EVENT_BYTES) {
            return text;
        }
        ObjectNode data = Json.object();
        ArrayNode fields = data.putArray("truncated_fields");
        event.draft().data().fieldNames().forEachRemaining(fields::add);
        json.set("event_data", data);
        String truncated = Json.write(json);
        if (utf8Bytes(truncated) <= MAX_EVENT_BYTES) {
            return truncated;
        }
        // Even the names do not fit (an object of that many or that long field names): count them.
        data.remove("truncated_fields");
        data.put("truncated_field_count", event.draft().data().size());
        return Json.write(json);
    }

    private static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * One page, newest first. The range, the retention cut-off and the anchor are one key condition,
     * so the page is full whenever enough events remain; one item more than the page says whether
     * another page exists beyond it in the direction read (older ones, or for {@code prev} and
     * {@code last} pages, newer ones). A {@code prev} page that would come out short is the range's
     * top page instead, as the first page of a list is full.
     */
    public CourseEventPage page(
            String integrationId, CourseEventFeed feed, CourseEventRange range, int size, Instant oldestKept) {
        String low = range.lowKey(oldestKept);
        String high = range.highKey();
        if (low.compareTo(high) > 0) {
            return new CourseEventPage(List.of(), false, range);
        }
        CourseEventPage page = read(integrationId, feed, range, low, high, size);
        if (range.direction() == CourseEventRange.Direction.NEWER
                && !page.more()
                && page.events().size() < size) {
            return page(integrationId, feed, range.top(), size, oldestKept);
        }
        return page;
    }

    private CourseEventPage read(
            String integrationId, CourseEventFeed feed, CourseEventRange range, String low, String high, int size) {
        List<ObjectNode> events = new ArrayList<>();
        boolean[] more = {false};
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :low AND :high")
                .expressionAttributeValues(Map.of(
                        ":pk",
                        Attributes.s(feed.partition(integrationId)),
                        ":low",
                        Attributes.s(low),
                        ":high",
                        Attributes.s(high)))
                .scanIndexForward(range.ascending())
                .build();
        // One for the anchor (the top of the range when paging) and one to see past the page.
        QueryPages.walk(dynamo, query, () -> size + 2 - events.size(), item -> {
            if (Attributes.string(item, Keys.SK).equals(range.anchor())) {
                return true;
            }
            if (events.size() == size) {
                more[0] = true;
                return false;
            }
            events.add((ObjectNode) Json.readStored(Attributes.string(item, EVENT)));
            return true;
        });
        if (range.ascending()) {
            Collections.reverse(events);
        }
        return new CourseEventPage(events, more[0], range);
    }
}
