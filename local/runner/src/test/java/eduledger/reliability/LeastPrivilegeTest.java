package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import eduledger.events.EventIds;
import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import eduledger.lambda.HttpFunction;
import eduledger.lambda.Services;
import eduledger.lambda.StreamEventJson;
import eduledger.lambda.StreamFunction;
import eduledger.testing.ApiCall;
import eduledger.testing.StreamCall;
import eduledger.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The narrow IAM policies of template.yaml, checked against what each function really calls: every
 * route of a function is driven through a client that records each DynamoDB action and the table
 * (or index) it touches. A call the policy does not grant would be AccessDenied in AWS; a grant no
 * call needs is more privilege than the function uses.
 */
class LeastPrivilegeTest {
    /**
     * Granted for a path these requests do not take: a client-chosen event id that exists is read
     * back with GetItem only if the failed conditional put returned no item, which DynamoDB and the
     * engine both return.
     */
    private static final java.util.Map<String, Set<String>> RARE_PATHS =
            java.util.Map.of("IngestFunction", Set.of("GetItem EventsTable"));
    /**
     * Functions whose every store path these requests take, so that an unused grant is an excess.
     * The others (source writes, admin, the stream trigger, which has no route and is handed one
     * sample batch) are checked only for calls their policy would deny.
     */
    private static final Set<String> FULLY_EXERCISED =
            Set.of("SchemasFunction", "IngestFunction", "CourseEventsFunction");

