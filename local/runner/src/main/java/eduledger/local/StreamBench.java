package eduledger.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.events.EventIds;
import eduledger.graph.FeedView;
import eduledger.graph.GraphEvent;
import eduledger.graph.GraphEventItems;
import eduledger.graph.GraphEventWriter;
import eduledger.graph.GraphFeed;
import eduledger.graph.GraphProjector;
import eduledger.graph.PendingGraphEvent;
import eduledger.harness.RosterStreamPoller;
import eduledger.integrations.Integration;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.lambda.StreamRecords;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.roster.StreamedChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The change stream: real DynamoDB stream batches of 100 roster changes (new people in one school),
 * read from the engine's stream, handed to the change-stream function with every change visible
 * to 10 integrations. The raw floor writes the same graph event items (built by the store's own
 * item builder from the same changes, for the same integrations, under fresh ids, before the clock
 * starts) with BatchWriteItem and nothing else: no feed views, no conditions, no transactions. The
 * function is timed from the batch's bytes in to its answer's bytes out, as Lambda calls it: the
 * batch's JSON is written before the clock starts and the answer read after it stops, as writing
 * the one and reading the other is Lambda's work.
 *
 * <p>Each sample writes some 2,300 items to a store that lives in this JVM, and the heap grows with
 * it: left alone, the collector's work on that heap (its concurrent marking on this machine's two
 * cores as much as its pauses) fell in whichever side's batch was running, and moved the ratio by
 * more than the difference it measures. Each pair of batches therefore starts on a collected heap,
 * which its two batches' garbage does not fill, and the side timed first alternates. On Lambda the
 * function's heap holds its own objects alone, and the store's garbage is DynamoDB's.
 */
final class StreamBench {
    record Sizes(int integrations, int batchSize, int warmUp, int samples) {
        static final Sizes FULL = new Sizes(10, 100, 10, 30);
        static final Sizes SMOKE = new Sizes(2, 5, 0, 1);
    }

    private final LocalSystem system;
    private final Sizes sizes;
    private final LocalFunction stream;
    private final Services services;
    private final RosterStore roster;
    private final GraphEventWriter graphEvents;
    private final GraphEventItems graphEventItems;
    /** What the JVM did in the background during the timed batches, both sides'. */
    private Figure.Background timedBackground = Figure.Background.NONE;

    StreamBench(LocalSystem system, Sizes sizes) {
        this.system = system;
        this.sizes = sizes;
        this.stream = system.function("ChangeStreamFunction");
        this.services = stream.services();
        this.roster = new RosterStore(services.dynamo(), services.tables(), services.clock());
        this.graphEvents = services.graphEventWriter(services.dynamo());
        this.graphEventItems = services.graphEventItems();
    }

    List<Figure> run() {
        List<Integration> audience = services.integrations().all();
        for (int i = audience.size(); i < sizes.integrations(); i++) {
            services.integrations().create("bench reader " + i);
        }
        String school = "bench-school-" + UUID.randomUUID();
        roster.put(
                RosterCollection.ORGANIZATIONS,
                school,
                Json.object().put("name", "Bench School").put("type", "school"),
                SourceWrite.api());
        List<DynamodbEvent> captured = new ArrayList<>();
        try (RosterStreamPoller poller = RosterStreamPoller.forTable(
                system.endpoint(),
                services.tables().roster(),
                event -> {
                    captured.add(event);
                    return new StreamsEventResponse(List.of());
                },
                true)) {
            List<Integration> readers = services.integrations().all();
            for (int i = 0; i < sizes.warmUp(); i++) {
                DynamodbEvent batch = nextBatch(poller, captured, school);
                checkAnswer(stream.invoke(LocalFunction.streamEvent(batch)));
                RawWrites.put(services.dynamo(), services.tables().events(), rawItems(batch, readers));
            }
            long[] ours = new long[sizes.samples()];
            long[] raw = new long[sizes.samples()];
            for (int i = 0; i < sizes.samples(); i++) {
                DynamodbEvent batch = nextBatch(poller, captured, school);
                List<Map<String, AttributeValue>> rawItems = rawItems(batch, readers);
                byte[] event = LocalFunction.streamEvent(batch);
                byte[][] answer = new byte[1][];
                Runnable ourBatch = () -> answer[0] = stream.invoke(event);
                Runnable rawBatch =
                        () -> RawWrites.put(services.dynamo(), services.tables().events(), rawItems);
                System.gc();
                if (i % 2 == 0) {
                    ours[i] = nanos(ourBatch);
                    raw[i] = nanos(rawBatch);
                } else {
                    raw[i] = nanos(rawBatch);
                    ours[i] = nanos(ourBatch);
                }
                checkAnswer(answer[0]);
            }
            timedBackground.report("stream");
            return List.of(new Figure(
                    "stream.throughput",
                    "changes/s",
                    Figure.perSecond(ours, sizes.batchSize()),
                    Figure.perSecond(raw, sizes.batchSize()),
                    sizes.samples() * sizes.batchSize()));
        }
    }

