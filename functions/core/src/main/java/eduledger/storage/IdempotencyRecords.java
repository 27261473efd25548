package eduledger.storage;

import static eduledger.storage.Attributes.key;
import static eduledger.storage.Attributes.n;
import static eduledger.storage.Attributes.number;
import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency keys of write requests, one record per owner and key in the control table, for every
 * write path (design in {@code docs/data-model.md}, "idempotency records"):
 *
 * <pre>
 * pk  IDEMPOTENCY#{ownerId}#{sha256(key)}    sk  IDEMPOTENCY
 * </pre>
 *
 * The first request with a key claims it with a conditional put, fixing the time it started and the
 * hash of what it asked; a repeat gets that claim back, or, once one request has finished, the
 * recorded outcome. The same key with another request hash is a 409.
 *
 * <p>Two ways to use a claim. {@link #claim} lets concurrent repeats all proceed from the same start
 * time, for writes that derive their item keys from it and so write the very same items. {@link
 * #claimExclusive} lets one request at a time proceed: a repeat while the first is still running is
 * told to retry, and a pending claim older than the lease (a request that died without finishing or
 * releasing) can be taken over.
 */
public final class IdempotencyRecords {
    public static final int MAX_KEY_LENGTH = 255;
    public static final String SK = "IDEMPOTENCY";

    /**
     * A claimed key: the time its request started, the outcome when a request already finished, and
     * whether this call made the claim.
     */
    public record Claim(Instant startedAt, JsonNode outcome, boolean fresh) {}

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

    public static String partition(String ownerId, String keyHash) {
        return "IDEMPOTENCY#" + ownerId + "#" + keyHash;
    }

    public static void check(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw ServiceException.badRequest(
                    "INVALID_IDEMPOTENCY_KEY", "An idempotency key is 1 to " + MAX_KEY_LENGTH + " characters.");
        }
    }

    /** A fixed-length fingerprint of a request (or of anything else that must match on a repeat). */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** Claims the key, or returns the standing claim; concurrent repeats share one start time. */
    public Claim claim(String ownerId, String idempotencyKey, String requestHash) {
        return claim(ownerId, idempotencyKey, requestHash, null);
    }

    /**
     * Claims the key for this request alone. A finished request's outcome comes back for replay; a
     * pending claim younger than {@code lease} is a 409 that asks for a retry.
     */
    public Claim claimExclusive(String ownerId, String idempotencyKey, String requestHash, Duration lease) {
        Claim claim = claim(ownerId, idempotencyKey, requestHash, lease);
        if (!claim.fresh() && claim.outcome() == null) {
            throw busy();
        }
        return claim;
    }

    private Claim claim(String ownerId, String idempotencyKey, String requestHash, Duration lease) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(recordKey(ownerId, idempotencyKey));
        item.put("started_at", s(now.toString()));
        item.put("started_ms", n(now.toEpochMilli()));
        item.put("request_hash", s(requestHash));
        item.put(Keys.EXPIRES_AT, n(now.plus(retention).getEpochSecond()));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", n(now.getEpochSecond()));
        // An expired record TTL has not deleted yet counts as absent.
        String condition = "attribute_not_exists(pk) OR expires_at < :now";
        if (lease != null) {
            condition += " OR (attribute_not_exists(outcome) AND request_hash = :hash AND started_ms < :stale)";
            values.put(":hash", s(requestHash));
            values.put(":stale", n(now.minus(lease).toEpochMilli()));
        }
        String finalCondition = condition;
        try {
            dynamo.putItem(b -> b.tableName(tables.control())
                    .item(item)
                    .conditionExpression(finalCondition)
                    .expressionAttributeValues(values));
            return new Claim(now, null, true);
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> existing = read(ownerId, idempotencyKey);
            if (!requestHash.equals(string(existing, "request_hash"))) {
                throw new ServiceException(
                        Failure.CONFLICT,
                        "IDEMPOTENCY_KEY_REUSED",
                        "This idempotency key was used with a different request.");
            }
            String outcome = string(existing, "outcome");
            return new Claim(
                    Instant.parse(string(existing, "started_at")),
                    outcome == null ? null : Json.readStored(outcome),
                    false);
        }
    }

    /** Records the outcome unless a concurrent retry recorded one first; returns the one that stands. */
    public JsonNode complete(String ownerId, String idempotencyKey, JsonNode outcome) {
        try {
            dynamo.updateItem(b -> b.tableName(tables.control())
                    .key(recordKey(ownerId, idempotencyKey))
                    .updateExpression("SET outcome = :outcome")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(outcome)")
                    .expressionAttributeValues(Map.of(":outcome", s(Json.write(outcome)))));
            return outcome;
        } catch (ConditionalCheckFailedException first) {
            String stored = string(read(ownerId, idempotencyKey), "outcome");
            return stored == null ? outcome : Json.readStored(stored);
        }
    }

    /**
     * Gives a pending claim up, so a repeat runs the request again: for a request that failed and
     * wrote nothing. A finished record stays.
     */
    public void release(String ownerId, String idempotencyKey, String requestHash) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.control())
                    .key(recordKey(ownerId, idempotencyKey))
                    .conditionExpression("attribute_not_exists(outcome) AND request_hash = :hash")
                    .expressionAttributeValues(Map.of(":hash", s(requestHash))));
        } catch (ConditionalCheckFailedException finished) {
            // Recorded (or taken over) meanwhile: that record stands.
        }
    }

    private Map<String, AttributeValue> read(String ownerId, String idempotencyKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.control())
                        .key(recordKey(ownerId, idempotencyKey))
                        .consistentRead(true))
                .item();
        if (item == null
                || item.isEmpty()
                || number(item, Keys.EXPIRES_AT) < clock.instant().getEpochSecond()) {
            // Deleted or expired between our conditional put and this read: ask for a retry.
            throw busy();
        }
        return item;
    }

    private static ServiceException busy() {
        return new ServiceException(
                Failure.CONFLICT,
                "IDEMPOTENCY_KEY_BUSY",
                "A request with this idempotency key is still being processed; retry the request.");
    }

    private static Map<String, AttributeValue> recordKey(String ownerId, String idempotencyKey) {
        // Hashed: keys are client text of any shape, and a fixed-length key keeps the item small.
        return key(partition(ownerId, hash(idempotencyKey)), SK);
    }
}
