package eduledger.functions.listing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.http.Router;
import eduledger.runtime.Services;

/** Cursor-paginated reads of the graph and audit event feeds, oldest first. */
public final class ListingHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Router router;

    public ListingHandler() {
        this(Services.fromEnvironment());
    }

    public ListingHandler(Services services) {
        this.router = new Router(services.authenticator());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }
}
