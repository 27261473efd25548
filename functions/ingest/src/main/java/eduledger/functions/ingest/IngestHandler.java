package eduledger.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.ScopeAccess;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.IdempotentWrites;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.lambda.Statuses;
import eduledger.schemas.JsonSchemas;
import java.util.ArrayList;
import java.util.List;

/** Audit event ingestion: one event or a batch, validated against each action's newest schema. */
public final class IngestHandler implements HttpFunction {
    private final AuditIngestion ingestion;
    private final Router router;
    private final Services services;

    public IngestHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public IngestHandler(Services services) {
        this.services = services;
        this.ingestion = new AuditIngestion(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                new JsonSchemas());
        this.router = new Router(services.authenticator())
                .on("POST /api/v2/audit/events", Scope.AUDIT_WRITE, IdempotentWrites.PARAMETERS, this::ingest);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    /** A single event answers 201 with the event; a batch answers 200 with one result, and status, per event. */
    private Reply ingest(ApiRequest request, Caller caller) {
        AuditIngestion.Outcome outcome =
                ingestion.submit(caller.integrationId(), request.jsonBody(), IdempotentWrites.key(request));
        ScopeAccess access =
                new ScopeAccess(services.dynamo(), services.tables(), services.clock(), caller.integrationId());
        List<ErrorDetail> replayed = outcome.replayed() ? List.of(IdempotentWrites.replayed()) : List.of();
        if (!outcome.batch()) {
            List<ErrorDetail> warnings = new ArrayList<>(outcome.event().warnings());
            warnings.addAll(replayed);
            return Reply.created(access.render(outcome.event())).withWarnings(warnings);
        }
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (AuditIngestion.Result result : outcome.results()) {
            ObjectNode item = results.addObject().put("index", result.index());
            if (result.stored()) {
                item.put("status", 201).set("event", access.render(result.event()));
                item.set("warnings", ErrorDetail.toJson(result.event().warnings()));
            } else {
                item.put("status", Statuses.of(result.failure()));
                item.set("errors", ErrorDetail.toJson(result.errors()));
            }
        }
        return Reply.ok(results).withWarnings(replayed);
    }
}
