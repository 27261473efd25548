package eduledger.functions.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.auth.TokenStore;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.graph.GraphProjector;
import eduledger.graph.Resharing;
import eduledger.integrations.ApplicationStore;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.integrations.Sharing;
import eduledger.json.Json;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.IdempotentWrites;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.roster.RosterStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The platform operator's routes: create integrations, set what roster they see, issue their
 * tokens; create applications and attach integrations to them.
 */
public final class AdminHandler implements HttpFunction {
    private final IntegrationStore integrations;
    private final TokenStore tokens;
    private final ApplicationStore applications;
    private final Resharing resharing;
    private final Router router;

    public AdminHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public AdminHandler(Services services) {
        this.integrations = services.integrations();
        this.tokens = services.tokens();
        this.applications = services.applications();
        this.resharing = new Resharing(
                integrations,
                new RosterStore(services.dynamo(), services.tables(), services.clock()),
                new GraphProjector(services.graphEventWriter(services.dynamo())));
        IdempotentWrites writes = new IdempotentWrites(services);
        this.router = new Router(services.authenticator())
                .on(
                        "POST /api/v2/admin/integrations",
                        Scope.ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::create))
                .on("GET /api/v2/admin/integrations/{integration_id}", Scope.ADMIN, this::get)
                .on(
                        "PUT /api/v2/admin/integrations/{integration_id}/sharing",
                        Scope.ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::share))
                // The token is shown once and stored only hashed, so a replay cannot show it again.
                .on(
                        "POST /api/v2/admin/integrations/{integration_id}/tokens",
                        Scope.ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::issueToken, data -> ((ObjectNode) data).putNull("token")))
                // An application's secret is shown once too.
                .on(
                        "POST /api/v2/admin/applications",
                        Scope.ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::createApplication, data -> ((ObjectNode) data).putNull("secret")))
                .on("GET /api/v2/admin/applications/{application_id}", Scope.ADMIN, this::getApplication)
                .on(
                        "POST /api/v2/admin/applications/{application_id}/integrations",
                        Scope.ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::attach));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    /** {@code {"name": "...", "sharing": {...}}}; sharing defaults to all. A new integration's feed starts empty. */
    private Reply create(ApiRequest request, Caller caller) {
        JsonNode body = only(request.jsonBody(), "name", "sharing");
        String name = name(body);
        Sharing sharing = body.has("sharing") ? Sharing.parse(body.get("sharing")) : Sharing.all();
        return Reply.created(integrations.create(name, sharing).toJson());
    }

    private Reply get(ApiRequest request, Caller caller) {
        return Reply.ok(find(request.pathParameter("integration_id")).toJson());
    }

    /** Replaces the sharing; the feed gets created/deleted events for every object entering or leaving view. */
    private Reply share(ApiRequest request, Caller caller) {
        // Sharing.parse refuses any property but its own.
        Resharing.Outcome outcome =
                resharing.change(request.pathParameter("integration_id"), Sharing.parse(request.jsonBody()));
        ObjectNode data = outcome.integration().toJson();
        data.put("events_written", outcome.eventsWritten());
        return Reply.ok(data);
    }

    /** {@code {"scopes": ["graph:read", ...]}} ({@code {}}: graph:read); the token is shown once, stored hashed. */
    private Reply issueToken(ApiRequest request, Caller caller) {
        JsonNode scopesJson = only(request.jsonBody(), "scopes").path("scopes");
        if (!scopesJson.isMissingNode() && !scopesJson.isArray()) {
            throw invalid("INVALID_SCOPE", "scopes must be an array of scope names.", "$.scopes");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < scopesJson.size(); i++) {
            JsonNode scope = scopesJson.get(i);
            if (!scope.isTextual()) {
                throw invalid("INVALID_SCOPE", "scopes must be an array of scope names.", "$.scopes[" + i + "]");
            }
            scopes.add(scope(scope.textValue()));
        }
        Integration integration = find(request.pathParameter("integration_id"));
        if (scopes.isEmpty()) {
            scopes.add(Scope.GRAPH_READ);
        }
        ObjectNode data = Json.object();
        data.put("integration_id", integration.id());
        scopes.forEach(scope -> data.withArray("scopes").add(scope.id()));
        data.put("token", tokens.issue(integration.id(), scopes));
        return Reply.created(data);
    }

    /**
     * {@code {"name": "..."}}: a new application with no integrations. Its secret key is in the
     * answer once and stored only as a hash.
     */
    private Reply createApplication(ApiRequest request, Caller caller) {
        ApplicationStore.Created created = applications.create(name(only(request.jsonBody(), "name")));
        ObjectNode data = created.application().toJson();
        data.put("secret", created.secret());
        return Reply.created(data);
    }

    private Reply getApplication(ApiRequest request, Caller caller) {
        String id = request.pathParameter("application_id");
        return Reply.ok(applications
                .find(id)
                .orElseThrow(() -> ServiceException.notFound("APPLICATION_NOT_FOUND", "No application " + id + "."))
                .toJson());
    }

    /**
     * {@code {"integration_id": "..."}}: makes the application the integration's owner; repeating it
     * changes nothing, and an integration of another application is a 409. The answer is the
     * integration.
     */
    private Reply attach(ApiRequest request, Caller caller) {
        JsonNode integrationId = only(request.jsonBody(), "integration_id").path("integration_id");
        // It keys the application's list of integrations: bytes, as DynamoDB's key limit counts them.
        if (!integrationId.isTextual()
                || integrationId.asText().isBlank()
                || integrationId.asText().getBytes(StandardCharsets.UTF_8).length
                        > ApiRequest.MAX_PATH_PARAMETER_LENGTH) {
            throw invalid(
                    "INVALID_INTEGRATION_ID",
                    "integration_id must name the integration to attach: an id of 1 to "
                            + ApiRequest.MAX_PATH_PARAMETER_LENGTH + " bytes of UTF-8.",
                    "$.integration_id");
        }
        return Reply.ok(applications
                .attach(request.pathParameter("application_id"), integrationId.asText())
                .toJson());
    }

    private static String name(JsonNode body) {
        JsonNode given = body.path("name");
        String name = given.isTextual() ? given.textValue().trim() : "";
        if (name.isEmpty() || name.length() > 200) {
            throw invalid("INVALID_NAME", "name must be a string of 1 to 200 characters.", "$.name");
        }
        return name;
    }

    /**
     * The body when it is an object of no properties but {@code fields}: an unknown one is a 400
     * naming it, since an operator who misspells a property must not get a default in its place.
     */
    private static JsonNode only(JsonNode body, String... fields) {
        Set<String> known = Set.of(fields);
        String takes = String.join(", ", new TreeSet<>(known));
        if (!body.isObject()) {
            throw invalid("INVALID_BODY", "The body must be a JSON object of " + takes + ".", "$");
        }
        List<ErrorDetail> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(field -> {
            if (!known.contains(field)) {
                problems.add(new ErrorDetail(
                        "UNKNOWN_PROPERTY",
                        "Unknown property " + field + "; this body takes " + takes + ".",
                        "$." + field));
            }
        });
        if (!problems.isEmpty()) {
            throw new ServiceException(Failure.BAD_REQUEST, problems);
        }
        return body;
    }

    private static ServiceException invalid(String code, String message, String path) {
        return new ServiceException(Failure.BAD_REQUEST, List.of(new ErrorDetail(code, message, path)));
    }

    private Integration find(String id) {
        return integrations
                .find(id)
                .orElseThrow(() -> ServiceException.notFound("INTEGRATION_NOT_FOUND", "No integration " + id + "."));
    }

    private static Scope scope(String id) {
        try {
            Scope scope = Scope.parse(id);
            if (!Scope.integrationScopes().contains(scope)) {
                throw ServiceException.badRequest(
                        "INVALID_SCOPE",
                        "An integration's token cannot hold the " + scope.id() + " scope"
                                + (scope.operatorOnly() ? ": it is the platform operator's." : "."));
            }
            return scope;
        } catch (IllegalArgumentException e) {
            throw ServiceException.badRequest("INVALID_SCOPE", e.getMessage() + ".");
        }
    }
}
