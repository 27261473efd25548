package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A corpus of hostile requests for every route of the template: each must be answered with a 4xx and
 * a message that says what is wrong, none with a 5xx, and none may write anything.
 * The {@link Timeout}s are a safety net against a hang, not an assertion about speed.
 */
@Timeout(300)
class HostileInputTest {
    private static final Services SERVICES = TestServices.shared();
    private static final DeployedRoutes ROUTES = new DeployedRoutes(SERVICES);
    private static Tenant tenant;

    /** One hostile request: a name for the failure message, its route, and the event. */
    record Hostile(String name, String routeKey, Supplier<APIGatewayV2HTTPEvent> event) {}

    @BeforeAll
    static void tenantWithData() {
        tenant = Tenant.create(SERVICES, ROUTES, EventIds.next(Instant.now().minusSeconds(60)));
    }

    private static boolean isEdlinkList(String routeKey) {
        return routeKey.startsWith("GET /api/v2/") && DeployedRoutes.isList(routeKey);
    }

    private static boolean isCanvas(String routeKey) {
        return routeKey.startsWith("GET /api/v1/");
    }

    private static Hostile call(String name, String routeKey, Supplier<ApiCall> call) {
        return new Hostile(
                name, routeKey, () -> call.get().token(tokenFor(routeKey)).event());
    }

    /**
     * The tenant's token, or the operator's for every route only the operator may call: the admin
     * routes must refuse what they are sent, not merely a caller without the scope.
     */
    private static String tokenFor(String routeKey) {
        return DeployedRoutes.operatorRoute(routeKey) ? tenant.operatorToken() : tenant.tokenFor(routeKey);
    }

    private static Hostile withQuery(String routeKey, String... pairs) {
        StringBuilder name = new StringBuilder("query");
        for (int i = 0; i < pairs.length; i += 2) {
            name.append(' ')
                    .append(pairs[i])
                    .append('=')
                    .append(pairs[i + 1].length() > 40 ? pairs[i + 1].substring(0, 40) + "..." : pairs[i + 1]);
        }
        return call(name.toString(), routeKey, () -> {
            ApiCall call = tenant.call(routeKey);
            for (int i = 0; i < pairs.length; i += 2) {
                call.query(pairs[i], pairs[i + 1]);
            }
            return call;
        });
    }

    private static Hostile withBody(String name, String routeKey, String body) {
        return call("body " + name, routeKey, () -> tenant.call(routeKey).body(body));
    }

    private static Hostile withRawBody(String name, String routeKey, String base64Body) {
        return new Hostile("body " + name, routeKey, () -> {
            APIGatewayV2HTTPEvent event =
                    tenant.call(routeKey).token(tokenFor(routeKey)).event();
            event.setBody(base64Body);
            event.setIsBase64Encoded(true);
            return event;
        });
    }

