package eduledger.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import eduledger.graph.GraphProjector;
import eduledger.integrations.Integration;
import eduledger.integrations.IntegrationStore;
import eduledger.roster.RosterChange;
import eduledger.roster.RosterChangeListener;
import eduledger.courses.CourseAuditListener;
import eduledger.courses.CourseAuditStore;
import eduledger.roster.StreamFunction;
import eduledger.roster.StreamedChange;
import eduledger.runtime.Priming;
import eduledger.runtime.Services;
import eduledger.storage.Keys;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roster table's stream trigger: every object change becomes graph events for the integrations
 * that can see the object, and every change goes on to the {@link RosterChangeListener}s (the course audit log).
 *
 * <p>A record that fails is reported in {@code batchItemFailures}; Lambda retries the batch from it
 * (bisecting, a bounded number of times, then sending it to the failure queue). The records after it
 * are still processed, except later changes of the same item, which must not overtake it; when
 * they are delivered again their delivery markers keep them from being written twice.
 */
public final class ChangeStreamHandler implements StreamFunction {
    private final IntegrationStore integrations;
    private final GraphProjector projector;
    private final List<RosterChangeListener> listeners;

    public ChangeStreamHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> prime());
    }

    /** What the stream derives beyond graph events: the Canvas course audit log. */
    public ChangeStreamHandler(Services services) {
        this(services, List.of(new CourseAuditListener(new CourseAuditStore(services.dynamo(), services.tables()),
                services.settings().retention(), services.clock())));
    }

    public ChangeStreamHandler(Services services, List<RosterChangeListener> listeners) {
        this.integrations = services.integrations();
        this.projector = new GraphProjector(services.graphEvents(services.feedWriter()));
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Warms the stream path before a SnapStart snapshot: reads the integrations list (one Query) and
     * handles a record of an item that is no roster object, which is parsed and then passed over.
     * Nothing is written.
     */
    StreamsEventResponse prime() {
        integrations.all();
        StreamRecord stream = new StreamRecord();
        stream.setKeys(Map.of(Keys.PK, new AttributeValue("PRIMING"), Keys.SK, new AttributeValue("PRIMING")));
        stream.setSequenceNumber("0");
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID("priming");
        record.setEventName("INSERT");
        record.setDynamodb(stream);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        return handleRequest(event, null);
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<Integration> audience = null;
        Set<String> failedItems = new HashSet<>();
        String firstFailure = null;
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            String sequenceNumber = record.getDynamodb() == null ? record.getEventID() : record.getDynamodb().getSequenceNumber();
            try {
                StreamedChange change = StreamedChange.read(record);
                if (failedItems.contains(change.itemKey())) {
                    continue;
                }
                if (!change.isRosterObject() || change.changesNoObject()) {
                    continue;
                }
                if (audience == null) {
                    audience = integrations.all(); // once per batch, so a sharing change applies from the next batch
                }
                try {
                    apply(change, audience);
                } catch (RuntimeException e) {
                    failedItems.add(change.itemKey());
                    throw e;
                }
            } catch (RuntimeException e) {
                System.err.println("stream record " + record.getEventID() + " (sequence " + sequenceNumber + ") failed: " + e);
                if (firstFailure == null) {
                    firstFailure = sequenceNumber;
                }
            }
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        if (firstFailure != null) {
            // Lambda resumes from the lowest reported sequence number; reporting more adds nothing.
            failures.add(new StreamsEventResponse.BatchItemFailure(firstFailure));
        }
        return new StreamsEventResponse(failures);
    }

    private void apply(StreamedChange change, List<Integration> audience) {
        Set<String> seenBy = projector.project(change.before(), change.after(), change.recordId(), change.time(), audience);
        if (!listeners.isEmpty()) {
            RosterChange rosterChange = new RosterChange(change.object().collection(), change.object().id(),
                    change.before().map(o -> o.data()).orElse(null), change.after().map(o -> o.data()).orElse(null),
                    change.sourceWrite(), change.recordId(), change.time());
            listeners.forEach(listener -> listener.onChange(rosterChange, seenBy));
        }
    }

}
