package eduledger.functions.schemas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ServiceException;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.paging.PageRequest;
import eduledger.schemas.AuditSchema;
import eduledger.schemas.JsonSchemas;
import eduledger.schemas.SchemaDefinition;
import eduledger.schemas.SchemaStore;

/**
 * Audit schemas: create, patch into a new version, read, list, and read old versions. They are
 * called with an integration's token and belong to its application.
 */
public final class SchemasHandler implements HttpFunction {
    private final SchemaStore schemas;
    private final IntegrationStore integrations;
    private final JsonSchemas jsonSchemas = new JsonSchemas();
    private final Router router;

    public SchemasHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> router.prime(this));
    }

    public SchemasHandler(Services services) {
        this.schemas = new SchemaStore(services.dynamo(), services.tables(), services.clock());
        this.integrations = services.integrations();
        this.router = new Router(services.authenticator())
                .limitedBy(services.rateLimiter(), services.settings().tenantLimit())
                .on("POST /api/v2/audit/schemas", Scope.SCHEMA_ADMIN, this::create)
                .on("GET /api/v2/audit/schemas", Scope.SCHEMA_ADMIN, PageRequest.PARAMETERS, this::list)
                .on("GET /api/v2/audit/schemas/{identifier}", Scope.SCHEMA_ADMIN, this::get)
                .on("PATCH /api/v2/audit/schemas/{identifier}", Scope.SCHEMA_ADMIN, this::patch)
                .on(
                        "GET /api/v2/audit/schemas/{identifier}/versions",
                        Scope.SCHEMA_ADMIN,
                        PageRequest.PARAMETERS,
                        this::versions)
                .on("GET /api/v2/audit/schemas/{identifier}/versions/{version}", Scope.SCHEMA_ADMIN, this::version);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event, context);
    }

    private Reply create(ApiRequest request, Caller caller) {
        SchemaDefinition definition = SchemaDefinition.forCreate(request.jsonBody(), jsonSchemas);
        return Reply.created(schemas.create(owner(caller), definition).toJson());
    }

    private Reply patch(ApiRequest request, Caller caller) {
        var body = request.jsonBody();
        AuditSchema next = schemas.patch(
                owner(caller),
                request.pathParameter("identifier"),
                current -> SchemaDefinition.forPatch(body, current, jsonSchemas));
        return Reply.ok(next.toJson());
    }

    private Reply get(ApiRequest request, Caller caller) {
        String identifier = request.pathParameter("identifier");
        return Reply.ok(schemas.findAny(owner(caller), identifier)
                .orElseThrow(() -> notFound(identifier))
                .toJson());
    }

    private Reply version(ApiRequest request, Caller caller) {
        String identifier = request.pathParameter("identifier");
        String version = request.pathParameter("version");
        return Reply.ok(schemas.version(owner(caller), identifier, version)
                .orElseThrow(() -> ServiceException.notFound(
                        "VERSION_NOT_FOUND", "Schema " + identifier + " has no version " + version + "."))
                .toJson());
    }

    private Reply list(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request::query);
        return Reply.page(request, page, schemas.list(owner(caller), page), AuditSchema::toJson, AuditSchema::id);
    }

    private Reply versions(ApiRequest request, Caller caller) {
        PageRequest page = PageRequest.from(request::query);
        return Reply.page(
                request,
                page,
                schemas.versions(owner(caller), request.pathParameter("identifier"), page),
                AuditSchema::toJson,
                AuditSchema::version);
    }

    /**
     * Whose schemas the token's integration works on: its application's, which govern the events of
     * all the application's integrations, or its own while it belongs to none.
     */
    private String owner(Caller caller) {
        return integrations
                .find(caller.integrationId())
                .map(Integration::auditOwner)
                .orElse(caller.integrationId());
    }

    private static ServiceException notFound(String identifier) {
        return ServiceException.notFound(
                "SCHEMA_NOT_FOUND", "No schema has the id, action id or version " + identifier + ".");
    }
}
