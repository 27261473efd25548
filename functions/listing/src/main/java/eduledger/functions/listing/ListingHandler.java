package eduledger.functions.listing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventStore;
import eduledger.graph.GraphFeed;
import eduledger.http.ApiException;
import eduledger.http.ApiRequest;
import eduledger.http.Json;
import eduledger.http.PageRequest;
import eduledger.http.Reply;
import eduledger.http.Router;
import eduledger.runtime.Services;
import eduledger.storage.Page;

/** Cursor-paginated reads of the graph and audit event feeds, oldest first. */
public final class ListingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final GraphEventStore graphEvents;
    private final Router router;

    public ListingHandler() {
        this(Services.fromEnvironment());
    }

    public ListingHandler(Services services) {
        this.graphEvents = services.graphEvents(services.dynamo());
        this.router = new Router(services.authenticator())
                .on("GET /api/v2/graph/events", Scope.GRAPH_READ, this::listGraphEvents)
                .on("GET /api/v2/graph/events/{id}", Scope.GRAPH_READ, this::getGraphEvent);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    /** The caller's feed, oldest first; {@code type} narrows it to one event type. */
    private Reply listGraphEvents(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request);
        String type = request.query("type");
        Page<GraphEvent> result = graphEvents.list(caller.integrationId(), page,
                type == null || type.isBlank() ? null : GraphFeed.checkType(type));
        ArrayNode data = Json.MAPPER.createArrayNode();
        result.items().forEach(event -> data.add(event.toJson()));
        String next = null;
        if (result.more() && !result.items().isEmpty()) {
            GraphEvent edge = page.forward() ? result.items().get(result.items().size() - 1) : result.items().get(0);
            next = page.nextUrl(request, edge.id());
        }
        return Reply.page(data, next);
    }

    private Reply getGraphEvent(ApiRequest request, Caller caller) {
        String id = request.pathParameter("id");
        return Reply.ok(graphEvents.find(caller.integrationId(), id)
                .orElseThrow(() -> ApiException.notFound("EVENT_NOT_FOUND", "This integration has no event " + id + "."))
                .toJson());
    }
}