    /** Times {@code work}, adding what the JVM did in the background meanwhile to {@link #timedBackground}. */
    private long nanos(Runnable work) {
        Figure.Background before = Figure.Background.now();
        long start = System.nanoTime();
        work.run();
        long nanos = System.nanoTime() - start;
        timedBackground = timedBackground.plus(Figure.Background.now().since(before));
        return nanos;
    }

    private static void checkAnswer(byte[] answer) {
        StreamsEventResponse response = LocalFunction.streamAnswer(answer);
        if (response != null
                && response.getBatchItemFailures() != null
                && !response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the change stream failed records: " + response.getBatchItemFailures());
        }
    }

    /** Writes a batch's worth of new people (not timed) and returns the stream records they made, as one batch. */
    private DynamodbEvent nextBatch(RosterStreamPoller poller, List<DynamodbEvent> captured, String school) {
        captured.clear();
        for (int i = 0; i < sizes.batchSize(); i++) {
            roster.put(
                    RosterCollection.PEOPLE, "bench-person-" + UUID.randomUUID(), person(school, i), SourceWrite.api());
        }
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int polls = 0; records.size() < sizes.batchSize() && polls < 1_000; polls++) {
            poller.pollOnce();
            captured.forEach(event -> records.addAll(event.getRecords()));
            captured.clear();
        }
        if (records.size() < sizes.batchSize()) {
            throw new IllegalStateException(
                    "the roster stream delivered " + records.size() + " of " + sizes.batchSize() + " changes");
        }
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(records.subList(0, sizes.batchSize()));
        return batch;
    }

    private static ObjectNode person(String school, int i) {
        return Json.object()
                .put("first_name", "Ada " + i)
                .put("last_name", "Lovelace")
                .put("email", "ada" + i + "@example.edu")
                .put("school_id", school)
                .set("roles", Json.array().add("student"));
    }

    /**
     * The graph event items the batch makes, built as the store builds them ({@link GraphEventItems#item}, type index
     * key included) for the integrations that see each change, under fresh ids.
     */
    private List<Map<String, AttributeValue>> rawItems(DynamodbEvent batch, List<Integration> audience) {
        GraphProjector projector = new GraphProjector(graphEvents);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
            StreamedChange change = StreamRecords.read(record);
            // Judged as for an object whose feeds show nothing yet: the events a first delivery writes.
            FeedView none = FeedView.absent(FeedView.keyOf(change.object()));
            for (PendingGraphEvent pending : projector
                    .project(change, none, audience)
                    .write()
                    .orElseThrow()
                    .events()) {
                Instant now = services.clock().instant();
                items.add(graphEventItems.item(new GraphEvent(
                        EventIds.next(now),
                        pending.integrationId(),
                        GraphFeed.type(pending.collection(), pending.action()),
                        pending.collection().objectType(),
                        pending.objectId(),
                        now,
                        pending.data())));
            }
        }
        return items;
    }
}
