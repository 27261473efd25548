package eduledger.audit;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.number;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Tokens;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.storage.Keys;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency keys of write requests, in the control table (key design in {@link AuditKeys}). The first
 * request with a key claims it with a conditional put and fixes the time its event ids derive from;
 * a retry, concurrent or later, gets that time back (and so writes the very same items) or, once one
 * request has finished, the recorded outcome.
 */
public final class IdempotencyRecords {
    public static final int MAX_KEY_LENGTH = 255;

    /** A claimed key: the time its events are made at, and the outcome when a request already finished. */
    public record Claim(Instant startedAt, JsonNode outcome) {}

    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyRecords(DynamoDbClient dynamo, Tables tables, Clock clock, Duration retention) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
        this.retention = retention;
    }

    public static void check(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw ServiceException.badRequest(
                    "INVALID_IDEMPOTENCY_KEY", "An idempotency key is 1 to " + MAX_KEY_LENGTH + " characters.");
        }
    }

    public Claim claim(String integrationId, String idempotencyKey, String requestHash) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(recordKey(integrationId, idempotencyKey));
        item.put("started_at", s(now.toString()));
        item.put("request_hash", s(requestHash));
        item.put(Keys.EXPIRES_AT, n(now.plus(retention).getEpochSecond()));
        try {
            // An expired record TTL has not deleted yet counts as absent.
            dynamo.putItem(b -> b.tableName(tables.control())
                    .item(item)
                    .conditionExpression("attribute_not_exists(pk) OR expires_at < :now")
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
            return new Claim(now, null);
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> existing = read(integrationId, idempotencyKey);
            if (!requestHash.equals(string(existing, "request_hash"))) {
                throw new ServiceException(
                        Failure.CONFLICT,
                        "IDEMPOTENCY_KEY_REUSED",
                        "This idempotency key was used with a different request body.");
            }
            String outcome = string(existing, "outcome");
            return new Claim(
                    Instant.parse(string(existing, "started_at")), outcome == null ? null : Json.readStored(outcome));
        }
    }

    /** Records the outcome unless a concurrent retry recorded one first; returns the one that stands. */
    public JsonNode complete(String integrationId, String idempotencyKey, JsonNode outcome) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.control())
                    .key(recordKey(integrationId, idempotencyKey))
                    .updateExpression("SET outcome = :outcome")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(outcome)")
                    .expressionAttributeValues(Map.of(":outcome", s(Json.write(outcome)))));
            return outcome;
        } catch (ConditionalCheckFailedException first) {
            String stored = string(read(integrationId, idempotencyKey), "outcome");
            return stored == null ? outcome : Json.readStored(stored);
        }
    }

    private Map<String, AttributeValue> read(String integrationId, String idempotencyKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(recordKey(integrationId, idempotencyKey))
                        .consistentRead(true))
                .item();
        if (item == null
                || item.isEmpty()
                || number(item, Keys.EXPIRES_AT) < clock.instant().getEpochSecond()) {
            // Deleted or expired between our conditional put and this read: ask for a retry.
            throw new ServiceException(Failure.CONFLICT, "IDEMPOTENCY_KEY_BUSY", "Retry the request.");
        }
        return item;
    }

    private static Map<String, AttributeValue> recordKey(String integrationId, String idempotencyKey) {
        // Hashed: keys are client text of any shape, and a fixed-length key keeps the item small.
        return key(AuditKeys.idempotency(integrationId, Tokens.hash(idempotencyKey)), AuditKeys.IDEMPOTENCY_SK);
    }
}
