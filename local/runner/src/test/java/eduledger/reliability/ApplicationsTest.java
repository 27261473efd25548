package eduledger.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eduledger.auth.Scope;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Applications as Edlink has them, driven through the deployed routes with the bodies Edlink's
 * documentation shows: the operator makes two applications and attaches integrations to them; each
 * application's secret key sends and reads the audit events of its own integrations (and of the
 * institutions they see), and of nothing else; integration tokens keep the graph and schema
 * routes, and a schema made with one integration's token governs all the application's
 * integrations.
 */
class ApplicationsTest {
    private static final Services SERVICES = TestServices.shared();
    private static final DeployedRoutes ROUTES = new DeployedRoutes(SERVICES);
    private static final String EVENTS = "POST /api/v2/audit/events";
    private static final String LIST = "GET /api/v2/audit/events/{scope_id}/{scope_type}";
    private static final String GET_EVENT = "GET /api/v2/audit/events/{id}";
    private static final String META_LIST = "GET /api/v1/integrations";
    private static final String META_GET = "GET /api/v1/integrations/{id}";
    private static final String MINE = "GET /api/v2/my/integration";

    private static final String SEEN_BY_A2 = "apps-district-" + System.nanoTime();
    private static final String SEEN_BY_NONE_OF_A = "apps-other-district-" + System.nanoTime();

    private static String admin;
    private static App appA;
    private static App appB;
    /** A's integrations and their tokens: a2 sees {@link #SEEN_BY_A2}, a1 nothing. */
    private static Member a1;

    private static Member a2;
    private static Member b1;

    record App(String id, String secret) {}

    record Member(String id, String token) {}

    @BeforeAll
    static void twoApplicationsWithTheirIntegrations() {
        admin = SERVICES.tokens().issue("platform-operator", Set.of(Scope.ADMIN));
        RosterStore roster = new RosterStore(SERVICES.dynamo(), SERVICES.tables(), SERVICES.clock());
        for (String district : List.of(SEEN_BY_A2, SEEN_BY_NONE_OF_A)) {
            roster.put(
                    RosterCollection.ORGANIZATIONS,
                    district,
                    Json.readStored("{\"name\": \"District\", \"type\": \"district\"}"),
                    SourceWrite.api());
        }
        appA = application("Acme Learning");
        appB = application("Beta Reading");
        List<Member> ofA = new ArrayList<>(List.of(
                integration("{\"name\": \"Acme at North\", \"sharing\": {\"type\": \"rules\", \"organization_ids\":"
                        + " [\"" + SEEN_BY_NONE_OF_A + "-absent\"]}}"),
                integration("{\"name\": \"Acme at South\", \"sharing\": {\"type\": \"rules\", \"organization_ids\":"
                        + " [\"" + SEEN_BY_A2 + "\"]}}")));
        a1 = ofA.get(0);
        a2 = ofA.get(1);
        b1 = integration("{\"name\": \"Beta at West\", \"sharing\": {\"type\": \"all\"}}");
        for (Member member : List.of(a1, a2)) {
            assertEquals(200, attach(appA, member).status());
        }
        assertEquals(200, attach(appB, b1).status());
    }

    private static App application(String name) {
        Response created =
                send(ApiCall.to("POST /api/v2/admin/applications").token(admin).body("{\"name\": \"" + name + "\"}"));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return new App(
                created.data().path("id").asText(),
                created.data().path("secret").asText());
    }

    private static Member integration(String body) {
        Response created =
                send(ApiCall.to("POST /api/v2/admin/integrations").token(admin).body(body));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String id = created.data().path("id").asText();
        Response token = send(ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                .token(admin)
                .path("integration_id", id)
                .body("{\"scopes\": [\"graph:read\", \"schemas:admin\", \"audit:write\", \"audit:read\"]}"));
        assertEquals(201, token.status(), String.valueOf(token.body()));
        return new Member(id, token.data().path("token").asText());
    }

    private static Response attach(App app, Member member) {
        return send(ApiCall.to("POST /api/v2/admin/applications/{application_id}/integrations")
                .token(admin)
                .path("application_id", app.id())
                .body("{\"integration_id\": \"" + member.id() + "\"}"));
    }

