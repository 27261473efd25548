package eduledger.graph;

import eduledger.errors.ServiceException;
import eduledger.roster.RosterCollection;
import java.time.Duration;

/** The graph feed's event types and the timing its ordering guarantee rests on. */
public final class GraphFeed {
    /** Longest a graph event write may take, SDK retries included; see {@link GraphKeys}. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Reads only return events older than this. It covers {@link #WRITE_TIMEOUT} plus a second of
     * clock skew between the writer and the reader, so no write still in flight can land behind it.
     */
    public static final Duration SETTLE = WRITE_TIMEOUT.plusSeconds(1);

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String DELETED = "deleted";

    private GraphFeed() {}

    public static String type(RosterCollection collection, String action) {
        return collection.objectType() + "." + action;
    }

    /** The event types of one object type (a {@code target} filter), such as {@code person}. */
    public static java.util.List<String> typesOfTarget(String target) {
        boolean known = java.util.Arrays.stream(RosterCollection.values())
                .anyMatch(c -> c.objectType().equals(target));
        if (!known) {
            throw ServiceException.badRequest(
                    "INVALID_TARGET", "target must be one of organization, term, course, class, person, enrollment.");
        }
        return java.util.List.of(target + "." + CREATED, target + "." + UPDATED, target + "." + DELETED);
    }

    /** Every event type of the feed. */
    public static java.util.List<String> allTypes() {
        return java.util.Arrays.stream(RosterCollection.values())
                .map(RosterCollection::objectType)
                .distinct()
                .flatMap(object ->
                        java.util.stream.Stream.of(CREATED, UPDATED, DELETED).map(action -> object + "." + action))
                .toList();
    }

    /** Checks a type filter such as {@code person.created}. */
    public static String checkType(String type) {
        int dot = type.indexOf('.');
        String object = dot < 0 ? "" : type.substring(0, dot);
        String action = dot < 0 ? "" : type.substring(dot + 1);
        boolean knownObject = java.util.Arrays.stream(RosterCollection.values())
                .anyMatch(c -> c.objectType().equals(object));
        if (!knownObject || !(action.equals(CREATED) || action.equals(UPDATED) || action.equals(DELETED))) {
            throw ServiceException.badRequest(
                    "INVALID_TYPE",
                    "type must be <object>.<created|updated|deleted>, object one of "
                            + "organization, term, course, class, person, enrollment.");
        }
        return type;
    }
}
