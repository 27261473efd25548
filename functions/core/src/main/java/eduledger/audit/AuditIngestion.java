package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.auth.Tokens;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.metrics.Counts;
import eduledger.schemas.AuditSchema;
import eduledger.schemas.JsonSchemas;
import eduledger.schemas.NewestSchemas;
import eduledger.schemas.SchemaStore;
import eduledger.schemas.ValidationLevel;
import eduledger.storage.IdempotencyRecords;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Ingestion of audit events, one or a batch: built-in rules, validation against the newest schema
 * of each action, idempotency, storage, and the per-event outcome.
 *
 * <p>The newest schema of each action is read at most once per {@link NewestSchemas#FRESHNESS} per
 * container, so a new version governs the events accepted from that long after it was stored on;
 * its compiled form is cached, by version id, in {@link JsonSchemas}, so a version compiles once per
 * container. One instance serves a container, so both caches last as long as it.
 *
 * <p>An outcome is recorded per event as {@code {index, outcome: STORED|<Failure>, id?, errors?}};
 * the result is always read from it and the stored events, so a replay reports the same.
 */
public final class AuditIngestion {
    public static final int MAX_BATCH = 100;
    private static final String STORED = "STORED";

    private sealed interface Verdict permits Accepted, Rejected {}

    /**
     * An event that passed: {@code provisional} is it under the id and time it gets unless an
     * idempotency key or a client id decides them, and {@code item} its own item as built then.
     * {@code requestHash} is set only for an event that names its own id.
     */
    private record Accepted(
            EventSubmission submission, AuditEvent provisional, String requestHash, Map<String, AttributeValue> item)
            implements Verdict {}

    private record Rejected(Failure failure, List<ErrorDetail> errors) implements Verdict {}

    /** An event this request wrote or found, with its stored JSON where this request wrote it (else null). */
    private record Written(AuditEvent event, String json) {}

    private final NewestSchemas currentSchemas;
    private final JsonSchemas jsonSchemas;
    private final AuditEventStore store;
    private final IdempotencyRecords records;
    private final Clock clock;
    private final Duration retention;
    private final DynamoDbClient dynamo;
    private final Tables tables;

    /**
     * One event's outcome in a batch: the stored event, or why it was refused. {@code json} is the
     * event's JSON as this request stored it ({@link AuditEvent#json}), when it has it at hand, so the
     * answer can carry it as it is; null otherwise.
     */
    public record Result(int index, AuditEvent event, String json, Failure failure, List<ErrorDetail> errors) {
        public Result {
            errors = errors == null ? List.of() : List.copyOf(errors);
        }

        public boolean stored() {
            return event != null;
        }
    }

    /**
     * What a submission came to: one result per event, in the order sent; a single event is a batch
     * of one. {@code replayed} when an earlier request with the same idempotency key made it.
     */
    public record Outcome(boolean batch, List<Result> results, boolean replayed) {
        public Outcome {
            results = List.copyOf(results);
        }

        /** The single event that was stored; a refused single event was thrown, never returned. */
        public AuditEvent event() {
            return results.get(0).event();
        }
    }

    /** @param jsonSchemas one per container: it caches compiled schemas by version id */
    public AuditIngestion(
            DynamoDbClient dynamo, Tables tables, Clock clock, Duration retention, JsonSchemas jsonSchemas) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.currentSchemas = new NewestSchemas(new SchemaStore(dynamo, tables, clock), clock);
        this.jsonSchemas = jsonSchemas;
        this.clock = clock;
        this.retention = retention;
        this.store = new AuditEventStore(dynamo, tables, clock, retention);
        this.records = new IdempotencyRecords(dynamo, tables, clock, retention);
    }

    /**
     * Submits for an integration that belongs to no application (its own implicit application).
     *
     * @throws ServiceException when the body is not an event or a batch, or when a single event is refused
     */
    public Outcome submit(String integrationId, JsonNode body, String idempotencyKey) {
        return submit(new ScopeAccess(dynamo, tables, clock, integrationId), body, idempotencyKey);
    }

    /**
     * Submits to the audit log {@code access} reaches: events, idempotency records and the schemas
     * that govern them are its owner's (an application, or an integration acting alone).
     *
     * @throws ServiceException when the body is not an event or a batch, or when a single event is refused
     */
    public Outcome submit(ScopeAccess access, JsonNode body, String idempotencyKey) {
        String ownerId = access.ownerId();
        if (!body.isObject()) {
            throw ServiceException.badRequest(
                    "INVALID_BODY", "The body must be an event object or {\"events\": [...]}.");
        }
        boolean batch = body.has("events");
        List<JsonNode> submitted = batch ? batchEvents(body) : List.of(body);
        Instant now = clock.instant();
        Map<String, Optional<AuditSchema>> newestSchemas = new HashMap<>();
        Map<AuditScope, Boolean> allowedScopes = new HashMap<>();
        List<Verdict> verdicts = new ArrayList<>();
        // Violations listed in the whole answer, not only per event, so a batch stays as small as one event.
        int[] listable = {JsonSchemas.MAX_VIOLATIONS};
        for (int i = 0; i < submitted.size(); i++) {
            verdicts.add(judge(
                    ownerId,
                    submitted.get(i),
                    batch ? "$.events[" + i + "]" : "$",
                    now,
                    madeAt(now, i),
                    newestSchemas,
                    listable,
                    scope -> allowedScopes.computeIfAbsent(scope, access::allows)));
        }
        if (!batch && verdicts.get(0) instanceof Rejected rejected) {
            Counts.add(Counts.EVENTS_REJECTED, 1);
            throw new ServiceException(rejected.failure(), rejected.errors());
        }

        Instant startedAt = now;
        boolean replayed = false;
        if (idempotencyKey != null && verdicts.stream().anyMatch(v -> v instanceof Accepted)) {
            IdempotencyRecords.Claim claim =
                    records.claim(ownerId, idempotencyKey, IdempotencyRecords.hash(Json.write(body)));
            if (claim.outcome() != null) {
                Counts.add(Counts.IDEMPOTENT_REPLAYS, 1);
                return render(ownerId, batch, claim.outcome(), Map.of(), true);
            }
            startedAt = claim.startedAt();
            replayed = !claim.fresh();
        }

        ArrayNode outcome = Json.array();
        Map<String, Written> written = new HashMap<>();
        List<AuditEventStore.Prepared> fresh = new ArrayList<>();
        int rejectedCount = 0;
        int nonConforming = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            ObjectNode entry = outcome.addObject().put("index", i);
            if (verdicts.get(i) instanceof Rejected rejected) {
                rejectedCount++;
                entry.put("outcome", rejected.failure().name()).set("errors", ErrorDetail.toJson(rejected.errors()));
                continue;
            }
            Accepted accepted = (Accepted) verdicts.get(i);
            String clientId = accepted.submission().clientId();
            if (clientId != null) {
                AuditEvent event = accepted.provisional().withId(clientId, EventIds.timeOf(clientId));
                var existing = store.putIfAbsent(ownerId, event, accepted.requestHash());
                if (existing.isPresent()
                        && !accepted.requestHash().equals(existing.get().requestHash())) {
                    entry.put("outcome", Failure.CONFLICT.name())
                            .set(
                                    "errors",
                                    ErrorDetail.toJson(List.of(new ErrorDetail(
                                            "EVENT_ID_CONFLICT",
                                            "Event " + clientId
                                                    + " exists with different content; ids are unique per application.",
                                            null))));
                    rejectedCount++;
                    continue;
                }
                written.put(
                        clientId,
                        new Written(
                                existing.map(AuditEventStore.Existing::event).orElse(event), null));
                entry.put("outcome", STORED).put("id", clientId);
                nonConforming += flagged(event);
                continue;
            }
            AuditEvent event;
            Map<String, AttributeValue> item;
            if (idempotencyKey == null) {
                // Its id and time are the ones judged, and so is its item: it is written as built.
                event = accepted.provisional();
                item = accepted.item();
            } else {
                // With an idempotency key every retry derives the same ids from the claimed time, so
                // concurrent retries overwrite one set of items with equal content instead of adding more.
                Instant madeAt = madeAt(startedAt, i);
                String id = EventIds.derived(madeAt, ownerId + "\n" + idempotencyKey + "\n" + i);
                event = accepted.provisional().withId(id, madeAt);
                item = store.item(ownerId, event, accepted.requestHash());
            }
            fresh.add(new AuditEventStore.Prepared(event, accepted.requestHash(), item));
            String id = event.id();
            written.put(id, new Written(event, AuditEventStore.storedJson(item)));
            entry.put("outcome", STORED).put("id", id);
            nonConforming += flagged(event);
        }
        store.putAll(ownerId, fresh);
        Counts.add(Counts.EVENTS_ACCEPTED, verdicts.size() - rejectedCount);
        Counts.add(Counts.EVENTS_REJECTED, rejectedCount);
        Counts.add(Counts.EVENTS_NON_CONFORMING, nonConforming);
        JsonNode standing = idempotencyKey == null ? outcome : records.complete(ownerId, idempotencyKey, outcome);
        return render(ownerId, batch, standing, written, replayed);
    }

    /** A batch's events are made a millisecond apart so the time-ordered ids keep batch order. */
    private static Instant madeAt(Instant startedAt, int index) {
        return startedAt.plusMillis(index);
    }

    private static int flagged(AuditEvent event) {
        return Boolean.FALSE.equals(event.validation().conforms()) ? 1 : 0;
    }

    private static List<JsonNode> batchEvents(JsonNode body) {
        JsonNode events = body.get("events");
        if (body.size() != 1) {
            throw ServiceException.badRequest("INVALID_BODY", "A batch body has only \"events\".");
        }
        if (!events.isArray() || events.isEmpty()) {
            throw ServiceException.badRequest("INVALID_BODY", "events must be a non-empty array of events.");
        }
        if (events.size() > MAX_BATCH) {
            throw ServiceException.badRequest(
                    "BATCH_TOO_LARGE",
                    "A batch holds at most " + MAX_BATCH + " events; this one has " + events.size() + ".");
        }
        List<JsonNode> list = new ArrayList<>();
        events.forEach(list::add);
        return list;
    }

    private Verdict judge(
            String ownerId,
            JsonNode raw,
            String at,
            Instant now,
            Instant madeAt,
            Map<String, Optional<AuditSchema>> newestSchemas,
            int[] listable,
            Predicate<AuditScope> allowed) {
        List<ErrorDetail> problems = new ArrayList<>();
        EventSubmission submission = EventSubmission.read(raw, at, now, retention, problems);
        if (submission == null) {
            return new Rejected(Failure.BAD_REQUEST, problems);
        }
        if (!allowed.test(submission.scope())) {
            return new Rejected(
                    Failure.FORBIDDEN,
                    List.of(new ErrorDetail(
                            "SCOPE_NOT_ALLOWED",
                            "An event's scope is this integration, or an institution it can see; "
                                    + submission.scope().type() + " "
                                    + submission.scope().id() + " is neither.",
                            at + ".scope")));
        }
        Optional<AuditSchema> schema =
                newestSchemas.computeIfAbsent(submission.actionId(), action -> currentSchemas.newest(ownerId, action));
        Validation validation = schema.map(s -> validate(s, submission.dataForValidation(), at + ".data", listable))
                .orElseGet(Validation::unchecked);
        boolean tooCostly = validation.violations().stream()
                .anyMatch(violation -> violation.code().equals(JsonSchemas.TOO_COSTLY));
        if (tooCostly
                || (validation.level() == ValidationLevel.STRICT
                        && !validation.violations().isEmpty())) {
            return new Rejected(Failure.UNPROCESSABLE, validation.violations());
        }
        // As Edlink reads it back: the governing schema's action type, or other without one.
        String actionType = schema.map(s -> s.actionType().id()).orElse("other");
        AuditEvent provisional = new AuditEvent(
                EventIds.next(madeAt),
                madeAt,
                submission.actionId(),
                actionType,
                submission.actor(),
                submission.targets(),
                submission.scope(),
                submission.context(),
                submission.data(),
                schema.map(SchemaRef::of).orElse(null),
                validation);
        // Only an event under its own id can be posted again as a retry, which the hash tells from a conflict.
        String requestHash = submission.clientId() == null ? null : Tokens.hash(Json.write(raw));
        // Ids and dates have fixed widths, so the provisional item is exactly as large as the stored one.
        Map<String, AttributeValue> item = store.item(ownerId, provisional, requestHash);
        int bytes = AuditEventStore.itemBytes(item);
        if (bytes > AuditEventStore.MAX_ITEM_BYTES) {
            return new Rejected(
                    Failure.PAYLOAD_TOO_LARGE,
                    List.of(new ErrorDetail(
                            "EVENT_TOO_LARGE",
                            "The event would be stored as " + bytes + " bytes; the limit is "
                                    + AuditEventStore.MAX_ITEM_BYTES + " (make data or context smaller).",
                            at)));
        }
        return new Accepted(submission, provisional, requestHash, item);
    }

    private Validation validate(AuditSchema schema, JsonNode data, String dataPath, int[] listable) {
        if (schema.data() == null) {
            return new Validation(schema.validationLevel(), true, List.of());
        }
        List<ErrorDetail> violations = new ArrayList<>();
        for (ErrorDetail violation : jsonSchemas.validate(
                jsonSchemas.compiled(schema), data, Math.min(listable[0], JsonSchemas.MAX_VIOLATIONS))) {
            if (!violation.code().equals(JsonSchemas.MORE_VIOLATIONS)) {
                listable[0]--;
            }
            String path = violation.path() == null
                    ? dataPath
                    : dataPath + violation.path().substring(1);
            violations.add(new ErrorDetail(
                    violation.code(),
                    violation.message().startsWith("$")
                            ? dataPath + violation.message().substring(1)
                            : violation.message(),
                    path));
        }
        return new Validation(schema.validationLevel(), violations.isEmpty(), violations);
    }

    /** The outcome as recorded, with the stored events it names (those not written just now are read back). */
    private Outcome render(
            String ownerId, boolean batch, JsonNode outcome, Map<String, Written> known, boolean replayed) {
        List<String> missing = new ArrayList<>();
        outcome.forEach(entry -> {
            if (entry.hasNonNull("id") && !known.containsKey(entry.path("id").asText())) {
                missing.add(entry.path("id").asText());
            }
        });
        Map<String, Written> events = known;
        if (!missing.isEmpty()) {
            // Only a replay names events this request did not write.
            events = new HashMap<>(known);
            for (Map.Entry<String, AuditEvent> found :
                    store.findAll(ownerId, missing).entrySet()) {
                events.put(found.getKey(), new Written(found.getValue(), null));
            }
        }
        List<Result> results = new ArrayList<>();
        for (JsonNode entry : outcome) {
            int index = entry.path("index").asInt();
            if (STORED.equals(entry.path("outcome").asText())) {
                Written event = stored(events, entry);
                results.add(new Result(index, event.event(), event.json(), null, List.of()));
            } else {
                results.add(new Result(
                        index,
                        null,
                        null,
                        Failure.valueOf(entry.path("outcome").asText()),
                        ErrorDetail.fromJson(entry.path("errors"))));
            }
        }
        if (!batch && !results.get(0).stored()) {
            throw new ServiceException(results.get(0).failure(), results.get(0).errors());
        }
        return new Outcome(batch, results, replayed);
    }

    private static Written stored(Map<String, Written> events, JsonNode entry) {
        Written event = events.get(entry.path("id").asText());
        if (event == null) {
            throw new IllegalStateException("recorded event " + entry.path("id").asText() + " is not in the store");
        }
        return event;
    }
}