    private static Response send(ApiCall call) {
        return ROUTES.send(call);
    }

    /** An event as Edlink's documentation shows one, scoped as given. */
    private static String event(String scopeId, String scopeType, String data) {
        return """
                {
                  "action": "quiz.grade",
                  "actor": {"identifiers": [{"value": "teacher-7", "issuer": "gradebook"}], "type": "person"},
                  "targets": [{"identifiers": [{"value": "student-41", "issuer": "gradebook"}], "type": "person"}],
                  "scope": {"id": "%s", "type": "%s"},
                  "context": {"source": "gradebook", "http_method": "POST", "http_status": 200, "path": "/grades"},
                  "data": %s
                }""".formatted(scopeId, scopeType, data);
    }

    private static Response post(String credential, String body) {
        return send(ApiCall.to(EVENTS).token(credential).body(body));
    }

    private static Response list(String credential, String scopeId, String scopeType) {
        return send(ApiCall.to(LIST).token(credential).path("scope_id", scopeId).path("scope_type", scopeType));
    }

    @Test
    void theApplicationsSecretIsShownOnceAndNeverReadBack() {
        Response read = send(ApiCall.to("GET /api/v2/admin/applications/{application_id}")
                .token(admin)
                .path("application_id", appA.id()));
        assertEquals(200, read.status());
        assertEquals("Acme Learning", read.data().path("name").asText());
        assertFalse(read.body().toString().contains(appA.secret()), read.body().toString());
        assertFalse(read.data().has("secret"));
        assertTrue(appA.secret().startsWith("edl_"));
    }

    @Test
    void anIntegrationBelongsToOneApplicationAndNoIntegrationHoldsTheApplicationScope() {
        assertEquals(200, attach(appA, a1).status(), "attaching again changes nothing");
        Response elsewhere = attach(appB, a1);
        assertEquals(409, elsewhere.status());
        assertEquals("INTEGRATION_HAS_APPLICATION", elsewhere.firstErrorCode());
        Response unknown = attach(new App("no-such-application", null), a1);
        assertEquals(404, unknown.status());
        assertEquals("APPLICATION_NOT_FOUND", unknown.firstErrorCode());
        Response read = send(ApiCall.to("GET /api/v2/admin/integrations/{integration_id}")
                .token(admin)
                .path("integration_id", a1.id()));
        assertEquals(appA.id(), read.data().path("application_id").asText());

        for (String scope : List.of("application", "admin")) {
            Response minted = send(ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                    .token(admin)
                    .path("integration_id", a1.id())
                    .body("{\"scopes\": [\"" + scope + "\"]}"));
            assertEquals(400, minted.status(), scope);
            assertEquals("INVALID_SCOPE", minted.firstErrorCode());
        }
    }

    @Test
    void aSchemaMadeWithOneIntegrationsTokenGovernsEveryIntegrationOfItsApplication() {
        Response created =
                send(ApiCall.to("POST /api/v2/audit/schemas").token(a1.token()).body("""
                        {
                          "action": {"id": "quiz.grade", "type": "update"},
                          "validation_level": "strict",
                          "data": {"type": "object", "required": ["score"],
                                   "properties": {"score": {"type": "number", "minimum": 0, "maximum": 100}}}
                        }"""));
        assertTrue(created.status() == 201 || created.status() == 409, String.valueOf(created.body()));
        Response throughA2 = send(ApiCall.to("GET /api/v2/audit/schemas/{identifier}")
                .token(a2.token())
                .path("identifier", "quiz.grade"));
        assertEquals(200, throughA2.status(), String.valueOf(throughA2.body()));
        assertEquals(
                404,
                send(ApiCall.to("GET /api/v2/audit/schemas/{identifier}")
                                .token(b1.token())
                                .path("identifier", "quiz.grade"))
                        .status());

        Response refused = post(appA.secret(), event(a2.id(), "integration", "{\"score\": 140}"));
        assertEquals(422, refused.status(), String.valueOf(refused.body()));
        Response stored = post(appA.secret(), event(a2.id(), "integration", "{\"score\": 92}"));
        assertEquals(201, stored.status(), String.valueOf(stored.body()));
        assertEquals("update", stored.data().path("action_type").asText());
        assertEquals(
                throughA2.data().path("id").asText(),
                stored.data().path("schema").path("id").asText());
        // B has no schema for the action: the same event is stored unchecked.
        Response unchecked = post(appB.secret(), event(b1.id(), "integration", "{\"score\": 140}"));
        assertEquals(201, unchecked.status(), String.valueOf(unchecked.body()));
        assertEquals("other", unchecked.data().path("action_type").asText());
    }

