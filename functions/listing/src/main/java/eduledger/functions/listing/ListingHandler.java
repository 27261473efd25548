package eduledger.functions.listing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.audit.AuditJoin;
import eduledger.audit.AuditQuery;
import eduledger.audit.AuditScope;
import eduledger.audit.EventSubmission;
import eduledger.audit.ScopeAccess;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ErrorDetail;
import eduledger.errors.ServiceException;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventReader;
import eduledger.graph.GraphFeed;
import eduledger.integrations.Integration;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.EdlinkFilter;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.paging.PageRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cursor-paginated reads of the graph event feed (oldest first) and of audit events per scope
 * (newest first), and Edlink's meta routes: an application's integrations, an integration itself.
 */
public final class ListingHandler implements HttpFunction {
    private static final Set<String> GRAPH_LIST_PARAMETERS =
            with(PageRequest.PARAMETERS, "type", "target", "target_id", EdlinkFilter.PARAMETER);
    /** What Edlink's {@code $filter} can narrow the graph feed by, each a key condition. */
    private static final Set<String> GRAPH_FILTER_FIELDS = Set.of("type", "target", "target_id");
    /**
     * The event's time, as {@code created_date} (its name in the events this API renders) or {@code
     * date} (its name in Edlink's v2 event samples): a range of the time-ordered ids.
     */
    private static final Set<String> GRAPH_FILTER_DATES = Set.of("created_date", "date");

    private static final Set<String> AUDIT_LIST_PARAMETERS =
            with(PageRequest.PARAMETERS, AuditQuery.PARAMETERS.toArray(String[]::new));

    private final AuditEventStore auditEvents;
    private final AuditJoin auditJoin;
    private final GraphEventReader graphEvents;
    private final Router router;
    private final Services services;

    public ListingHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public ListingHandler(Services services) {
        this(services, AuditJoin.Budget.DEFAULT);
    }

