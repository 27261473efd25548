package eduledger.reliability;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.testing.ApiCall;
import eduledger.testing.TestServices;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of what parses a request: bodies mutated from valid ones, random text and
 * bytes, random query parameters and path parameters, on every route of the template. Whatever
 * arrives, the handler answers (nothing escapes it) and the answer is never a 5xx.
 */
class RequestFuzzTest {
    private static Services services;
    private static DeployedRoutes routes;
    private static Tenant tenant;

    private static final List<String> QUERY_NAMES = List.of(
            "$first",
            "$last",
            "$after",
            "$before",
            "$idempotency",
            "start_date",
            "end_date",
            "action",
            "actor_id",
            "target_id",
            "conforms",
            "per_page",
            "page",
            "start_time",
            "end_time",
            "unknown");

    @BeforeContainer
    static void tenant() {
        // Floods one integration on purpose: its rate limit is TenantRateLimitTest's subject.
        services = TestServices.withTenantLimit(TestServices.shared(), 1_000_000);
        routes = new DeployedRoutes(services);
        tenant = Tenant.create(services, routes, EventIds.next(Instant.now().minusSeconds(60)));
    }

    @Property(tries = 400)
    void mutatedBodiesNeverMakeA5xx(@ForAll("writeRoutes") String routeKey, @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        JsonNode mutated = mutate(Json.readStored(DeployedRoutes.validBody(routeKey)), random, 0);
        // Each mutant under its own action, so a valid one creates instead of meeting a 409 every time.
        if (routeKey.equals("POST /api/v2/audit/schemas")
                && mutated instanceof ObjectNode object
                && object.path("action") instanceof ObjectNode action
                && random.nextBoolean()) {
            action.put("id", "fuzz." + seed);
        }
        assertAnswered(tenant.call(routeKey).body(Json.write(mutated)).event());
    }

    @Property(tries = 200)
    void randomTextAndBytesNeverMakeA5xx(@ForAll("writeRoutes") String routeKey, @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        APIGatewayV2HTTPEvent event = tenant.call(routeKey).event();
        if (random.nextBoolean()) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            event.setBody(Base64.getEncoder().encodeToString(bytes));
            event.setIsBase64Encoded(true);
        } else {
            String valid = DeployedRoutes.validBody(routeKey);
            StringBuilder text = new StringBuilder(valid.substring(0, random.nextInt(valid.length())));
            for (int i = random.nextInt(20); i > 0; i--) {
                text.insert(random.nextInt(text.length() + 1), randomText(random, 3));
            }
            event.setBody(text.toString());
        }
        assertAnswered(event);
    }

    @Property(tries = 400)
    void randomQueryAndPathParametersNeverMakeA5xx(@ForAll("routes") String routeKey, @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        ApiCall call = tenant.call(routeKey);
        for (int i = random.nextInt(4); i > 0; i--) {
            call.query(QUERY_NAMES.get(random.nextInt(QUERY_NAMES.size())), randomValue(random));
        }
        if (random.nextInt(4) == 0) {
            for (String name : tenant.pathValues().keySet()) {
                if (routeKey.contains("{" + name + "}")) {
                    call.path(name, randomValue(random));
                }
            }
        }
        if (DeployedRoutes.hasBody(routeKey)) {
            call.body(DeployedRoutes.validBody(routeKey));
        }
        assertAnswered(call.event());
    }

    @Provide
    Arbitrary<String> routes() {
        return Arbitraries.of(DeployedRoutes.routeKeys());
    }

    @Provide
    Arbitrary<String> writeRoutes() {
        return Arbitraries.of(DeployedRoutes.routeKeys().stream()
                .filter(DeployedRoutes::hasBody)
                .toList());
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static void assertAnswered(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response;
        try {
            response = routes.handle(event);
        } catch (Throwable escaped) {
            throw new AssertionError(
                    "escaped the handler for " + event.getRouteKey() + " body " + abbreviate(event.getBody()), escaped);
        }
        if (response.getStatusCode() >= 500) {
            throw new AssertionError(response.getStatusCode() + " for " + event.getRouteKey() + " query "
                    + event.getQueryStringParameters() + " path " + event.getPathParameters() + " body "
                    + abbreviate(event.getBody()) + " -> " + response.getBody());
        }
        JsonNode body = Json.readStored(ApiCall.bodyOf(response));
        if (response.getStatusCode() >= 400 && !(body.has("$errors") || body.has("errors"))) {
            throw new AssertionError("an error without errors: " + response.getBody());
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    /** The same tree with some values swapped for random ones of any type, fields added or removed. */
    private static JsonNode mutate(JsonNode node, Random random, int depth) {
        if (random.nextInt(5) == 0) {
            return randomJson(random, depth);
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            List<String> names = new ArrayList<>();
            copy.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (random.nextInt(6) == 0) {
                    copy.remove(name);
                } else {
                    copy.set(name, mutate(copy.get(name), random, depth + 1));
                }
            }
            if (random.nextInt(6) == 0) {
                copy.set(randomText(random, 8), randomJson(random, depth + 1));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(element -> copy.add(mutate(element, random, depth + 1)));
            if (random.nextInt(4) == 0) {
                copy.add(randomJson(random, depth + 1));
            }
            return copy;
        }
        return node;
    }

    private static JsonNode randomJson(Random random, int depth) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        int kind = random.nextInt(depth > 6 ? 6 : 8);
        return switch (kind) {
            case 0 -> json.nullNode();
            case 1 -> json.booleanNode(random.nextBoolean());
            case 2 -> json.numberNode(random.nextLong());
            case 3 -> json.numberNode(new BigDecimal(random.nextInt(3) == 0 ? "1e" + random.nextInt(1000) : "-0.5"));
            case 4, 5 -> json.textNode(randomValue(random));
            case 6 -> {
                ArrayNode array = json.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomJson(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = json.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(
                            random.nextBoolean()
                                    ? randomText(random, 6)
                                    : List.of("id", "type", "data", "action", "$ref", "pattern", "events", "targets")
                                            .get(random.nextInt(8)),
                            randomJson(random, depth + 1));
                }
                yield object;
            }
        };
    }

    /** Values a parser is likely to trip on: numbers in odd forms, dates, ids, control and wide characters. */
    private static String randomValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 ->
                List.of(
                                "-1",
                                "0",
                                "1e9",
                                "NaN",
                                "",
                                " ",
                                "10001",
                                "2026-02-30",
                                "2026-01-01T00:00:00",
                                "true",
                                "null",
                                "%00",
                                "#",
                                "..")
                        .get(random.nextInt(14));
            case 2 -> EventIds.next(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)));
            case 3 ->
                Instant.ofEpochSecond(random.nextLong(-100_000_000_000L, 100_000_000_000L))
                        .toString();
            case 4 -> "x".repeat(random.nextInt(2_000));
            default -> randomText(random, 40);
        };
    }

    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            int pick = random.nextInt(10);
            text.appendCodePoint(
                    pick < 5
                            ? random.nextInt(32, 127)
                            : pick < 7
                                    ? random.nextInt(0, 32)
                                    : pick < 9 ? random.nextInt(0x80, 0xD7FF) : random.nextInt(0x10000, 0x10FFFF));
        }
        return new String(text.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