    @Test
    void anApplicationReadsAndWritesTheScopesOfItsOwnIntegrationsAndNoOthers() {
        Response ownIntegration = post(appA.secret(), event(a1.id(), "integration", "{\"score\": 50}"));
        assertEquals(201, ownIntegration.status(), String.valueOf(ownIntegration.body()));
        Response seenInstitution = post(appA.secret(), event(SEEN_BY_A2, "institution", "{\"score\": 60}"));
        assertEquals(201, seenInstitution.status(), String.valueOf(seenInstitution.body()));
        String eventId = seenInstitution.data().path("id").asText();

        for (String[] scope : List.of(
                new String[] {b1.id(), "integration"},
                new String[] {SEEN_BY_NONE_OF_A, "institution"},
                new String[] {"no-such-integration", "integration"})) {
            Response write = post(appA.secret(), event(scope[0], scope[1], "{\"score\": 1}"));
            assertEquals(403, write.status(), scope[0]);
            assertEquals("SCOPE_NOT_ALLOWED", write.firstErrorCode());
            Response read = list(appA.secret(), scope[0], scope[1]);
            assertEquals(404, read.status(), scope[0]);
            assertEquals("SCOPE_NOT_FOUND", read.firstErrorCode());
        }

        Response listed = list(appA.secret(), SEEN_BY_A2, "institution");
        assertEquals(200, listed.status());
        assertTrue(listed.data().toString().contains(eventId));
        Response one = send(ApiCall.to(GET_EVENT).token(appA.secret()).path("id", eventId));
        assertEquals(200, one.status());
        assertEquals(SEEN_BY_A2, one.data().path("scope").path("id").asText());

        // B's secret: A's event and A's scopes do not exist for it.
        assertEquals(
                404,
                send(ApiCall.to(GET_EVENT).token(appB.secret()).path("id", eventId))
                        .status());
        assertEquals(404, list(appB.secret(), a1.id(), "integration").status());
        Response intoA = post(appB.secret(), event(a1.id(), "integration", "{\"score\": 1}"));
        assertEquals(403, intoA.status());
        // B's integration sees every district, so B may scope events to the one A wrote to: B's list
        // of it holds B's events only.
        assertEquals(
                201,
                post(appB.secret(), event(SEEN_BY_A2, "institution", "{\"score\": 2}"))
                        .status());
        Response bsList = list(appB.secret(), SEEN_BY_A2, "institution");
        assertEquals(200, bsList.status());
        assertEquals(1, bsList.data().size(), String.valueOf(bsList.body()));
        assertFalse(bsList.data().toString().contains(eventId));
    }

    @Test
    void credentialsReachOnlyTheirOwnRoutes() {
        // An integration of an application uses the application's secret for audit events.
        for (Member member : List.of(a1, b1)) {
            Response write = post(member.token(), event(member.id(), "integration", "{\"score\": 3}"));
            assertEquals(403, write.status());
            assertEquals("APPLICATION_SECRET_REQUIRED", write.firstErrorCode());
            Response read = list(member.token(), member.id(), "integration");
            assertEquals(403, read.status());
            assertEquals("APPLICATION_SECRET_REQUIRED", read.firstErrorCode());
        }
        // An application's secret reaches no graph, schema, source or course route.
        for (ApiCall call : List.of(
                ApiCall.to("GET /api/v2/graph/events"),
                ApiCall.to("GET /api/v2/audit/schemas"),
                ApiCall.to("POST /api/v2/audit/schemas").body("{\"action\": {\"id\": \"x.y\", \"type\": \"read\"}}"),
                ApiCall.to("PUT /api/v2/source/{collection}/{id}")
                        .path("collection", "organizations")
                        .path("id", "x")
                        .body("{\"name\": \"X\"}"),
                ApiCall.to("GET /api/v2/admin/integrations/{integration_id}").path("integration_id", a1.id()))) {
            Response response = send(call.token(appA.secret()));
            assertEquals(403, response.status(), String.valueOf(response.body()));
            assertEquals("INSUFFICIENT_SCOPE", response.firstErrorCode());
        }
        Response course = send(ApiCall.to("GET /api/v1/audit/course/courses/{course_id}")
                .token(appA.secret())
                .path("course_id", "c-1"));
        assertEquals(403, course.status());
    }

