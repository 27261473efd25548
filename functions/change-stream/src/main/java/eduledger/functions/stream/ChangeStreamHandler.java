package eduledger.functions.stream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import eduledger.courses.CourseAuditListener;
import eduledger.courses.CourseAuditStore;
import eduledger.graph.GraphProjector;
import eduledger.graph.StreamBatchWriter;
import eduledger.integrations.IntegrationStore;
import eduledger.lambda.Priming;
import eduledger.lambda.Services;
import eduledger.lambda.StreamFunction;
import eduledger.lambda.StreamRecords;
import eduledger.roster.RosterChangeListener;
import java.util.List;

/**
 * The roster table's stream trigger: every object change becomes graph events for the integrations
 * that can see the object, and every change goes on to the {@link RosterChangeListener}s (the course
 * audit log). How a batch is written, and what a failed record means for the rest, is
 * {@link StreamBatchWriter}'s.
 */
public final class ChangeStreamHandler implements StreamFunction {
    private final IntegrationStore integrations;
    private final StreamBatchWriter batches;

    public ChangeStreamHandler() {
        this(Services.fromEnvironment());
        Priming.register(() -> prime());
    }

    /** What the stream derives beyond graph events: the Canvas course audit log. */
    public ChangeStreamHandler(Services services) {
        this(
                services,
                List.of(new CourseAuditListener(
                        new CourseAuditStore(services.dynamo(), services.tables()),
                        services.settings().retention(),
                        services.clock())));
    }

    public ChangeStreamHandler(Services services, List<RosterChangeListener> listeners) {
        this.integrations = services.integrations();
        this.batches = new StreamBatchWriter(
                integrations, new GraphProjector(services.graphEventWriter(services.dynamo())), listeners);
    }

    /**
     * Warms the stream path before a SnapStart snapshot: reads the integrations list (one Query) and
     * sends a batch through the entry Lambda calls. Nothing is written.
     *
     * @return the response as Lambda would receive it
     */
    String prime() {
        integrations.all();
        return sendPrimingBatch();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamRecords.handle(event, context, batches::apply);
    }
}
