package eduledger.roster;

import java.util.Optional;

/**
 * The roster's collections, as sync jobs name them in source write URLs, with the object type
 * graph events name them by ({@code person.created}) and the field that places an object under an
 * organization (enrollments are placed under their class's organization).
 */
public enum RosterCollection {
    ORGANIZATIONS("organizations", "organization", "parent_id"),
    TERMS("terms", "term", "school_id"),
    COURSES("courses", "course", "account_id"),
    CLASSES("classes", "class", "school_id"),
    PEOPLE("people", "person", "school_id"),
    ENROLLMENTS("enrollments", "enrollment", "class_id");

    private final String id;
    private final String objectType;
    private final String parentField;

    RosterCollection(String id, String objectType, String parentField) {
        this.id = id;
        this.objectType = objectType;
        this.parentField = parentField;
    }

    public String id() {
        return id;
    }

    public String objectType() {
        return objectType;
    }

    /** The field naming the object this one sits under: an organization, or for enrollments a class. */
    public String parentField() {
        return parentField;
    }

    public static Optional<RosterCollection> parse(String id) {
        for (RosterCollection collection : values()) {
            if (collection.id.equals(id)) {
                return Optional.of(collection);
            }
        }
        return Optional.empty();
    }

    public static String allIds() {
        StringBuilder ids = new StringBuilder();
        for (RosterCollection collection : values()) {
            ids.append(ids.length() == 0 ? "" : ", ").append(collection.id);
        }
        return ids.toString();
    }
}