    @Test
    void theMetaRoutesListTheApplicationsIntegrationsInEdlinksShapeAndPaging() {
        List<String> ids = new ArrayList<>();
        Response page = send(ApiCall.to(META_LIST).token(appA.secret()).query("$first", "1"));
        int pages = 0;
        while (true) {
            assertEquals(200, page.status(), String.valueOf(page.body()));
            pages++;
            for (JsonNode integration : page.data()) {
                ids.add(integration.path("id").asText());
                assertEquals("active", integration.path("status").asText());
                assertEquals("rules", integration.path("developer_sharing").asText());
                assertEquals("all", integration.path("district_sharing").asText());
                assertEquals(appA.id(), integration.path("application_id").asText());
                assertTrue(integration.has("access_token")
                        && integration.path("access_token").isNull());
                assertTrue(integration.path("permissions").isArray());
            }
            if (page.next() == null) {
                break;
            }
            page = send(ApiCall.follow(META_LIST, page.next()).token(appA.secret()));
        }
        List<String> inIdOrder =
                java.util.stream.Stream.of(a1.id(), a2.id()).sorted().toList();
        assertEquals(inIdOrder, ids);
        assertEquals(2, pages);
        Response lastEnd = send(ApiCall.to(META_LIST).token(appA.secret()).query("$last", "1"));
        assertEquals(inIdOrder.get(1), lastEnd.data().path(0).path("id").asText());

        Response one = send(ApiCall.to(META_GET).token(appA.secret()).path("id", a2.id()));
        assertEquals(200, one.status());
        assertEquals("Acme at South", one.data().path("name").asText());
        Response others = send(ApiCall.to(META_GET).token(appA.secret()).path("id", b1.id()));
        assertEquals(404, others.status());
        assertEquals("INTEGRATION_NOT_FOUND", others.firstErrorCode());
        assertFalse(others.body().toString().contains("Beta"));
        Response withToken = send(ApiCall.to(META_LIST).token(a1.token()));
        assertEquals(403, withToken.status());

        Response mine = send(ApiCall.to(MINE).token(b1.token()));
        assertEquals(200, mine.status(), String.valueOf(mine.body()));
        assertEquals(b1.id(), mine.data().path("id").asText());
        assertEquals("active", mine.data().path("state").asText());
        assertEquals(appB.id(), mine.data().path("application_id").asText());
        assertTrue(mine.data().has("source_id") && mine.data().path("source_id").isNull());
        Response mineWithSecret = send(ApiCall.to(MINE).token(appB.secret()));
        assertEquals(403, mineWithSecret.status());
        assertEquals("INTEGRATION_TOKEN_REQUIRED", mineWithSecret.firstErrorCode());
        Response mineWithAdmin = send(ApiCall.to(MINE).token(admin));
        assertEquals(403, mineWithAdmin.status());
    }

    @Test
    void anIntegrationOfNoApplicationIsItsOwnAndKeepsWorkingWithItsToken() {
        Member alone = integration("{\"name\": \"On its own\"}");
        Response stored = post(alone.token(), event(alone.id(), "integration", "{\"score\": 5}"));
        assertEquals(201, stored.status(), String.valueOf(stored.body()));
        Response listed = list(alone.token(), alone.id(), "integration");
        assertEquals(200, listed.status());
        assertEquals(1, listed.data().size());
        Response mine = send(ApiCall.to(MINE).token(alone.token()));
        assertNull(mine.data().path("application_id").textValue());
        // Another application's secret does not reach it.
        assertEquals(404, list(appA.secret(), alone.id(), "integration").status());
        assertEquals(
                404,
                send(ApiCall.to(GET_EVENT)
                                .token(appA.secret())
                                .path("id", stored.data().path("id").asText()))
                        .status());
    }
}
