package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.auth.Authenticator;
import eduledger.auth.Caller;
import eduledger.auth.RateLimit;
import eduledger.auth.RateLimited;
import eduledger.auth.RateLimiter;
import eduledger.auth.Scope;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.metrics.Counts;
import eduledger.storage.StoreFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Dispatches an HTTP API event to the route it was sent to, authenticates and authorizes the
 * caller, and turns every outcome, failures included, into a response: {@link Reply} in an Edlink
 * envelope, {@link RawReply} as is, failures in the router's {@link ResponseStyle}.
 */
public final class Router {

    @FunctionalInterface
    public interface Action {
        Reply handle(ApiRequest request, Caller caller);
    }

    /** A route of an API with its own response shapes; see {@link RawReply}. */
    @FunctionalInterface
    public interface RawAction {
        RawReply handle(ApiRequest request, Caller caller);
    }

    private interface Responder {
        APIGatewayV2HTTPResponse respond(ApiRequest request, Caller caller);
    }

    /**
     * A route and the query parameters it takes. A parameter a route does not name is refused, never
     * ignored: a filter dropped in silence answers a different question than the one asked.
     */
    private record Route(String routeKey, Scope scope, Set<String> query, Responder responder) {
        String method() {
            return routeKey.substring(0, routeKey.indexOf(' '));
        }

        String pathTemplate() {
            return routeKey.substring(routeKey.indexOf(' ') + 1);
        }
    }

    private final Authenticator authenticator;
    private final ResponseStyle style;
    private final List<Route> routes = new ArrayList<>();
    private RateLimiter limiter;
    private RateLimit limit;

    /** A router for Edlink routes. */
    public Router(Authenticator authenticator) {
        this(authenticator, ResponseStyle.EDLINK);
    }

    public Router(Authenticator authenticator, ResponseStyle style) {
        this.authenticator = authenticator;
        this.style = style;
    }

    /**
     * Holds every caller of these routes to {@code limit}, counted per integration over every
     * function and container that shares the limiter's table: past it, a 429 {@code RATE_LIMITED}
     * with {@code Retry-After}.
     */
    public Router limitedBy(RateLimiter limiter, RateLimit limit) {
        this.limiter = limiter;
        this.limit = limit;
        return this;
    }

    /**
     * Registers a route that takes no query parameters by its API Gateway route key, e.g. {@code "GET
     * /api/v2/audit/schemas/{identifier}"}.
     */
    public Router on(String routeKey, Scope scope, Action action) {
        return on(routeKey, scope, Set.of(), action);
    }

    /** Registers a route that takes the query parameters {@code query} and no others. */
    public Router on(String routeKey, Scope scope, Set<String> query, Action action) {
        routes.add(new Route(routeKey, scope, Set.copyOf(query), (request, caller) -> {
            return EdlinkEnvelope.data(request.requestId(), action.handle(request, caller));
        }));
        return this;
    }

    /**
     * Registers a route any integration's token may call, whatever its scopes (what the integration
     * may learn about itself), and no application's secret or operator's token; it takes no query
     * parameters.
     */
    public Router onIntegration(String routeKey, Action action) {
        return on(routeKey, null, Set.of(), action);
    }

    /**
     * Registers a route whose action renders its own body and headers and that takes the query
     * parameters {@code query} (and the router's style's own, such as Canvas's {@code access_token}).
     */
    public Router onRaw(String routeKey, Scope scope, Set<String> query, RawAction action) {
        routes.add(new Route(routeKey, scope, Set.copyOf(query), (request, caller) -> {
            RawReply reply = action.handle(request, caller);
            return EdlinkEnvelope.respond(reply.status(), reply.body(), reply.headers());
        }));
        return this;
    }

    public List<String> routeKeys() {
        return routes.stream().map(Route::routeKey).toList();
    }

    /**
     * Sends one request per route, as event JSON through the entry Lambda calls, with a token no
     * integration has: warms reading the event, routing, the token lookup (a read that finds
     * nothing), the error envelope and writing the response, and writes nothing.
     */
    public void prime(HttpFunction entry) {
        for (Route route : routes) {
            HttpApiEvent.to(route.routeKey())
                    .requestId(Telemetry.PRIMING)
                    .header("authorization", primingAuthorization())
                    .sendTo(entry);
        }
    }

    private static String primingAuthorization() {
        return "Bearer edl_priming_" + UUID.randomUUID();
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        return handle(event, null);
    }

