package eduledger.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.auth.Scope;
import eduledger.json.Json;
import eduledger.testing.ApiCall;
import eduledger.testing.TestServices;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Services services = TestServices.shared();

    @Test
    void anUnexpectedFailureIsA500WithoutItsStackTrace() {
        Router router = new Router(services.authenticator()).on("GET /boom", Scope.AUDIT_READ, (request, caller) -> {
            throw new IllegalStateException("secret detail");
        });
        var token = TestServices.integration(services).token();
        ApiCall.Response response = ApiCall.to("GET /boom").token(token).send((event, context) -> router.handle(event));
        assertEquals(500, response.status());
        assertEquals("INTERNAL_ERROR", response.firstErrorCode());
        assertFalse(response.body().toString().contains("secret detail"));
        assertFalse(response.body().toString().contains("IllegalStateException"));
    }

    @Test
    void routesItDoesNotDeclareAreNotFound() {
        Router router = new Router(services.authenticator());
        ApiCall.Response response = ApiCall.to("GET /elsewhere").send((event, context) -> router.handle(event));
        assertEquals(404, response.status());
        assertEquals("ROUTE_NOT_FOUND", response.firstErrorCode());
    }

    @Test
    void primingVisitsEveryRouteButNeverRunsAnAction() {
        AtomicInteger actions = new AtomicInteger();
        Router router = new Router(services.authenticator())
                .on("POST /things", Scope.AUDIT_WRITE, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                })
                .on("GET /things/{id}", Scope.AUDIT_READ, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                });
        router.prime((event, context) -> router.handle(event));
        assertEquals(0, actions.get());
        // The same router still serves a real caller afterwards.
        var token = TestServices.integration(services).token();
        assertEquals(
                200,
                ApiCall.to("GET /things/{id}")
                        .path("id", "1")
                        .token(token)
                        .send((event, context) -> router.handle(event))
                        .status());
        assertEquals(1, actions.get());
        assertTrue(router.routeKeys().contains("POST /things"));
    }

    @Test
    void primingThroughTheStreamEntryNeverRunsAnAction() {
        AtomicInteger actions = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Router router = new Router(services.authenticator())
                .on("PUT /things/{id}", Scope.AUDIT_WRITE, (request, caller) -> {
                    actions.incrementAndGet();
                    return Reply.ok(Json.object());
                });
        HttpFunction entry = (event, context) -> {
            APIGatewayV2HTTPResponse response = router.handle(event);
            assertEquals("PUT", event.getRequestContext().getHttp().getMethod());
            assertEquals(401, response.getStatusCode());
            answered.incrementAndGet();
            return response;
        };
        router.prime(entry);
        assertEquals(1, answered.get());
        assertEquals(0, actions.get());
    }
}