    static List<Hostile> corpus() {
        List<Hostile> corpus = new ArrayList<>();
        String someId = EventIds.next(Instant.now());
        String longText = "a".repeat(5_000);
        for (String routeKey : DeployedRoutes.routeKeys()) {
            // Path parameters: empty, huge, key separators, control characters, unknown ids.
            if (routeKey.contains("{")) {
                for (String value : List.of(
                        "",
                        longText,
                        "SCHEMAS#x",
                        "..%2F..%2F",
                        "\u0000",
                        "ünïcødé-☃",
                        someId,
                        "01234567-89ab-7def-8123-456789abcdef",
                        "' OR '1'='1")) {
                    corpus.add(call(
                            "path " + (value.length() > 40 ? "<5000 chars>" : value),
                            routeKey,
                            () -> DeployedRoutes.call(routeKey, value)));
                }
            }
            if (isEdlinkList(routeKey)) {
                for (String size : List.of("-1", "abc", "1e9", "0", "10001", "", " 5", "99999999999999999999", "1.5")) {
                    corpus.add(withQuery(routeKey, "$first", size));
                    corpus.add(withQuery(routeKey, "$last", size));
                }
                corpus.add(withQuery(routeKey, "$first", "5", "$last", "5"));
                corpus.add(withQuery(routeKey, "$after", someId, "$before", someId));
                corpus.add(withQuery(routeKey, "$before", someId, "$first", "5"));
                corpus.add(withQuery(routeKey, "$after", someId, "$last", "5"));
                for (String anchor : List.of(
                        someId,
                        tenant.pathValues().get("id").substring(0, 13),
                        "",
                        " ",
                        longText,
                        "not-an-id",
                        "00000000-0000-0000-0000-000000000000",
                        "\u0000",
                        "../x")) {
                    corpus.add(withQuery(routeKey, "$after", anchor));
                    corpus.add(withQuery(routeKey, "$before", anchor, "$last", "5"));
                }
            }
            if (routeKey.equals(DeployedRoutes.LIST_EVENTS)) {
                for (String date : List.of(
                        "2026-13-45",
                        "yesterday",
                        "2026-01-01T00:00:00",
                        "99999-01-01",
                        "",
                        "0",
                        "2026-02-30",
                        "2026-01-01T25:00:00Z",
                        longText)) {
                    corpus.add(withQuery(routeKey, "start_date", date));
                    corpus.add(withQuery(routeKey, "end_date", date));
                }
                corpus.add(withQuery(routeKey, "start_date", "2026-02-01", "end_date", "2026-01-01"));
                corpus.add(withQuery(routeKey, "action", longText));
                corpus.add(withQuery(routeKey, "actor.value", ""));
                corpus.add(withQuery(routeKey, "target.issuer", longText));
                corpus.add(withQuery(routeKey, "context.query", longText));
                corpus.add(withQuery(routeKey, "action", "a", "actor.value", ""));
            }
            if (isCanvas(routeKey)) {
                for (String time :
                        List.of("2026-13-45", "yesterday", "99999-01-01", "2026-01-01T25:00:00Z", longText, "1e9")) {
                    corpus.add(withQuery(routeKey, "start_time", time));
                    corpus.add(withQuery(routeKey, "end_time", time));
                }
                String forged = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                ("x".repeat(32) + "{\"f\":\"course\",\"o\":\"course-1\",\"a\":\"" + someId + "\"}")
                                        .getBytes(StandardCharsets.UTF_8));
                for (String token : List.of(
                        forged,
                        "AAAA",
                        "!!!!",
                        longText,
                        "%%%",
                        forged.substring(0, forged.length() / 2),
                        Base64.getUrlEncoder().encodeToString(new byte[33]))) {
                    corpus.add(withQuery(routeKey, "page", token));
                }
            }
            if (DeployedRoutes.hasBody(routeKey)) {
                String valid = DeployedRoutes.validBody(routeKey);
                for (String body : List.of(
                        "{",
                        "{\"action\": ",
                        valid.substring(0, valid.length() / 2),
                        "",
                        "   ",
                        "null",
                        "[]",
                        "\"text\"",
                        "42",
                        "true",
                        "{}{}",
                        valid + " trailing",
                        "{'single': 'quotes'}",
                        "{\"a\":1,}",
                        "[".repeat(10_000) + "]".repeat(10_000),
                        "{\"a\":".repeat(100) + "1" + "}".repeat(100),
                        "\uFEFF" + valid,
                        "{\"\u0000\": 1}")) {
                    corpus.add(withBody(
                            body.length() > 40 ? body.substring(0, 40) + "... (" + body.length() + " chars)" : body,
                            routeKey,
                            body));
                }
                // JSON that parses but that the service must not take as it stands.
                ObjectNode parsed = (ObjectNode) Json.readStored(valid);
                String firstName = parsed.fieldNames().next();
                corpus.add(withBody(
                        "a name given twice",
                        routeKey,
                        "{\"" + firstName + "\": " + Json.write(parsed.get(firstName)) + ", "
                                + valid.substring(valid.indexOf('{') + 1)));
                for (String value :
                        List.of("\"\\ud800\"", "\"x\\udc00\"", "1e10000000", "-1e-10000000", "1" + "0".repeat(400))) {
                    corpus.add(withBody(
                            "value " + value.substring(0, Math.min(value.length(), 20)),
                            routeKey,
                            "{\"hostile\": " + value + ", " + valid.substring(valid.indexOf('{') + 1)));
                }
                corpus.add(withBody("a 2 MB string", routeKey, "{\"data\": \"" + "x".repeat(2_000_000) + "\"}"));
                corpus.add(withBody("2 MB of whitespace", routeKey, " ".repeat(2_000_000) + valid));
                corpus.add(withRawBody(
                        "invalid UTF-8", routeKey, Base64.getEncoder().encodeToString(new byte[] {
                            '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
                        })));
                corpus.add(withRawBody(
                        "overlong UTF-8",
                        routeKey,
                        Base64.getEncoder().encodeToString(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'})));
                corpus.add(withRawBody("invalid base64", routeKey, "!!!not base64!!!"));
                corpus.add(
                        withRawBody("2 MB base64", routeKey, Base64.getEncoder().encodeToString(new byte[2_000_000])));
                ObjectNode validJson = (ObjectNode) Json.readStored(valid);
                if (DeployedRoutes.storesBodyAsSent(routeKey)) {
                    continue;
                }
                corpus.add(withBody(
                        "unknown field",
                        routeKey,
                        Json.write(validJson.deepCopy().put("unexpected", 1))));
                validJson.fieldNames().forEachRemaining(field -> {
                    for (String wrong : List.of("42", "true", "\"\"", "{\"deep\": {\"er\": [1, 2]}}")) {
                        ObjectNode changed = validJson.deepCopy();
                        changed.set(field, Json.readStored(wrong));
                        if (!(field.equals("data")
                                && routeKey.equals("POST /api/v2/audit/events")
                                && !wrong.equals("42"))) {
                            corpus.add(withBody(field + "=" + wrong, routeKey, Json.write(changed)));
                        }
                    }
                });
            }
        }
        corpus.addAll(schemaCorpus());
        corpus.addAll(ingestCorpus());
        corpus.addAll(adminCorpus());
        return corpus;
    }

    /** Definitions that are not JSON Schemas, or that would make compiling or validating blow up. */
    private static List<Hostile> schemaCorpus() {
        List<Hostile> corpus = new ArrayList<>();
        String deepRefChain;
        {
            StringBuilder defs = new StringBuilder("{\"$ref\": \"#/$defs/d0\", \"$defs\": {");
            for (int i = 0; i < 500; i++) {
                defs.append(i == 0 ? "" : ",")
                        .append("\"d")
                        .append(i)
                        .append("\": {\"$ref\": \"#/$defs/d")
                        .append(i + 1)
                        .append("\"}");
            }
            deepRefChain =
                    defs.append(", \"d500\": {\"$ref\": \"#/$defs/d0\"}}}").toString();
        }
        List<String> definitions = List.of(
                "{\"type\": \"nonsense\"}",
                "{\"type\": 42}",
                "{\"$schema\": \"http://example.com/my-dialect\"}",
                "{\"$schema\": 42}",
                "{\"$ref\": \"http://127.0.0.1:1/remote.json\"}",
                "{\"$ref\": \"file:///etc/passwd\"}",
                "{\"$ref\": \"#/$defs/missing\"}",
                "{\"$ref\": \"#\"}",
                "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}",
                deepRefChain,
                "{\"type\": \"string\", \"pattern\": \"(a+)+$\"}",
                "{\"type\": \"string\", \"pattern\": \"^(\\\\w+\\\\s?)*$\"}",
                "{\"patternProperties\": {\"(x*)*y\": {}}}",
                "{\"type\": \"string\", \"pattern\": \"" + "a".repeat(20_000) + "\"}",
                "{\"type\": \"string\", \"pattern\": \"[unclosed\"}",
                "{\"type\": \"string\", \"pattern\": \"(?<\"}",
                "{\"properties\": {\"a\": {\"type\": \"string\", \"pattern\": \"(a|b+)*\"}}, \"pattern\": \"(a+)+\"}",
                "{\"minLength\": -1}",
                "{\"properties\": {\"\": {\"type\": 42}, \"it's\": {\"minimum\": \"x\"}}}",
                "{\"required\": \"grade\"}",
                "{\"format\": 42}",
                "{\"properties\": {\"a\": " + "{\"items\": ".repeat(200) + "{}" + "}".repeat(200) + "}}",
                "{\"description\": \"" + "d".repeat(70_000) + "\"}");
        for (int i = 0; i < definitions.size(); i++) {
            String definition = definitions.get(i);
            // A fresh action each, so that no refusal is merely the 409 of an action already defined.
            String body = "{\"action\": {\"id\": \"hostile.schema." + i + "\", \"type\": \"other\"}, \"data\": "
                    + definition + "}";
            String name = definition.length() > 60 ? definition.substring(0, 60) + "..." : definition;
            corpus.add(withBody("schema " + name, "POST /api/v2/audit/schemas", body));
            corpus.add(call(
                    "patch schema " + name,
                    "PATCH /api/v2/audit/schemas/{identifier}",
                    () -> tenant.call("PATCH /api/v2/audit/schemas/{identifier}")
                            .body("{\"data\": " + definition + "}")));
        }
        corpus.add(withBody(
                "schema action.id too long",
                "POST /api/v2/audit/schemas",
                "{\"action\": {\"id\": \"" + "a".repeat(300) + "\", \"type\": \"other\"}}"));
        corpus.add(withBody(
                "schema action.type wrong",
                "POST /api/v2/audit/schemas",
                "{\"action\": {\"id\": \"x\", \"type\": \"destroy\"}}"));
        corpus.add(withBody(
                "schema defines actor",
                "POST /api/v2/audit/schemas",
                "{\"action\": {\"id\": \"x\", \"type\": \"other\"}, \"actor\": {}}"));
        corpus.add(call(
                "patch changes action id",
                "PATCH /api/v2/audit/schemas/{identifier}",
                () -> tenant.call("PATCH /api/v2/audit/schemas/{identifier}")
                        .body("{\"action\": {\"id\": \"other.action\"}}")));
        return corpus;
    }

    /** Admin bodies whose values would reach a key, or that name what the body does not take. */
    private static List<Hostile> adminCorpus() {
        List<Hostile> corpus = new ArrayList<>();
        String attach = "POST /api/v2/admin/applications/{application_id}/integrations";
        // The id keys the application's list of integrations, whose sort key holds 1,024 bytes.
        for (String id : List.of("a".repeat(3_000), "\u2603".repeat(100), " ")) {
            corpus.add(withBody(
                    "integration_id of " + id.length() + " characters",
                    attach,
                    "{\"integration_id\": \"" + id + "\"}"));
        }
        String tokens = "POST /api/v2/admin/integrations/{integration_id}/tokens";
        for (String body :
                List.of("{\"scopes\": \"graph:read\"}", "{\"scopes\": [42]}", "{\"scope\": [\"graph:read\"]}")) {
            corpus.add(withBody(body, tokens, body));
        }
        corpus.add(withBody(
                "name of 201 characters",
                "POST /api/v2/admin/applications",
                "{\"name\": \"" + "n".repeat(201) + "\"}"));
        return corpus;
    }

    /** Events that break a built-in rule or the strict schema, in every shape a field can take. */
    private static List<Hostile> ingestCorpus() {
        String route = "POST /api/v2/audit/events";
        String action = "\"action\": \"" + Tenant.ACTION + "\"";
        String actor =
                "\"actor\": {\"identifiers\": [{\"value\": \"t\", \"issuer\": \"gradebook\"}], \"type\": \"person\"}";
        String targets = "\"targets\": []";
        String scope = "\"scope\": {\"id\": \"" + DeployedRoutes.SCHOOL + "\", \"type\": \"institution\"}";
        String base = action + ", " + actor + ", " + targets + ", " + scope;
        String withoutActor = action + ", " + targets + ", " + scope;
        String withoutTargets = action + ", " + actor + ", " + scope;
        String withoutScope = action + ", " + actor + ", " + targets;
        String target = "{\"identifiers\": [{\"value\": \"x\", \"issuer\": \"i\"}], \"type\": \"t\"}";
        List<String> events = List.of(
                "{" + base + ", \"id\": \"not-a-uuid\"}",
                "{" + base + ", \"id\": \"00000000-0000-7000-8000-000000000000\"}",
                "{" + base + ", \"id\": \"" + EventIds.next(Instant.now().plusSeconds(86_400)) + "\"}",
                "{" + base + ", \"date\": \"2026-01-01T00:00:00Z\"}",
                "{" + withoutActor + ", \"actor\": {\"identifiers\": [{\"value\": \"" + "a".repeat(300)
                        + "\", \"issuer\": \"i\"}], \"type\": \"person\"}}",
                "{" + withoutActor
                        + ", \"actor\": {\"identifiers\": [{\"value\": 42, \"issuer\": \"i\"}], \"type\": \"person\"}}",
                "{" + withoutActor
                        + ", \"actor\": {\"identifiers\": [{\"value\": \"\", \"issuer\": \"i\"}], \"type\": \"person\"}}",
                "{" + withoutActor + ", \"actor\": {\"identifiers\": [], \"type\": \"person\"}}",
                "{" + withoutActor
                        + ", \"actor\": {\"identifiers\": [{\"value\": \"t\", \"issuer\": \"i\"}], \"type\": \"robot\"}}",
                "{" + withoutActor + ", \"actor\": {\"id\": \"t\", \"type\": \"person\"}}",
                "{" + withoutActor + "}",
                "{" + withoutTargets + ", \"targets\": [" + (target + ",").repeat(20) + target + "]}",
                "{" + withoutTargets + ", \"targets\": {\"id\": \"x\"}}",
                "{" + withoutTargets + ", \"targets\": [{\"type\": \"t\"}]}",
                "{" + withoutTargets + "}",
                "{" + withoutScope + ", \"scope\": {\"Bad Key\": \"x\"}}",
                "{" + withoutScope + ", \"scope\": [1]}",
                "{" + withoutScope + ", \"scope\": {\"id\": \"x\", \"type\": \"district\"}}",
                "{" + withoutScope + ", \"scope\": {\"id\": \"another-integration\", \"type\": \"integration\"}}",
                "{" + withoutScope + ", \"scope\": {\"id\": \"no-such-school\", \"type\": \"institution\"}}",
                "{" + withoutScope + "}",
                "{" + base + ", \"context\": {\"blob\": \"x\"}}",
                "{" + base + ", \"context\": {\"user_agent\": \"" + "c".repeat(20_000) + "\"}}",
                "{" + base + ", \"context\": {\"http_status\": \"ok\"}}",
                "{" + base + ", \"context\": {\"http_status\": 42}}",
                "{" + base + ", \"context\": [1]}",
                "{" + base + ", \"data\": {\"grade\": 42}}",
                "{" + base + ", \"data\": {\"grade\": \"" + "g".repeat(500_000) + "\"}}",
                "{" + base + ", \"created_date\": \"2026-01-01T00:00:00Z\"}",
                "{" + base + ", \"validation\": {}}",
                "{" + base + ", \"action_type\": \"create\"}",
                "{\"action\": {\"id\": \"" + Tenant.ACTION + "\", \"type\": \"update\"}, " + actor + ", " + targets
                        + ", " + scope + "}",
                "{\"action\": 42, " + actor + ", " + targets + ", " + scope + "}",
                "{\"events\": []}",
                "{\"events\": {}}",
                "{\"events\": [" + ("{" + base + "},").repeat(100) + "{" + base + "}]}",
                "{\"events\": [{" + base + "}], \"extra\": 1}");
        List<Hostile> corpus = new ArrayList<>();
        for (String event : events) {
            corpus.add(
                    withBody("event " + (event.length() > 80 ? event.substring(0, 80) + "..." : event), route, event));
        }
        for (String key : List.of("", "k".repeat(256))) {
            corpus.add(call(
                    "idempotency key of " + key.length(),
                    route,
                    () -> tenant.call(route).header("Idempotency-Key", key).body(DeployedRoutes.validBody(route))));
        }
        corpus.add(call(
                "two different idempotency keys",
                route,
                () -> tenant.call(route)
                        .header("Idempotency-Key", "a")
                        .query("$idempotency", "b")
                        .body(DeployedRoutes.validBody(route))));
        return corpus;
    }

    @Test
    void everyHostileRequestIsA4xxWithAClearMessageAndWritesNothing() {
        Set<String> before = Tenant.everyItem(SERVICES);
        List<Hostile> corpus = corpus();
        List<String> failures = new ArrayList<>();
        for (Hostile hostile : corpus) {
            String problem = judge(hostile);
            if (problem != null) {
                failures.add(hostile.routeKey() + " [" + hostile.name() + "] -> " + problem);
            }
        }
        assertEquals(
                List.of(), failures, failures.size() + " of " + corpus.size() + " hostile requests were mishandled");
        Set<String> after = Tenant.everyItem(SERVICES);
        Set<String> written = new java.util.TreeSet<>(after);
        written.removeAll(before);
        Set<String> removed = new java.util.TreeSet<>(before);
        removed.removeAll(after);
        assertEquals(Set.of(), written, "hostile requests wrote to the store");
        assertEquals(Set.of(), removed, "hostile requests changed or deleted items");
        assertTrue(corpus.size() > 300, "the corpus has " + corpus.size() + " requests");
    }

    /** Null when the answer is a proper refusal, else what is wrong with it. */
    private static String judge(Hostile hostile) {
        APIGatewayV2HTTPResponse response;
        try {
            response = ROUTES.handle(hostile.event().get());
        } catch (Throwable escaped) {
            return "escaped the handler: " + escaped;
        }
        String body = response.getBody();
        if (response.getStatusCode() < 400 || response.getStatusCode() >= 500) {
            return response.getStatusCode() + " " + abbreviate(body);
        }
        JsonNode json;
        try {
            json = Json.readStored(body);
        } catch (RuntimeException e) {
            return "a body that is not JSON: " + abbreviate(body);
        }
        JsonNode errors = json.has("$errors") ? json.path("$errors") : json.path("errors");
        if (!errors.isArray()
                || errors.isEmpty()
                || errors.path(0).path("message").asText("").isBlank()) {
            return "no error message: " + abbreviate(body);
        }
        if (body.contains("Exception") || body.contains("eduledger.") || body.contains("\tat ")) {
            return "internals in the message: " + abbreviate(body);
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Test
    void aPatternThatBacktracksExponentiallyCannotHoldValidation() {
        // (a|aa)+ passes the syntactic check, yet takes exponential time on a long run of a's.
        String action = "slow.pattern";
        Response created = ROUTES.send(
                ApiCall.to("POST /api/v2/audit/schemas")
                        .token(tenant.token())
                        .body(
                                "{\"action\": {\"id\": \"" + action
                                        + "\", \"type\": \"other\"}, \"validation_level\": \"strict\","
                                        + " \"data\": {\"type\": \"object\", \"properties\": {\"s\": {\"type\": \"string\", \"pattern\": \"^(a|aa)+$\"}}}}"));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        Response refused = ROUTES.send(ApiCall.to("POST /api/v2/audit/events")
                .token(tenant.token())
                .body(DeployedRoutes.event(action, "t", "{\"s\": \"" + "a".repeat(64) + "b\"}")));
        assertEquals(422, refused.status(), String.valueOf(refused.body()));
        Response accepted = ROUTES.send(ApiCall.to("POST /api/v2/audit/events")
                .token(tenant.token())
                .body(DeployedRoutes.event(action, "t", "{\"s\": \"aaaa\"}")));
        assertEquals(201, accepted.status(), "a short match stays within budget: " + accepted.body());
    }
}
