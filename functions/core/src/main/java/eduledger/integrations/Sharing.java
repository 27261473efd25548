package eduledger.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.errors.ErrorDetail;
import eduledger.errors.Failure;
import eduledger.errors.ServiceException;
import eduledger.json.Json;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What part of the platform roster an integration sees: all of it, or what its rules name.
 * Rules name organizations (each with everything under it: schools under a district, and the
 * terms, courses, classes, people and enrollments placed in them) and, optionally, person roles
 * (people and enrollments are then seen only with one of those roles).
 *
 * @param version counts rule changes; events a rule change makes are keyed by it, so a retried
 *                change does not repeat them
 */
public record Sharing(String type, Set<String> organizationIds, Set<String> personRoles, long version) {
    public static final String ALL = "all";
    public static final String RULES = "rules";
    public static final int MAX_RULE_VALUES = 100;
    /**
     * A person role named in rules is at most this many characters. Organization ids are roster
     * ids (1-128 of letters, digits and {@code . _ : -}, so as many bytes): an id no object can
     * have would match nothing, and each one costs the rule change its Queries.
     */
    public static final int MAX_ROLE_LENGTH = 64;

    private static final java.util.regex.Pattern ORGANIZATION_ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    public Sharing {
        organizationIds = Set.copyOf(new TreeSet<>(organizationIds));
        personRoles = Set.copyOf(new TreeSet<>(personRoles));
    }

    public static Sharing all() {
        return new Sharing(ALL, Set.of(), Set.of(), 0);
    }

    public boolean canSee(RosterObject object) {
        if (type.equals(ALL)) {
            return true;
        }
        if (organizationIds.stream().noneMatch(object.path()::contains)) {
            return false;
        }
        boolean roleFiltered =
                object.collection() == RosterCollection.PEOPLE || object.collection() == RosterCollection.ENROLLMENTS;
        return !roleFiltered || personRoles.isEmpty() || object.roles().stream().anyMatch(personRoles::contains);
    }

    public Sharing withVersion(long newVersion) {
        return new Sharing(type, organizationIds, personRoles, newVersion);
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("type", type);
        if (type.equals(RULES)) {
            organizationIds.stream().sorted().forEach(json.putArray("organization_ids")::add);
            personRoles.stream().sorted().forEach(json.putArray("person_roles")::add);
        }
        json.put("version", version);
        return json;
    }

    public static Sharing fromStored(JsonNode json) {
        return new Sharing(
                json.path("type").asText(ALL),
                strings(json.path("organization_ids")),
                strings(json.path("person_roles")),
                json.path("version").asLong(0));
    }

    /** Reads sharing as an admin sends it; every problem is a 400 naming its field. */
    public static Sharing parse(JsonNode json) {
        List<ErrorDetail> problems = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw new ServiceException(
                    Failure.BAD_REQUEST,
                    "INVALID_SHARING",
                    "sharing must be {\"type\": \"all\"} or {\"type\": \"rules\", \"organization_ids\": [...], \"person_roles\": [...]}.");
        }
        String type = json.path("type").asText("");
        if (!type.equals(ALL) && !type.equals(RULES)) {
            problems.add(new ErrorDetail("INVALID_SHARING", "type must be all or rules.", "$.sharing.type"));
        }
        for (var field : (Iterable<String>) json::fieldNames) {
            if (!Set.of("type", "organization_ids", "person_roles").contains(field)) {
                problems.add(new ErrorDetail(
                        "INVALID_SHARING", "Unknown sharing property " + field + ".", "$.sharing." + field));
            }
        }
        checkStrings(
                json,
                "organization_ids",
                value -> ORGANIZATION_ID.matcher(value).matches(),
                "organization ids of 1-128 letters, digits and . _ : -",
                problems);
        checkStrings(
                json,
                "person_roles",
                value -> !value.isBlank() && value.length() <= MAX_ROLE_LENGTH,
                "non-empty roles of at most " + MAX_ROLE_LENGTH + " characters",
                problems);
        if (type.equals(ALL) && (json.has("organization_ids") || json.has("person_roles"))) {
            problems.add(new ErrorDetail("INVALID_SHARING", "Sharing all takes no rules.", "$.sharing"));
        }
        if (type.equals(RULES) && json.path("organization_ids").isEmpty()) {
            problems.add(new ErrorDetail(
                    "INVALID_SHARING", "Rules need at least one organization id.", "$.sharing.organization_ids"));
        }
        if (!problems.isEmpty()) {
            throw new ServiceException(Failure.BAD_REQUEST, problems);
        }
        return new Sharing(type, strings(json.path("organization_ids")), strings(json.path("person_roles")), 0);
    }

    private static void checkStrings(
            JsonNode json,
            String field,
            java.util.function.Predicate<String> valid,
            String what,
            List<ErrorDetail> problems) {
        JsonNode values = json.get(field);
        if (values == null) {
            return;
        }
        if (!values.isArray() || values.size() > MAX_RULE_VALUES) {
            problems.add(new ErrorDetail(
                    "INVALID_SHARING",
                    field + " must be an array of at most " + MAX_RULE_VALUES + " strings.",
                    "$.sharing." + field));
            return;
        }
        for (JsonNode value : values) {
            if (!value.isTextual() || !valid.test(value.asText())) {
                problems.add(
                        new ErrorDetail("INVALID_SHARING", field + " must hold " + what + ".", "$.sharing." + field));
                return;
            }
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
