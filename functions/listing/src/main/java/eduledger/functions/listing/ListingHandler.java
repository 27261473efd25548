package eduledger.functions.listing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.audit.AuditQuery;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.http.ApiException;
import eduledger.http.ApiRequest;
import eduledger.http.Json;
import eduledger.http.PageRequest;
import eduledger.http.Reply;
import eduledger.http.Router;
import eduledger.runtime.Priming;
import eduledger.runtime.Services;
import eduledger.storage.Page;

/** Cursor-paginated reads of the graph and audit event feeds, oldest first. */
public final class ListingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final AuditEventStore auditEvents;
    private final Router router;

    public ListingHandler() {
        this(Services.fromEnvironment());
        Priming.register(router::prime);
    }

    public ListingHandler(Services services) {
        this.auditEvents = new AuditEventStore(services.dynamo(), services.tables(), services.clock(),
                services.settings().retention());
        this.router = new Router(services.authenticator())
                .on("GET /api/v2/audit/events", Scope.AUDIT_READ, this::listAuditEvents)
                .on("GET /api/v2/audit/events/{id}", Scope.AUDIT_READ, this::getAuditEvent);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    private Reply listAuditEvents(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request);
        Page<AuditEvent> events = auditEvents.list(caller.integrationId(), AuditQuery.from(request), page);
        ArrayNode data = Json.MAPPER.createArrayNode();
        events.items().forEach(event -> data.add(event.toJson()));
        String next = null;
        if (events.more() && !events.items().isEmpty()) {
            AuditEvent edge = page.forward() ? events.items().get(events.items().size() - 1) : events.items().get(0);
            next = page.nextUrl(request, edge.id());
        }
        return Reply.page(data, next);
    }

    private Reply getAuditEvent(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        AuditEvent event = auditEvents.find(caller.integrationId(), id).orElseThrow(() -> ApiException.notFound(
                "EVENT_NOT_FOUND", "No audit event " + id + " in this integration within the retention period."));
        return Reply.ok(event.toJson()).withWarnings(event.warnings());
    }
}
