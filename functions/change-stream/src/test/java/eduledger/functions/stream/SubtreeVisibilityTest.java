package eduledger.functions.stream;

import static eduledger.functions.stream.GraphWorld.eventually;
import static eduledger.functions.stream.GraphWorld.rules;
import static eduledger.functions.stream.GraphWorld.types;
import static eduledger.functions.stream.GraphWorld.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eduledger.functions.stream.GraphWorld.Reader;
import eduledger.roster.RosterStore;
import eduledger.testing.ApiCall.Response;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moving an organization moves everything under it in and out of view, and objects written
 * before their organization join it once it is written; the tree refuses cycles and depth.
 */
class SubtreeVisibilityTest {
    private static GraphWorld world;

    @BeforeAll
    static void start() {
        world = new GraphWorld(List.of(), true);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Response organization(String id, String parent) {
        return world.put(
                "organizations",
                id,
                parent == null
                        ? "{\"name\": \"" + id + "\", \"type\": \"district\"}"
                        : "{\"name\": \"" + id + "\", \"type\": \"school\", \"parent_id\": \"" + parent + "\"}");
    }

    /** A school with a person, a course, a class and an enrollment; the ids, school first. */
    private static List<String> school(String school, String parent) {
        String person = unique("person");
        String course = unique("course");
        String klass = unique("class");
        String enrollment = unique("enrollment");
        assertEquals(201, organization(school, parent).status());
        world.put(
                "people",
                person,
                "{\"first_name\": \"p\", \"roles\": [\"student\"], \"school_id\": \"" + school + "\"}");
        world.put("courses", course, "{\"name\": \"c\", \"school_id\": \"" + school + "\"}");
        world.put(
                "classes",
                klass,
                "{\"name\": \"k\", \"school_id\": \"" + school + "\", \"course_id\": \"" + course + "\"}");
        world.put(
                "enrollments",
                enrollment,
                "{\"class_id\": \"" + klass + "\", \"person_id\": \"" + person + "\", \"role\": \"student\"}");
        return List.of(school, person, course, klass, enrollment);
    }

    private static Set<String> feedWith(Reader reader, Set<String> expected) {
        return eventually(
                () -> new HashSet<>(types(world.feed(reader))),
                seen -> seen.containsAll(expected),
                "events " + expected);
    }

    private static Set<String> typed(String prefix, List<String> ids) {
        List<String> kinds = List.of("organization", "person", "course", "class", "enrollment");
        Set<String> typed = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            typed.add(kinds.get(i) + "." + prefix + ":" + ids.get(i));
        }
        return typed;
    }

    @Test
    void movingAnOrganizationMovesItsWholeSubtreeInAndOutOfView() {
        String shared = unique("district-shared");
        String other = unique("district-other");
        Reader reader = world.reader(rules(shared));
        organization(shared, null);
        organization(other, null);
        String schoolId = unique("school");
        List<String> ids = school(schoolId, other);
        feedWith(reader, Set.of("organization.created:" + shared));

        assertEquals(200, organization(schoolId, shared).status());
        Set<String> created = typed("created", ids);
        feedWith(reader, created);

        assertEquals(200, organization(schoolId, other).status());
        Set<String> deleted = typed("deleted", ids);
        Set<String> all = new HashSet<>(created);
        all.addAll(deleted);
        all.add("organization.created:" + shared);
        Set<String> seen = feedWith(reader, all);
        assertEquals(all, seen, "the feed shows each object come and go once, and nothing of the other district");
    }

    @Test
    void objectsWrittenBeforeTheirOrganizationComeIntoViewWithIt() {
        String shared = unique("district-shared");
        Reader reader = world.reader(rules(shared));
        organization(shared, null);
        String schoolId = unique("school");
        String person = unique("early-person");
        world.put(
                "people",
                person,
                "{\"first_name\": \"p\", \"roles\": [\"student\"], \"school_id\": \"" + schoolId + "\"}");
        String sub = unique("sub-school");
        assertEquals(201, organization(sub, schoolId).status());

        assertEquals(201, organization(schoolId, shared).status());
        feedWith(
                reader,
                Set.of("organization.created:" + schoolId, "person.created:" + person, "organization.created:" + sub));
    }

    @Test
    void cyclesAndTooDeepChainsAreRefusedAtTheWrite() {
        String a = unique("org-a");
        String b = unique("org-b");
        assertEquals(409, organization(a, a).status(), "an organization under itself");
        assertEquals(201, organization(a, b).status());
        Response cycle = organization(b, a);
        assertEquals(409, cycle.status(), String.valueOf(cycle.body()));
        assertEquals("ORGANIZATION_CYCLE", cycle.firstErrorCode());
        assertEquals(201, organization(b, null).status());
        String c = unique("org-c");
        assertEquals(201, organization(c, a).status());
        assertEquals(409, organization(b, c).status(), "a cycle through three organizations");

        String top = unique("chain");
        String parent = null;
        for (int depth = 1; depth <= RosterStore.MAX_ORGANIZATION_DEPTH; depth++) {
            String id = top + "-" + depth;
            assertEquals(201, organization(id, parent).status(), "depth " + depth);
            parent = id;
        }
        Response tooDeep = organization(top + "-deeper", parent);
        assertEquals(422, tooDeep.status(), String.valueOf(tooDeep.body()));
        assertEquals("ORGANIZATION_TOO_DEEP", tooDeep.firstErrorCode());

        String loose = unique("loose");
        String looseChild = unique("loose-child");
        assertEquals(201, organization(loose, null).status());
        assertEquals(201, organization(looseChild, loose).status());
        Response movedTooDeep = organization(loose, parent);
        assertEquals(422, movedTooDeep.status(), "a move that would sit its subtree too deep");
    }
}
