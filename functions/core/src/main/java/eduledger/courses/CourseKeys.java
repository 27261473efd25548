package eduledger.courses;

/**
 * Course events, per course and per account, and the course and account directories, in the events
 * table. The design, and the access patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class CourseKeys {
    private CourseKeys() {}

    /** The deepest account chain followed; deeper trees (or a cycle) stop there. */
    public static final int MAX_ACCOUNT_DEPTH = 16;

    public static String courseEvents(String integrationId, String courseId) {
        return "COURSE_EVENTS#" + integrationId + "#" + courseId;
    }

    /** The events of the courses whose {@code account_id} is the account, as Canvas's account route reads. */
    public static String accountOwnCourseEvents(String integrationId, String accountId) {
        return "ACCOUNT_OWN_COURSE_EVENTS#" + integrationId + "#" + accountId;
    }

    /** The events of the courses under the account at any depth, for the sub-account roll-up. */
    public static String accountCourseEvents(String integrationId, String accountId) {
        return "ACCOUNT_COURSE_EVENTS#" + integrationId + "#" + accountId;
    }

    /** The sort key of a course event: its id, so key order is time order. */
    public static String courseEventSk(String eventId) {
        return eventId;
    }

    public static String auditCourse(String integrationId, String courseId) {
        return "AUDIT_COURSE#" + integrationId + "#" + courseId;
    }

    public static final String AUDIT_COURSE_SK = "COURSE";

    public static String auditAccount(String integrationId, String accountId) {
        return "AUDIT_ACCOUNT#" + integrationId + "#" + accountId;
    }

    public static final String AUDIT_ACCOUNT_SK = "ACCOUNT";
}
