package eduledger.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.metrics.Counts;
import eduledger.storage.IdempotencyRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Edlink's idempotency on a write route: {@code $idempotency} (query) or {@code Idempotency-Key}
 * (header). The first request with a key runs and its answer is recorded in the owner's {@link
 * IdempotencyRecords}; a repeat within retention gets that answer back, with the {@link
 * #REPLAYED} warning, and writes nothing; the same key on another request (method, path, query or
 * body) is a 409. A request that fails records nothing, so a corrected repeat runs.
 */
public final class IdempotentWrites {
    public static final String PARAMETER = "$idempotency";
    public static final String HEADER = "idempotency-key";
    public static final Set<String> PARAMETERS = Set.of(PARAMETER);
    public static final String REPLAYED = "IDEMPOTENT_REPLAY";

    /**
     * How long a claim may stay pending before a repeat may take it over: longer than any
     * function's timeout, so only a request that died without finishing loses its claim.
     */
    static final Duration LEASE = Duration.ofMinutes(2);

    /** Answers larger than this are not kept whole; a control-table item holds at most 400 KB. */
    static final int MAX_RECORDED_BYTES = 300_000;

    private final IdempotencyRecords records;

    public IdempotentWrites(Services services) {
        this.records = new IdempotencyRecords(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention());
    }

    /** The request's idempotency key, or null; both forms at once must agree. */
    public static String key(ApiRequest request) {
        String query = request.query(PARAMETER);
        String header = request.header(HEADER);
        if (query != null && header != null && !query.equals(header)) {
            throw ServiceException.badRequest(
                    "INVALID_IDEMPOTENCY_KEY", "$idempotency and Idempotency-Key differ; send one of them.");
        }
        String key = query != null ? query : header;
        if (key != null) {
            IdempotencyRecords.check(key);
        }
        return key;
    }

    public static ErrorDetail replayed() {
        return ErrorDetail.of(
                REPLAYED,
                "A request with this idempotency key was already processed; this is its answer, and nothing"
                        + " was written again.");
    }

    public Router.Action wrap(Router.Action action) {
        return wrap(action, UnaryOperator.identity());
    }

    /**
     * @param recorded what of the answer's data is kept for a replay: a secret shown once (a new
     *     token) must not be stored, so its route drops it here and the replay says so
     */
    public Router.Action wrap(Router.Action action, UnaryOperator<JsonNode> recorded) {
        return (request, caller) -> {
            String key = key(request);
            if (key == null) {
                return action.handle(request, caller);
            }
            String owner = caller.integrationId();
            String hash = IdempotencyRecords.hash(fingerprint(request));
            IdempotencyRecords.Claim claim = records.claimExclusive(owner, key, hash, LEASE);
            if (claim.outcome() != null) {
                Counts.add(Counts.IDEMPOTENT_REPLAYS, 1);
                return replay(claim.outcome());
            }
            Reply reply;
            try {
                reply = action.handle(request, caller);
            } catch (RuntimeException e) {
                records.release(owner, key, hash);
                throw e;
            }
            records.complete(owner, key, record(reply, recorded));
            return reply;
        };
    }

    private Reply replay(JsonNode outcome) {
        List<ErrorDetail> warnings = new ArrayList<>(ErrorDetail.fromJson(outcome.path("warnings")));
        warnings.addAll(ErrorDetail.fromJson(outcome.path("withheld")));
        warnings.add(replayed());
        return new Reply(
                        outcome.path("status").asInt(),
                        outcome.get("data"),
                        List.of(),
                        outcome.hasNonNull("next") ? outcome.get("next").asText() : null)
                .withWarnings(warnings);
    }

    private static JsonNode record(Reply reply, UnaryOperator<JsonNode> recorded) {
        ObjectNode outcome = Json.object();
        outcome.put("status", reply.status());
        JsonNode data =
                reply.data() == null ? null : recorded.apply(reply.data().deepCopy());
        outcome.set("data", data);
        outcome.set("warnings", ErrorDetail.toJson(reply.warnings()));
        if (reply.next() != null) {
            outcome.put("next", reply.next());
        }
        List<ErrorDetail> withheld = new ArrayList<>();
        if (data != null && !data.equals(reply.data())) {
            withheld.add(ErrorDetail.of(
                    "SECRET_NOT_REPLAYED", "What this answer showed once (a new secret) is not shown again."));
        }
        if (Json.write(outcome).getBytes(StandardCharsets.UTF_8).length > MAX_RECORDED_BYTES) {
            outcome.putNull("data");
            withheld.add(ErrorDetail.of(
                    "REPLAY_TOO_LARGE",
                    "The first answer was too large to keep; its status is repeated, its body is not."));
        }
        outcome.set("withheld", ErrorDetail.toJson(withheld));
        return outcome;
    }

    /** What must match for a repeat to count as the same request: method, path, query and body. */
    private static String fingerprint(ApiRequest request) {
        Map<String, String> query = new TreeMap<>(request.queryParameters());
        query.remove(PARAMETER);
        String body = request.bodyText();
        String canonical = body.isBlank() ? "" : Json.write(request.jsonBody());
        return request.method() + " " + request.path() + "\n" + query + "\n" + canonical;
    }
}
