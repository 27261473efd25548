package eduledger.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.events.EventIds;
import eduledger.harness.RosterStreamPoller;
import eduledger.http.Json;
import eduledger.integrations.Integration;
import eduledger.roster.RosterCollection;
import eduledger.roster.RosterStore;
import eduledger.roster.SourceWrite;
import eduledger.runtime.Services;
import eduledger.storage.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The change stream: real DynamoDB stream batches of 100 roster changes (new people in one school),
 * read from DynamoDB Local's stream, handed to the change-stream function with every change visible
 * to 10 integrations. The raw floor writes the same number of graph event items (one per change
 * and integration, the same object as data) with BatchWriteItem and nothing else: no delivery
 * markers, no conditions, no transactions.
 */
final class StreamBench {
    record Sizes(int integrations, int batchSize, int warmUp, int samples) {
        static final Sizes FULL = new Sizes(10, 100, 1, 3);
        static final Sizes SMOKE = new Sizes(2, 5, 0, 1);
    }

    private final LocalSystem system;
    private final Sizes sizes;
    private final LocalFunction stream;
    private final Services services;
    private final RosterStore roster;

    StreamBench(LocalSystem system, Sizes sizes) {
        this.system = system;
        this.sizes = sizes;
        this.stream = system.function("ChangeStreamFunction");
        this.services = stream.services();
        this.roster = new RosterStore(services.dynamo(), services.tables(), services.clock());
    }

    List<Figure> run() {
        List<Integration> audience = services.integrations().all();
        for (int i = audience.size(); i < sizes.integrations(); i++) {
            services.integrations().create("bench reader " + i);
        }
        int integrations = Math.max(sizes.integrations(), audience.size());
        String school = "bench-school-" + UUID.randomUUID();
        roster.put(RosterCollection.ORGANIZATIONS, school, Json.object().put("name", "Bench School").put("type", "school"),
                SourceWrite.api());
        List<DynamodbEvent> captured = new ArrayList<>();
        try (RosterStreamPoller poller = RosterStreamPoller.forTable(system.endpoint(), services.tables().roster(),
                event -> {
                    captured.add(event);
                    return new StreamsEventResponse(List.of());
                }, true)) {
            for (int i = 0; i < sizes.warmUp(); i++) {
                deliver(nextBatch(poller, captured, school));
                RawWrites.put(services.dynamo(), services.tables().events(), rawItems(integrations));
            }
            long[] ours = new long[sizes.samples()];
            long[] raw = new long[sizes.samples()];
            for (int i = 0; i < sizes.samples(); i++) {
                DynamodbEvent batch = nextBatch(poller, captured, school);
                long start = System.nanoTime();
                deliver(batch);
                long middle = System.nanoTime();
                RawWrites.put(services.dynamo(), services.tables().events(), rawItems(integrations));
                raw[i] = System.nanoTime() - middle;
                ours[i] = middle - start;
            }
            return List.of(new Figure("stream.throughput", "changes/s", Figure.perSecond(ours, sizes.batchSize()),
                    Figure.perSecond(raw, sizes.batchSize()), sizes.samples() * sizes.batchSize()));
        }
    }

    private void deliver(DynamodbEvent batch) {
        StreamsEventResponse response = (StreamsEventResponse) stream.invoke(batch);
        if (response != null && response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the change stream failed records: " + response.getBatchItemFailures());
        }
    }

    /** Writes a batch's worth of new people (not timed) and returns the stream records they made, as one batch. */
    private DynamodbEvent nextBatch(RosterStreamPoller poller, List<DynamodbEvent> captured, String school) {
        captured.clear();
        for (int i = 0; i < sizes.batchSize(); i++) {
            roster.put(RosterCollection.PEOPLE, "bench-person-" + UUID.randomUUID(), person(school, i), SourceWrite.api());
        }
        List<DynamodbEvent.DynamodbStreamRecord> records = new ArrayList<>();
        for (int polls = 0; records.size() < sizes.batchSize() && polls < 1_000; polls++) {
            poller.pollOnce();
            captured.forEach(event -> records.addAll(event.getRecords()));
            captured.clear();
        }
        if (records.size() < sizes.batchSize()) {
            throw new IllegalStateException("the roster stream delivered " + records.size() + " of " + sizes.batchSize() + " changes");
        }
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(records.subList(0, sizes.batchSize()));
        return batch;
    }

    private static ObjectNode person(String school, int i) {
        return Json.object().put("first_name", "Ada " + i).put("last_name", "Lovelace").put("email", "ada" + i + "@example.edu")
                .put("school_id", school).set("roles", Json.MAPPER.createArrayNode().add("student"));
    }

    /** One graph event item per change and integration, shaped as the feed stores them. */
    private List<Map<String, AttributeValue>> rawItems(int integrations) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        String data = Json.write(person("bench-school", 0));
        long expiresAt = services.clock().instant().plus(services.settings().retention()).getEpochSecond();
        for (int change = 0; change < sizes.batchSize(); change++) {
            for (int reader = 0; reader < integrations; reader++) {
                String id = EventIds.next(services.clock().instant());
                Map<String, AttributeValue> item = new HashMap<>();
                item.put(Keys.PK, AttributeValue.fromS("GRAPH#bench-" + reader + "#" + (change % 4)));
                item.put(Keys.SK, AttributeValue.fromS(id));
                item.put("type", AttributeValue.fromS("person.created"));
                item.put("target_id", AttributeValue.fromS("bench-person-" + change));
                item.put("created_date", AttributeValue.fromS(Json.timestamp(services.clock().instant())));
                item.put("data", AttributeValue.fromS(data));
                item.put(Keys.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
                items.add(item);
            }
        }
        return items;
    }
}