    /** Records "Action Table" or "Action Table/index" for every call, transaction items included. */
    static final class Recorder implements ExecutionInterceptor {
        final Set<String> calls = new ConcurrentSkipListSet<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            if (request instanceof GetItemRequest r) {
                calls.add("GetItem " + r.tableName());
            } else if (request instanceof PutItemRequest r) {
                calls.add("PutItem " + r.tableName());
            } else if (request instanceof UpdateItemRequest r) {
                calls.add("UpdateItem " + r.tableName());
            } else if (request instanceof software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest r) {
                calls.add("DeleteItem " + r.tableName());
            } else if (request instanceof QueryRequest r) {
                calls.add("Query " + r.tableName() + (r.indexName() == null ? "" : "/index"));
            } else if (request instanceof BatchGetItemRequest r) {
                r.requestItems().keySet().forEach(table -> calls.add("BatchGetItem " + table));
            } else if (request instanceof BatchWriteItemRequest r) {
                r.requestItems().keySet().forEach(table -> calls.add("BatchWriteItem " + table));
            } else if (request instanceof TransactWriteItemsRequest r) {
                r.transactItems().forEach(item -> {
                    if (item.put() != null) {
                        calls.add("PutItem " + item.put().tableName());
                    }
                    if (item.update() != null) {
                        calls.add("UpdateItem " + item.update().tableName());
                    }
                    if (item.delete() != null) {
                        calls.add("DeleteItem " + item.delete().tableName());
                    }
                    if (item.conditionCheck() != null) {
                        calls.add("ConditionCheckItem " + item.conditionCheck().tableName());
                    }
                });
            } else {
                calls.add(request.getClass().getSimpleName().replace("Request", "") + " ?");
            }
        }
    }

    @Test
    void everyFunctionIsGrantedExactlyTheTableActionsItCalls() throws Exception {
        Services plain = TestServices.shared();
        DeployedRoutes unrecorded = new DeployedRoutes(plain);
        Tenant tenant = Tenant.withApplication(
                plain, unrecorded, EventIds.next(Instant.now().minusSeconds(60)));
        JsonNode resources = new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(SamTemplate.locate()))
                .path("Resources");

        for (SamTemplate.Function function : DeployedRoutes.TEMPLATE.functions().values()) {
            Recorder recorder = new Recorder();
            DynamoDbClient client = DynamoDbClient.builder()
                    .endpointOverride(TestStore.get().endpoint())
                    .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                    .credentialsProvider(TestStore.client(TestStore.get().endpoint())
                            .serviceClientConfiguration()
                            .credentialsProvider())
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(recorder))
                    .build();
            Object handler = Class.forName(function.handlerClass())
                    .getConstructor(Services.class)
                    .newInstance(new Services(plain.settings(), client, Clock.systemUTC()));
            for (SamTemplate.Route route : function.routes()) {
                for (ApiCall call : exercise(tenant, route.routeKey())) {
                    int status = call.send((HttpFunction) handler).status();
                    assertTrue(status < 500, route.routeKey() + " -> " + status);
                }
            }
            if (handler instanceof StreamFunction stream) {
                // The trigger has no route: it is handed the sample batch, its object one no batch
                // named before, seen by several integrations, so a first judgment's every call is made.
                plain.integrations().create("least privilege reader " + System.nanoTime());
                plain.integrations().create("least privilege reader " + System.nanoTime());
                String sample = Files.readString(
                                SamTemplate.locate().resolveSibling("events").resolve("change-stream-records.json"))
                        .replace("sample-school", "least-privilege-school-" + System.nanoTime());
                StreamsEventResponse response = StreamCall.send(
                        stream,
                        StreamEventJson.read(new ByteArrayInputStream(sample.getBytes(StandardCharsets.UTF_8))));
                assertTrue(response.getBatchItemFailures().isEmpty(), function.logicalId());
            }
            Set<String> granted = granted(resources.path(function.logicalId()));
            Set<String> notGranted = new TreeSet<>(recorder.calls);
            notGranted.removeAll(granted);
            assertEquals(Set.of(), notGranted, function.logicalId() + " calls what its policy does not allow");
            if (FULLY_EXERCISED.contains(function.logicalId())) {
                Set<String> unused = new TreeSet<>(granted);
                unused.removeAll(recorder.calls);
                assertEquals(
                        RARE_PATHS.getOrDefault(function.logicalId(), Set.of()),
                        unused,
                        function.logicalId() + " is allowed more than it calls");
            }
        }
    }

    /**
     * The statements checked above are all a function is given: no function brings its own role (which
     * would bypass them), and no policy is shared through Globals. What SAM adds on its own is the
     * basic execution role (its log streams) and, with tracing on, X-Ray's write-only policy.
     */
    @Test
    void noFunctionHasARoleOrPolicyBeyondItsOwnStatements() throws Exception {
        JsonNode template = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SamTemplate.locate()));
        JsonNode globals = template.path("Globals").path("Function");
        for (String property : java.util.List.of("Role", "Policies", "PermissionsBoundary")) {
            assertTrue(globals.path(property).isMissingNode(), "Globals give every function " + property);
        }
        for (SamTemplate.Function function : DeployedRoutes.TEMPLATE.functions().values()) {
            JsonNode properties =
                    template.path("Resources").path(function.logicalId()).path("Properties");
            assertTrue(properties.path("Role").isMissingNode(), function.logicalId() + " brings its own role");
            assertTrue(properties.path("Policies").isArray(), function.logicalId());
        }
        template.path("Resources")
                .fields()
                .forEachRemaining(resource -> assertTrue(
                        !resource.getValue().path("Type").asText().startsWith("AWS::IAM::"),
                        resource.getKey() + " grants outside the functions' statements"));
    }

    /** Requests that take every store path of a route: plain, paged from an anchor, replayed, batched. */
    private static java.util.List<ApiCall> exercise(Tenant tenant, String routeKey) {
        java.util.List<ApiCall> calls = new java.util.ArrayList<>();
        // Each family's own page size parameter: a route refuses parameters it does not know.
        calls.add(
                routeKey.contains(" /api/v1/audit/")
                        ? tenant.call(routeKey).query("per_page", "1")
                        : DeployedRoutes.isList(routeKey)
                                ? tenant.call(routeKey).query("$first", "1")
                                : tenant.call(routeKey));
        if (DeployedRoutes.isList(routeKey)) {
            calls.add(tenant.call(routeKey).query("$after", tenant.pathValues().get("id")));
            calls.add(tenant.call(routeKey).query("actor_id", "teacher-1"));
            calls.add(tenant.call(routeKey).query("$after", Tenant.ACTION));
        }
        if (DeployedRoutes.hasBody(routeKey)) {
            String body = DeployedRoutes.validBody(routeKey);
            String key = "least-privilege-" + System.nanoTime();
            calls.clear();
            calls.add(tenant.call(routeKey).body(body.replace("course.grade", "lp." + System.nanoTime())));
            calls.add(tenant.call(routeKey).body(body));
            calls.add(tenant.call(routeKey).header("Idempotency-Key", key).body("{\"events\": [" + body + "]}"));
            calls.add(tenant.call(routeKey).header("Idempotency-Key", key).body("{\"events\": [" + body + "]}"));
            // A keyed write that succeeds records its answer; its repeat replays it.
            String fresh = body.replace("course.grade", "lp.keyed." + System.nanoTime());
            calls.add(
                    tenant.call(routeKey).header("Idempotency-Key", key + "-ok").body(fresh));
            calls.add(
                    tenant.call(routeKey).header("Idempotency-Key", key + "-ok").body(fresh));
            calls.add(tenant.call(routeKey)
                    .body(body.replace(
                            "{\"action\"", "{\"id\": \"" + EventIds.next(Instant.now()) + "\", \"action\"")));
        }
        return calls;
    }

    /** "Action Table" for each DynamoDB action and table (or "Table/index") a function's statements allow. */
    private static Set<String> granted(JsonNode function) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode policy : function.path("Properties").path("Policies")) {
            for (JsonNode statement : policy.path("Statement")) {
                JsonNode resource = statement.path("Resource");
                java.util.List<String> targets = new java.util.ArrayList<>();
                if (resource.isArray()) {
                    resource.forEach(r -> targets.add(r.asText()));
                } else {
                    targets.add(resource.asText());
                }
                for (String target : targets) {
                    String table = target.replaceAll("^\\$\\{?|\\.Arn.*$|}.*$", "");
                    String suffix = target.contains("/index/") ? "/index" : "";
                    statement.path("Action").forEach(action -> {
                        if (!action.asText().startsWith("dynamodb:")) {
                            return; // the secret a function reads is checked in TemplateTest
                        }
                        String name = action.asText().replace("dynamodb:", "");
                        // Only Query reads an index; other actions on an index ARN would be meaningless.
                        if (suffix.isEmpty() || name.equals("Query")) {
                            granted.add(name + " " + table + suffix);
                        }
                    });
                }
            }
        }
        return granted;
    }
}
