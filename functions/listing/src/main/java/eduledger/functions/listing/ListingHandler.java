package eduledger.functions.listing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.audit.AuditQuery;
import eduledger.audit.AuditScope;
import eduledger.audit.EventSubmission;
import eduledger.audit.ScopeAccess;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ServiceException;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventReader;
import eduledger.graph.GraphFeed;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.paging.PageRequest;

/** Cursor-paginated reads of the graph event feed (oldest first) and of audit events per scope (newest first). */
public final class ListingHandler implements HttpFunction {
    private final AuditEventStore auditEvents;
    private final GraphEventReader graphEvents;
    private final Router router;
    private final Services services;

    public ListingHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public ListingHandler(Services services) {
        this.auditEvents = new AuditEventStore(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention());
        this.services = services;
        this.graphEvents = services.graphEventReader();
        this.router = new Router(services.authenticator())
                .on("GET /api/v2/graph/events", Scope.GRAPH_READ, this::listGraphEvents)
                .on("GET /api/v2/graph/events/{id}", Scope.GRAPH_READ, this::getGraphEvent)
                .on("GET /api/v2/audit/events/{scope_id}/{scope_type}", Scope.AUDIT_READ, this::listAuditEvents)
                .on("GET /api/v2/audit/events/{id}", Scope.AUDIT_READ, this::getAuditEvent);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    /** The caller's feed, oldest first; {@code type} narrows it to one event type. */
    private Reply listGraphEvents(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request::query);
        String type = request.query("type");
        return Reply.page(
                request,
                page,
                graphEvents.list(
                        caller.integrationId(),
                        page,
                        type == null || type.isBlank() ? null : GraphFeed.checkType(type)),
                GraphEvent::toJson,
                GraphEvent::id);
    }

    private Reply getGraphEvent(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        return Reply.ok(graphEvents
                .find(caller.integrationId(), id)
                .orElseThrow(
                        () -> ServiceException.notFound("EVENT_NOT_FOUND", "This integration has no event " + id + "."))
                .toJson());
    }

    /** One scope's events, newest first; a scope this integration may not read is as if it did not exist. */
    private Reply listAuditEvents(ApiRequest request, Caller caller) {
        String scopeType = request.pathParameter("scope_type");
        if (!EventSubmission.SCOPE_TYPES.contains(scopeType)) {
            throw ServiceException.badRequest("INVALID_SCOPE_TYPE", "The scope type is integration or institution.");
        }
        AuditScope scope = new AuditScope(request.pathParameter("scope_id"), scopeType);
        ScopeAccess access = access(caller);
        if (!access.allows(scope)) {
            throw ServiceException.notFound(
                    "SCOPE_NOT_FOUND", "This integration has no audit log for " + scopeType + " " + scope.id() + ".");
        }
        PageRequest page = PageRequest.from(request::query);
        return Reply.page(
                request,
                page,
                auditEvents.list(caller.integrationId(), scope, AuditQuery.from(request::query), page),
                access::render,
                AuditEvent::id);
    }

    private Reply getAuditEvent(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        AuditEvent event = auditEvents
                .find(caller.integrationId(), id)
                .orElseThrow(() -> ServiceException.notFound(
                        "EVENT_NOT_FOUND",
                        "No audit event " + id + " in this integration within the retention period."));
        return Reply.ok(access(caller).render(event)).withWarnings(event.warnings());
    }

    private ScopeAccess access(Caller caller) {
        return new ScopeAccess(services.dynamo(), services.tables(), services.clock(), caller.integrationId());
    }
}
