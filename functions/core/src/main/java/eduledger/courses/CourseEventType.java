package eduledger.courses;

import java.util.Locale;

/** Canvas course event types; {@link #wire()} is the {@code event_type} value. */
public enum CourseEventType {
    CREATED,
    UPDATED,
    CONCLUDED,
    UNCONCLUDED,
    PUBLISHED,
    UNPUBLISHED,
    DELETED,
    RESTORED,
    COPIED_TO,
    COPIED_FROM,
    RESET_TO,
    RESET_FROM;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code links} entry naming the other course of a copy or reset; null for the other types. */
    public String otherCourseLink() {
        return switch (this) {
            case COPIED_TO, COPIED_FROM, RESET_TO, RESET_FROM -> wire();
            default -> null;
        };
    }
}
