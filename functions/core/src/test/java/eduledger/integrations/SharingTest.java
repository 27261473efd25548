package eduledger.integrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.roster.OrganizationPath;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import eduledger.roster.SourceWrite;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SharingTest {
    private static RosterObject person(String role, String... path) {
        return new RosterObject(
                RosterCollection.PEOPLE,
                "p",
                Json.object().set("roles", Json.array().add(role)),
                new OrganizationPath(List.of(path)),
                SourceWrite.api());
    }

    @Test
    void rulesShowAnOrganizationWithEverythingUnderItAndFilterPeopleByRole() {
        Sharing district = new Sharing(Sharing.RULES, Set.of("d1"), Set.of(), 0);
        assertTrue(district.canSee(person("student", "d1", "s1")));
        assertFalse(district.canSee(person("student", "d2", "s1")));
        Sharing school = new Sharing(Sharing.RULES, Set.of("s1"), Set.of("teacher"), 0);
        assertTrue(school.canSee(person("teacher", "d1", "s1")));
        assertFalse(school.canSee(person("student", "d1", "s1")));
        RosterObject district1 = new RosterObject(
                RosterCollection.ORGANIZATIONS,
                "d1",
                Json.object(),
                new OrganizationPath(List.of("d1")),
                SourceWrite.api());
        assertFalse(school.canSee(district1), "a school's rules do not show its district");
        assertTrue(Sharing.all().canSee(person("student")));
        assertFalse(district.canSee(person("student")), "an object under no organization is only shared with all");
    }

    @Test
    void parsingNamesEveryProblem() {
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> Sharing.parse(Json.readStored("{\"type\": \"some\", \"organization_ids\": 3, \"extra\": true}")));
        assertEquals(
                Set.of("$.sharing.type", "$.sharing.extra", "$.sharing.organization_ids"),
                Set.copyOf(e.details().stream().map(d -> d.path()).toList()));
        assertEquals(
                Set.of("a", "b"),
                Sharing.parse(Json.readStored("{\"type\": \"rules\", \"organization_ids\": [\"b\", \"a\"]}"))
                        .organizationIds());
    }

    @Test
    void rulesNamingIdsNoObjectCanHaveOrTooManyAreRefusedUpFront() {
        String tooLong = "o".repeat(129);
        String nonAscii = "école";
        for (String id : List.of(tooLong, nonAscii, "a/b", "")) {
            ServiceException e = assertThrows(
                    ServiceException.class,
                    () -> Sharing.parse(Json.object()
                            .put("type", "rules")
                            .set("organization_ids", Json.array().add(id))));
            assertEquals("$.sharing.organization_ids", e.details().get(0).path(), id);
        }
        var many = Json.array();
        for (int i = 0; i <= Sharing.MAX_RULE_VALUES; i++) {
            many.add("org-" + i);
        }
        assertThrows(
                ServiceException.class,
                () -> Sharing.parse(Json.object().put("type", "rules").set("organization_ids", many)));
        ServiceException role = assertThrows(
                ServiceException.class,
                () -> Sharing.parse(Json.object()
                        .put("type", "rules")
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "organization_ids", Json.array().add("d"))
                        .set("person_roles", Json.array().add("r".repeat(65)))));
        assertEquals("$.sharing.person_roles", role.details().get(0).path());
        assertEquals(
                Set.of("o".repeat(128)),
                Sharing.parse(Json.object()
                                .put("type", "rules")
                                .set("organization_ids", Json.array().add("o".repeat(128))))
                        .organizationIds());
    }
}
