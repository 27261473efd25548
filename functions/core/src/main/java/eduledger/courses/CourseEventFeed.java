package eduledger.courses;

import java.util.Locale;

/**
 * What a listing reads: the events of one course; of the courses whose account is one account, as
 * Canvas's account route reads; or of every course under one account, sub-accounts included.
 */
public record CourseEventFeed(Kind kind, String id) {
    public enum Kind {
        COURSE,
        ACCOUNT,
        ACCOUNT_TREE;

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

    public static CourseEventFeed accountTree(String accountId) {
        return new CourseEventFeed(Kind.ACCOUNT_TREE, accountId);
    }

    String partition(String integrationId) {
        switch (kind) {
            case COURSE:
                return CourseKeys.courseEvents(integrationId, id);
            case ACCOUNT:
                return CourseKeys.accountOwnCourseEvents(integrationId, id);
            default:
                return CourseKeys.accountCourseEvents(integrationId, id);
        }
    }
}
