package eduledger.local;

import eduledger.lambda.HttpApiEvent;
import java.util.Map;

/** The benchmarks' requests: a route without path parameters, as a client of the API sends it. */
final class HttpApiEvents {
    private HttpApiEvents() {}

    /** A request to {@code routeKey} (e.g. {@code "GET /api/v2/audit/events"}) on a route without path parameters. */
    static HttpApiEvent request(String routeKey, Map<String, String> query, String token, String body) {
        HttpApiEvent event = HttpApiEvent.to(routeKey)
                .header("host", "api.bench.local")
                .header("x-forwarded-proto", "https")
                .header("authorization", "Bearer " + token);
        query.forEach(event::query);
        if (body != null) {
            event.header("content-type", "application/json").body(body);
        }
        return event;
    }
}
