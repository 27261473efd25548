package eduledger.courses;

import java.util.Locale;

/** What a listing reads: the events of one course, or of every course under one account. */
public record CourseEventFeed(Kind kind, String id) {
    public enum Kind {
        COURSE,
        ACCOUNT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static CourseEventFeed course(String courseId) {
        return new CourseEventFeed(Kind.COURSE, courseId);
    }

    public static CourseEventFeed account(String accountId) {
        return new CourseEventFeed(Kind.ACCOUNT, accountId);
    }

    String partition(String integrationId) {
        return kind == Kind.COURSE
                ? CourseKeys.courseEvents(integrationId, id)
                : CourseKeys.accountCourseEvents(integrationId, id);
    }
}
