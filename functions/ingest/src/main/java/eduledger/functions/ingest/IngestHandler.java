package eduledger.functions.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.audit.AuditIngestion;
import eduledger.audit.IdempotencyRecords;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ServiceException;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Priming;
import eduledger.lambda.Services;
import eduledger.schemas.JsonSchemas;

/** Audit event ingestion: one event or a batch, validated against each action's newest schema. */
public final class IngestHandler implements HttpFunction {
    private final AuditIngestion ingestion;
    private final Router router;

    public IngestHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public IngestHandler(Services services) {
        // One JsonSchemas per container: compiled schemas are cached in it by version id.
        this.ingestion = new AuditIngestion(services, new JsonSchemas());
        this.router = new Router(services.authenticator())
                .on("POST /api/v2/audit/events", Scope.AUDIT_WRITE, this::ingest);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    private Reply ingest(ApiRequest request, Caller caller) {
        return ingestion.submit(caller.integrationId(), request.jsonBody(), idempotencyKey(request));
    }

    private static String idempotencyKey(ApiRequest request) {
        String query = request.query("$idempotency");
        String header = request.header("idempotency-key");
        if (query != null && header != null && !query.equals(header)) {
            throw ServiceException.badRequest("INVALID_IDEMPOTENCY_KEY",
                    "$idempotency and Idempotency-Key differ; send one of them.");
        }
        String key = query != null ? query : header;
        if (key != null) {
            IdempotencyRecords.check(key);
        }
        return key;
    }
}
