package eduledger.functions.source;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.BatchResult;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.IdempotentWrites;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.RosterStore.WriteResult;
import eduledger.roster.SourceWrite;
import eduledger.roster.SourceWriteHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * Source writes: how a sync job changes the platform roster. Only the roster item is written here;
 * the roster table's stream turns each real change into graph events.
 */
public final class SourceHandler implements HttpFunction {
    public static final int MAX_BATCH = 100;

    private final RosterStore roster;
    private final Router router;

    public SourceHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public SourceHandler(Services services) {
        this.roster = new RosterStore(services.dynamo(), services.tables(), services.clock());
        IdempotentWrites writes = new IdempotentWrites(services);
        this.router = new Router(services.authenticator())
                .limitedBy(services.rateLimiter(), services.settings().tenantLimit())
                .on(
                        "PUT /api/v2/source/{collection}/{id}",
                        Scope.SOURCE_WRITE,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::put))
                .on(
                        "DELETE /api/v2/source/{collection}/{id}",
                        Scope.SOURCE_WRITE,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::delete))
                .on(
                        "POST /api/v2/source/batch",
                        Scope.SOURCE_WRITE,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::batch));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    private Reply put(ApiRequest request, Caller caller) {
        RosterCollection collection = collection(request.pathParameter("collection"));
        WriteResult result = roster.put(
                collection, request.pathParameter("id"), request.jsonBody(), SourceWriteHeaders.from(request::header));
        ObjectNode data = outcome(collection, request.pathParameter("id"), result);
        return result.created() ? Reply.created(data) : Reply.ok(data);
    }

    private Reply delete(ApiRequest request, Caller caller) {
        RosterCollection collection = collection(request.pathParameter("collection"));
        String id = request.pathParameter("id");
        return Reply.ok(
                outcome(collection, id, roster.delete(collection, id, SourceWriteHeaders.from(request::header))));
    }

    /** Up to {@value #MAX_BATCH} puts and deletes, applied in order; each succeeds or fails on its own. */
    private Reply batch(ApiRequest request, Caller caller) {
        JsonNode body = request.jsonBody();
        if (!body.isObject() || body.size() != 1 || !body.has("operations")) {
            // Anything beside operations would be silently ignored: say so instead.
            throw ServiceException.badRequest(
                    "INVALID_BATCH", "A batch body is {\"operations\": [...]} and nothing else.");
        }
        JsonNode operations = body.path("operations");
        if (!operations.isArray() || operations.isEmpty() || operations.size() > MAX_BATCH) {
            throw ServiceException.badRequest(
                    "INVALID_BATCH",
                    "operations must be an array of 1 to " + MAX_BATCH
                            + " {\"method\": \"PUT\"|\"DELETE\", \"collection\", \"id\", \"data\"} entries.");
        }
        SourceWrite provenance = SourceWriteHeaders.from(request::header);
        List<BatchResult> results = new ArrayList<>();
        for (JsonNode operation : operations) {
            int index = results.size();
            String id = operation.path("id").asText(null);
            try {
                RosterCollection collection =
                        collection(operation.path("collection").asText(""));
                RosterStore.checkId(id);
                WriteResult result = switch (operation.path("method").asText("")) {
                    case "PUT" -> roster.put(collection, id, operation.get("data"), provenance);
                    case "DELETE" -> roster.delete(collection, id, provenance);
                    default -> throw ServiceException.badRequest("INVALID_METHOD", "method must be PUT or DELETE.");
                };
                results.add(BatchResult.applied(
                        index, result.created() ? 201 : 200, outcome(collection, id, result), null));
            } catch (ServiceException e) {
                ObjectNode named = Json.object();
                named.put("collection", operation.path("collection").asText(null));
                named.put("id", id);
                results.add(BatchResult.refused(index, named, e));
            }
        }
        return BatchResult.reply(results);
    }

    private static ObjectNode outcome(RosterCollection collection, String id, WriteResult result) {
        ObjectNode data = Json.object();
        data.put("collection", collection.id());
        data.put("id", id);
        data.put("changed", result.changed());
        if (result.object() != null) {
            data.set("object", result.object().data());
        }
        return data;
    }

    private static RosterCollection collection(String id) {
        return RosterCollection.parse(id)
                .orElseThrow(() -> ServiceException.notFound(
                        "UNKNOWN_COLLECTION",
                        "No roster collection " + id + "; the collections are " + RosterCollection.allIds() + "."));
    }
}