    /** With the work one page of several audit filters may do: see {@link AuditJoin}. */
    ListingHandler(Services services, AuditJoin.Budget joinBudget) {
        this.auditEvents = new AuditEventStore(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                services.shardLayouts());
        this.auditJoin = new AuditJoin(
                auditEvents,
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention(),
                services.shardLayouts(),
                joinBudget);
        this.services = services;
        this.graphEvents = services.graphEventReader();
        this.router = new Router(services.authenticator())
                .limitedBy(services.rateLimiter(), services.settings().tenantLimit())
                .on("GET /api/v2/graph/events", Scope.GRAPH_READ, GRAPH_LIST_PARAMETERS, this::listGraphEvents)
                .on("GET /api/v2/graph/events/{id}", Scope.GRAPH_READ, this::getGraphEvent)
                .on(
                        "GET /api/v2/audit/events/{scope_id}/{scope_type}",
                        Scope.AUDIT_READ,
                        AUDIT_LIST_PARAMETERS,
                        this::listAuditEvents)
                .on("GET /api/v2/audit/events/{id}", Scope.AUDIT_READ, this::getAuditEvent)
                .on("GET /api/v1/integrations", Scope.APPLICATION, PageRequest.PARAMETERS, this::listIntegrations)
                .on("GET /api/v1/integrations/{id}", Scope.APPLICATION, this::getIntegration)
                .onIntegration("GET /api/v2/my/integration", this::myIntegration);
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
     * The caller's feed, narrowed by {@code type}, {@code target} and {@code target_id}, as query
     * parameters or in Edlink's {@code $filter}, and by {@code created_date} bounds in {@code
     * $filter}, all applied together. {@code $first}/{@code $after}
     * pages come oldest first, {@code $last}/{@code $before} pages newest first, as Edlink's paging
     * guide has it.
     */
    private Reply listGraphEvents(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request::query);
        EdlinkFilter filter =
                EdlinkFilter.parse(request.query(EdlinkFilter.PARAMETER), GRAPH_FILTER_FIELDS, GRAPH_FILTER_DATES);
        Reply reply = Reply.page(
                request,
                page,
                graphEvents.list(
                        caller.integrationId(),
                        page,
                        types(request, filter),
                        targetIds(request, filter),
                        filter.from(),
                        filter.until()),
                GraphEvent::toJson,
                GraphEvent::id);
        return page.forward() ? reply : reply.reversed();
    }

    /** The types every type and target constraint leaves; null when none is given. */
    private static List<String> types(ApiRequest request, EdlinkFilter filter) {
        List<String> types = null;
        for (List<String> targets : Arrays.asList(given(request.query("target")), filter.values("target"))) {
            if (targets != null) {
                List<String> ofTargets = new ArrayList<>();
                targets.forEach(target -> ofTargets.addAll(GraphFeed.typesOfTarget(target)));
                types = EdlinkFilter.both(types, ofTargets);
            }
        }
        for (List<String> named : Arrays.asList(given(request.query("type")), filter.values("type"))) {
            if (named != null) {
                named.forEach(GraphFeed::checkType);
                types = EdlinkFilter.both(types, named);
            }
        }
        return types;
    }

    /** The objects every target_id constraint leaves; null when none is given. */
    private static List<String> targetIds(ApiRequest request, EdlinkFilter filter) {
        return EdlinkFilter.both(given(request.query("target_id")), filter.values("target_id"));
    }

    private static List<String> given(String parameter) {
        return parameter == null || parameter.isBlank() ? null : List.of(parameter);
    }

    private Reply getGraphEvent(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        return Reply.ok(graphEvents
                .find(caller.integrationId(), id)
                .orElseThrow(
                        () -> ServiceException.notFound("EVENT_NOT_FOUND", "This integration has no event " + id + "."))
                .toJson());
    }

    /** One scope's events, newest first; a scope the caller may not read is as if it did not exist. */
    private Reply listAuditEvents(ApiRequest request, Caller caller) {
        String scopeType = request.pathParameter("scope_type");
        if (!EventSubmission.SCOPE_TYPES.contains(scopeType)) {
            throw ServiceException.badRequest("INVALID_SCOPE_TYPE", "The scope type is integration or institution.");
        }
        AuditScope scope = new AuditScope(request.pathParameter("scope_id"), scopeType);
        ScopeAccess access = access(caller);
        if (!access.allows(scope)) {
            throw ServiceException.notFound(
                    "SCOPE_NOT_FOUND", "There is no audit log for " + scopeType + " " + scope.id() + " here.");
        }
        PageRequest page = PageRequest.from(request::query);
        AuditQuery query = AuditQuery.from(request::query);
        if (!query.joined()) {
            return Reply.page(
                    request,
                    page,
                    auditEvents.list(access.ownerId(), scope, query, page),
                    access::render,
                    AuditEventStore.Stored::id);
        }
        AuditJoin.Joined joined = auditJoin.list(access.ownerId(), scope, query, page);
        Reply reply = Reply.page(request, page, joined.page(), access::render, AuditEvent::id, joined.resumeAfter());
        return joined.partial()
                ? reply.withWarnings(List.of(ErrorDetail.of(
                        AuditJoin.PARTIAL_PAGE,
                        "This page stopped at its work limit before it was full; $next goes on from where it"
                                + " stopped, and following it yields every match.")))
                : reply;
    }

    private Reply getAuditEvent(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        ScopeAccess access = access(caller);
        AuditEvent event = auditEvents
                .find(access.ownerId(), id)
                .orElseThrow(() -> ServiceException.notFound(
                        "EVENT_NOT_FOUND",
                        "No audit event " + id + " of this application within the retention period."));
        return Reply.ok(access.render(event)).withWarnings(event.warnings());
    }

    private ScopeAccess access(Caller caller) {
        return ScopeAccess.of(
                services.dynamo(), services.tables(), services.clock(), caller, services.recentIntegrations());
    }

    /** The application's integrations, in id order, in Edlink's meta shape (its v1 route, paged as v2 lists are). */
    private Reply listIntegrations(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request::query);
        return Reply.page(
                request,
                page,
                services.applications().integrations(caller.applicationId(), page),
                MetaIntegrations::meta,
                Integration::id);
    }

    /** One of the application's integrations; any other id, whoever's it is, does not exist for it. */
    private Reply getIntegration(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        return Reply.ok(MetaIntegrations.meta(Optional.of(id)
                .filter(candidate -> services.applications().owns(caller.applicationId(), candidate))
                .flatMap(services.integrations()::find)
                .orElseThrow(() -> ServiceException.notFound(
                        "INTEGRATION_NOT_FOUND", "This application has no integration " + id + "."))));
    }

    /** The integration the token belongs to, as Edlink's {@code /my/integration} shows it. */
    private Reply myIntegration(ApiRequest request, Caller caller) {
        return Reply.ok(MetaIntegrations.mine(services.integrations()
                .find(caller.integrationId())
                .orElseThrow(() -> ServiceException.notFound(
                        "INTEGRATION_NOT_FOUND", "The token's integration no longer exists."))));
    }
}
