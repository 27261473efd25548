package eduledger.functions.listing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.paging.PageRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Cursor-paginated reads of the graph event feed (oldest first) and of audit events per scope (newest first). */
public final class ListingHandler implements HttpFunction {
    private static final Set<String> GRAPH_LIST_PARAMETERS = with(PageRequest.PARAMETERS, "type", "target");
    private static final Set<String> AUDIT_LIST_PARAMETERS =
            with(with(PageRequest.PARAMETERS, AuditQuery.PARAMETERS.toArray(String[]::new)), "context.query");

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
                services.settings().retention(),
                services.shardLayouts());
        this.services = services;
        this.graphEvents = services.graphEventReader();
        this.router = new Router(services.authenticator())
                .on("GET /api/v2/graph/events", Scope.GRAPH_READ, GRAPH_LIST_PARAMETERS, this::listGraphEvents)
                .on("GET /api/v2/graph/events/{id}", Scope.GRAPH_READ, this::getGraphEvent)
                .on(
                        "GET /api/v2/audit/events/{scope_id}/{scope_type}",
                        Scope.AUDIT_READ,
                        AUDIT_LIST_PARAMETERS,
                        this::listAuditEvents)
                .on("GET /api/v2/audit/events/{id}", Scope.AUDIT_READ, this::getAuditEvent);
    }

    private static Set<String> with(Set<String> paging, String... filters) {
        Set<String> all = new HashSet<>(paging);
        all.addAll(List.of(filters));
        return Set.copyOf(all);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    /**
     * The caller's feed; {@code type} narrows it to one event type. {@code $first}/{@code $after}
     * pages come oldest first, {@code $last}/{@code $before} pages newest first, as Edlink's paging
     * guide has it.
     */
    private Reply listGraphEvents(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request::query);
        Reply reply = Reply.page(
                request,
                page,
                graphEvents.list(caller.integrationId(), page, types(request)),
                GraphEvent::toJson,
                GraphEvent::id);
        return page.forward() ? reply : newestFirst(reply);
    }

    /** The types {@code type} and {@code target} leave, both applied; null when neither is given. */
    private static List<String> types(ApiRequest request) {
        String type = request.query("type");
        String target = request.query("target");
        List<String> types = null;
        if (target != null && !target.isBlank()) {
            types = GraphFeed.typesOfTarget(target);
        }
        if (type != null && !type.isBlank()) {
            String checked = GraphFeed.checkType(type);
            types = types == null || types.contains(checked) ? List.of(checked) : List.of();
        }
        return types;
    }

    private static Reply newestFirst(Reply reply) {
        ArrayNode reversed = Json.MAPPER.createArrayNode();
        for (int i = reply.data().size() - 1; i >= 0; i--) {
            reversed.add(reply.data().get(i));
        }
        return Reply.page(reversed, reply.next());
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
