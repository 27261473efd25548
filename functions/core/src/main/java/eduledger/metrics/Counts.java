package eduledger.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one request or stream batch did, counted where it happens and reported by whoever runs the
 * work. The domain adds to the tally of the thread it runs on; with no tally open (a bench, a
 * tool) the counts go nowhere, so the domain never needs to know who reads them.
 */
public final class Counts {
    public static final String EVENTS_ACCEPTED = "EventsAccepted";
    public static final String EVENTS_REJECTED = "EventsRejected";
    public static final String EVENTS_NON_CONFORMING = "EventsNonConforming";
    public static final String IDEMPOTENT_REPLAYS = "IdempotentReplays";
    public static final String STREAM_RECORDS_PROCESSED = "StreamRecordsProcessed";
    public static final String STREAM_RECORDS_FAILED = "StreamRecordsFailed";
    public static final String GRAPH_EVENTS_WRITTEN = "GraphEventsWritten";
    public static final String COURSE_EVENTS_WRITTEN = "CourseEventsWritten";
    public static final String VISIBILITY_CHANGES_APPLIED = "VisibilityChangesApplied";

    private static final ThreadLocal<Tally> CURRENT = new ThreadLocal<>();

    private Counts() {}

    public static void add(String name, long amount) {
        Tally tally = CURRENT.get();
        if (tally != null && amount != 0) {
            tally.values.merge(name, amount, Long::sum);
        }
    }

    /** Starts counting on this thread until the tally is closed; an enclosing tally resumes then. */
    public static Tally open() {
        Tally tally = new Tally(CURRENT.get());
        CURRENT.set(tally);
        return tally;
    }

    /** The counts of one unit of work, by metric name. */
    public static final class Tally implements AutoCloseable {
        private final Tally enclosing;
        private final Map<String, Long> values = new TreeMap<>();

        private Tally(Tally enclosing) {
            this.enclosing = enclosing;
        }

        public Map<String, Long> values() {
            return Map.copyOf(values);
        }

        @Override
        public void close() {
            if (enclosing == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(enclosing);
            }
        }
    }
}
