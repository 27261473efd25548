package eduledger.functions.schemas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Caller;
import eduledger.auth.Scope;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.lambda.ApiRequest;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.IdempotentWrites;
import eduledger.lambda.Priming;
import eduledger.lambda.Reply;
import eduledger.lambda.Router;
import eduledger.lambda.Services;
import eduledger.paging.PageRequest;
import eduledger.schemas.AuditSchema;
import eduledger.schemas.JsonSchemas;
import eduledger.schemas.SchemaDefinition;
import eduledger.schemas.SchemaStore;
import java.util.List;

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
        IdempotentWrites writes = new IdempotentWrites(services);
        this.router = new Router(services.authenticator())
                .limitedBy(services.rateLimiter(), services.settings().tenantLimit())
                .on(
                        "POST /api/v2/audit/schemas",
                        Scope.SCHEMA_ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::create))
                .on("GET /api/v2/audit/schemas", Scope.SCHEMA_ADMIN, PageRequest.PARAMETERS, this::list)
                .on("GET /api/v2/audit/schemas/{identifier}", Scope.SCHEMA_ADMIN, this::get)
                .on(
                        "PATCH /api/v2/audit/schemas",
                        Scope.SCHEMA_ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::patchNamedInBody))
                .on(
                        "PATCH /api/v2/audit/schemas/{identifier}",
                        Scope.SCHEMA_ADMIN,
                        IdempotentWrites.PARAMETERS,
                        writes.wrap(this::patch))
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

    /**
     * Both of Edlink's update forms: the schema named in the path (schema id, action id or version
     * UUID), or in the body by {@code action} or {@code schema_id}. Whatever the body names must be
     * the schema the path names.
     */
    private Reply patch(ApiRequest request, Caller caller) {
        JsonNode body = request.jsonBody();
        if (body.has("schema_id")) {
            SchemaDefinition.patchTarget(body); // checks what the body names before any key is built from it
        }
        return patch(body, owner(caller), request.pathParameter("identifier"));
    }

    private Reply patchNamedInBody(ApiRequest request, Caller caller) {
        JsonNode body = request.jsonBody();
        SchemaDefinition.PatchTarget named = SchemaDefinition.patchTarget(body);
        return patch(body, owner(caller), named.actionId() != null ? named.actionId() : named.schemaId());
    }

    /** Whatever the body names beside the identifier must be the same schema. */
    private Reply patch(JsonNode body, String owner, String identifier) {
        JsonNode schemaId = body.path("schema_id");
        if (schemaId.isTextual() && !schemaId.asText().equals(identifier)) {
            String ofSchemaId = actionOf(owner, schemaId.asText());
            String ofIdentifier = actionOf(owner, identifier);
            if (!ofIdentifier.equals(ofSchemaId)) {
                throw new ServiceException(
                        Failure.BAD_REQUEST,
                        List.of(new ErrorDetail(
                                "CONFLICTING_FIELDS",
                                "schema_id " + schemaId.asText() + " is a schema of " + ofSchemaId + ", not of "
                                        + ofIdentifier + ".",
                                "$.schema_id")));
            }
        }
        AuditSchema next =
                schemas.patch(owner, identifier, current -> SchemaDefinition.forPatch(body, current, jsonSchemas));
        return Reply.ok(next.toJson());
    }

    private String actionOf(String owner, String identifier) {
        return schemas.findAny(owner, identifier).map(AuditSchema::actionId).orElseThrow(() -> notFound(identifier));
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
