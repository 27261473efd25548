package eduledger.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditIngestion;
import eduledger.audit.ScopeAccess;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ErrorDetail;
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.BatchResult;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.IdempotentWrites;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.schemas.JsonSchemas;
import java.util.ArrayList;
import java.util.List;

/**
 * Audit event ingestion: one event or a batch, validated against each action's newest schema. The
 * caller is an application with its secret key (or an integration that belongs to none, with its
 * token); see {@link ScopeAccess}.
 */
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
                .limitedBy(services.rateLimiter(), services.settings().tenantLimit())
                .on("POST /api/v2/audit/events", Scope.AUDIT_WRITE, IdempotentWrites.PARAMETERS, this::ingest);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    /** A single event answers 201 with the event; a batch answers 200 with one result, and status, per event. */
    private Reply ingest(ApiRequest request, Caller caller) {
        ScopeAccess access = ScopeAccess.of(
                services.dynamo(), services.tables(), services.clock(), caller, services.recentIntegrations());
        AuditIngestion.Outcome outcome = ingestion.submit(access, request.jsonBody(), IdempotentWrites.key(request));
        List<ErrorDetail> replayed = outcome.replayed() ? List.of(IdempotentWrites.replayed()) : List.of();
        if (!outcome.batch()) {
            List<ErrorDetail> warnings = new ArrayList<>(outcome.event().warnings());
            warnings.addAll(replayed);
            AuditIngestion.Result result = outcome.results().get(0);
            return Reply.created(access.render(result.event(), result.json())).withWarnings(warnings);
        }
        List<BatchResult> results = new ArrayList<>();
        for (AuditIngestion.Result result : outcome.results()) {
            if (result.stored()) {
                ObjectNode event = Json.object().set("event", access.render(result.event(), result.json()));
                results.add(BatchResult.applied(
                        result.index(), 201, event, result.event().warnings()));
            } else {
                results.add(BatchResult.refused(result.index(), result.failure(), null, result.errors()));
            }
        }
        return BatchResult.reply(results).withWarnings(replayed);
    }
}