    /** Answers the request and logs one line for it, with the counts the work reported. */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        Outcome outcome = new Outcome();
        APIGatewayV2HTTPResponse response;
        Map<String, Long> counts;
        try (Counts.Tally tally = Counts.open()) {
            response = respond(event, requestId, outcome);
            counts = tally.values();
        }
        Telemetry.request(new Telemetry.Request(
                context,
                event.getRequestContext() == null
                        ? null
                        : event.getRequestContext().getRequestId(),
                requestId,
                event.getRouteKey(),
                outcome.integration,
                response.getStatusCode(),
                (System.nanoTime() - started) / 1_000_000,
                outcome.errorCode,
                outcome.exception,
                counts));
        return response;
    }

    /** What the log line needs to know beyond the response. */
    private static final class Outcome {
        String integration;
        String errorCode;
        RuntimeException exception;
    }

    private APIGatewayV2HTTPResponse respond(APIGatewayV2HTTPEvent event, String requestId, Outcome outcome) {
        ApiRequest request = new ApiRequest(event, requestId);
        try {
            Route route = find(event, request);
            Caller caller = authenticator.authenticate(style.authorization(request));
            outcome.integration = caller.tenant();
            if (limiter != null) {
                // Before the scope check: a refused request costs the store a read all the same.
                limiter.admit(caller.isApplication() ? "application" : "integration", caller.tenant(), limit);
            }
            if (route.scope() == null) {
                if (!caller.isIntegration()) {
                    throw new ServiceException(
                            Failure.FORBIDDEN,
                            "INTEGRATION_TOKEN_REQUIRED",
                            "This route takes an integration's access token (with any scope).");
                }
            } else if (!caller.scopes().contains(route.scope())) {
                throw new ServiceException(
                        Failure.FORBIDDEN,
                        "INSUFFICIENT_SCOPE",
                        "This token lacks the " + route.scope().id() + " scope.");
            }
            refuseUnknownParameters(route, request);
            return route.responder().respond(request, caller);
        } catch (ServiceException e) {
            outcome.errorCode = e.details().isEmpty()
                    ? e.failure().name()
                    : e.details().get(0).code();
            return failed(requestId, e);
        } catch (SdkException e) {
            if (StoreFailures.isUnavailable(e)) {
                ServiceException unavailable = StoreFailures.unavailable();
                outcome.errorCode = unavailable.details().isEmpty()
                        ? unavailable.failure().name()
                        : unavailable.details().get(0).code();
                outcome.exception = e;
                return failed(requestId, unavailable);
            }
            return internal(requestId, e, outcome);
        } catch (RuntimeException e) {
            return internal(requestId, e, outcome);
        }
    }

    /**
     * Every failure is rendered here, so a 503 or 429 always says when to come back, whether the
     * store's error reached the router as an SDK exception or was turned into one lower down.
     */
    private APIGatewayV2HTTPResponse failed(String requestId, ServiceException failure) {
        if (failure instanceof RateLimited limited) {
            return style.error(requestId, failure, Map.of("retry-after", Long.toString(limited.retryAfterSeconds())));
        }
        return style.error(requestId, failure, failure.failure().isTransient() ? Map.of("retry-after", "1") : Map.of());
    }

    /**
     * API Gateway names the matched route in every event; the handler serves only the routes it
     * declares. A request no route key names (a catch-all route, a stray event) is a 405 when one of
     * the routes has its path with another method, else a 404.
     */
    private Route find(APIGatewayV2HTTPEvent event, ApiRequest request) {
        String routeKey = event.getRouteKey();
        for (Route route : routes) {
            if (route.routeKey().equals(routeKey)) {
                return route;
            }
        }
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (RoutePaths.matches(route.pathTemplate(), request.path())) {
                allowed.add(route.method());
            }
        }
        throw RoutePaths.unmatched(request.method(), request.path(), allowed);
    }

    private void refuseUnknownParameters(Route route, ApiRequest request) {
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(request.queryParameters().keySet())) {
            if (!route.query().contains(name) && !style.ownParameters().contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            List<String> known = new ArrayList<>(new TreeSet<>(route.query()));
            known.addAll(new TreeSet<>(style.ownParameters()));
            throw ServiceException.badRequest(
                    "UNKNOWN_PARAMETER",
                    (unknown.size() == 1 ? "Unknown query parameter " : "Unknown query parameters ")
                            + String.join(", ", unknown) + "; " + request.method() + " " + route.pathTemplate()
                            + (known.isEmpty() ? " takes none." : " takes " + String.join(", ", known) + "."));
        }
    }

    private APIGatewayV2HTTPResponse internal(String requestId, RuntimeException e, Outcome outcome) {
        // The trace goes to the function's log line, keyed by request id; the client sees neither.
        outcome.errorCode = "INTERNAL_ERROR";
        outcome.exception = e;
        return style.error(
                requestId,
                new ServiceException(
                        Failure.INTERNAL,
                        "INTERNAL_ERROR",
                        "The request failed on our side; quote request " + requestId + " when reporting it."),
                Map.of());
    }
}
