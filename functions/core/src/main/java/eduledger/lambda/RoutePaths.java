package eduledger.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Requests no route serves, answered the way the API their path belongs to answers errors: a 405
 * with {@code Allow} when the path is a route's under another method, else a 404. Used by the router
 * for events it has no route for and by the local gateway for requests no function has.
 */
public final class RoutePaths {
    private RoutePaths() {}

    /** A failure that carries the methods the path does take, for the {@code Allow} header. */
    static final class MethodNotAllowed extends ServiceException {
        private final Set<String> allowed;

        MethodNotAllowed(String method, String path, Set<String> allowed) {
            super(
                    Failure.METHOD_NOT_ALLOWED,
                    "METHOD_NOT_ALLOWED",
                    method + " is not allowed on " + path + "; use " + String.join(", ", allowed) + ".");
            this.allowed = Set.copyOf(allowed);
        }

        String allowHeader() {
            return String.join(", ", new TreeSet<>(allowed));
        }
    }

    /** Whether {@code path} is an instance of a route path such as {@code /api/v2/graph/events/{id}}. */
    public static boolean matches(String template, String path) {
        String[] pattern = segments(template);
        String[] actual = segments(path);
        if (pattern.length != actual.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].startsWith("{") ? actual[i].isEmpty() : !pattern[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    static ServiceException unmatched(String method, String path, Collection<String> allowed) {
        if (allowed.isEmpty()) {
            return ServiceException.notFound("ROUTE_NOT_FOUND", "No route " + method + " " + path + ".");
        }
        return new MethodNotAllowed(method, path, new TreeSet<>(allowed));
    }

    /**
     * The response to a request no route serves, in the error shape of the API {@code path} is in.
     *
     * @param allowed the methods routes with this path take; empty when the path is no route's
     */
    public static APIGatewayV2HTTPResponse answer(
            String requestId, String method, String path, Collection<String> allowed) {
        return ResponseStyle.forPath(path).error(requestId, unmatched(method, path, allowed), Map.of());
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
