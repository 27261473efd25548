package eduledger.functions.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.auth.Scope;
import eduledger.functions.admin.AdminHandler;
import eduledger.functions.listing.ListingHandler;
import eduledger.functions.source.SourceHandler;
import eduledger.harness.RosterStreamPoller;
import eduledger.harness.TestStore;
import eduledger.json.Json;
import eduledger.lambda.Services;
import eduledger.roster.RosterChangeListener;
import eduledger.testing.ApiCall;
import eduledger.testing.ApiCall.Response;
import eduledger.testing.StreamCall;
import eduledger.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The whole graph path on the test store: a sync job's source writes, the roster table's real
 * stream read by the local poller into the change-stream handler, the admin routes and the feed.
 */
final class GraphWorld implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    final Services services = TestServices.shared();
    final SourceHandler source = new SourceHandler(services);
    final ListingHandler listing = new ListingHandler(services);
    final AdminHandler admin = new AdminHandler(services);
    final ChangeStreamHandler stream;
    final RosterStreamPoller poller;
    /** Tokens of the sync job and the operator: neither is an integration, so neither gets a feed. */
    final String syncToken = services.tokens().issueOperator(Set.of(Scope.SOURCE_WRITE));

    final String adminToken = services.tokens().issueOperator(Set.of(Scope.ADMIN));
    final List<DynamodbEvent> delivered = new ArrayList<>();

    record Reader(String integrationId, String token) {}

    /** @param background poll the stream in a background thread; otherwise tests call {@link #pump} */
    GraphWorld(List<RosterChangeListener> listeners, boolean background) {
        this(listeners, TestServices.shared(), background);
    }

    /** @param streamServices what the change-stream function runs on (the same store, perhaps reached another way) */
    GraphWorld(List<RosterChangeListener> listeners, Services streamServices, boolean background) {
        this.stream = new ChangeStreamHandler(streamServices, listeners);
        Function<DynamodbEvent, StreamsEventResponse> recording = event -> {
            synchronized (delivered) {
                delivered.add(event);
            }
            Random split = acrossShards;
            return split == null ? deliver(event) : deliverAcrossShards(event, split);
        };
        this.poller = RosterStreamPoller.forTable(
                TestStore.get().endpoint(), services.tables().roster(), recording, true);
        if (background) {
            poller.start(50);
        }
    }

    /**
     * When set, each batch is handed over as two, the records of some objects before those of the
     * others, as two shards' batches may arrive in either order; one object's records stay in one
     * of them, in stream order, as DynamoDB keeps them.
     */
    volatile Random acrossShards;

    private StreamsEventResponse deliverAcrossShards(DynamodbEvent batch, Random split) {
        int salt = split.nextInt();
        List<DynamodbEvent.DynamodbStreamRecord> first = new ArrayList<>();
        List<DynamodbEvent.DynamodbStreamRecord> second = new ArrayList<>();
        for (DynamodbEvent.DynamodbStreamRecord record : batch.getRecords()) {
            String item = record.getDynamodb().getKeys().get("pk").getS();
            ((item.hashCode() ^ salt) % 2 == 0 ? first : second).add(record);
        }
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (List<DynamodbEvent.DynamodbStreamRecord> part : List.of(second, first)) {
            if (part.isEmpty()) {
                continue;
            }
            DynamodbEvent shard = new DynamodbEvent();
            shard.setRecords(part);
            failures.addAll(deliver(shard).getBatchItemFailures());
        }
        StreamsEventResponse response = new StreamsEventResponse();
        response.setBatchItemFailures(failures);
        return response;
    }

    /** Hands the change-stream function one batch through the entry Lambda calls. */
    StreamsEventResponse deliver(DynamodbEvent batch) {
        return StreamCall.send(stream, batch);
    }

    /** Delivers what the stream holds until it is drained. */
    void pump() {
        while (poller.pollOnce() > 0) {
            // keep going: a batch holds at most 100 records
        }
    }

    Response put(String collection, String id, String json, String... headers) {
        ApiCall call = ApiCall.to("PUT /api/v2/source/{collection}/{id}")
                .token(syncToken)
                .path("collection", collection)
                .path("id", id)
                .body(json);
        for (int i = 0; i < headers.length; i += 2) {
            call.header(headers[i], headers[i + 1]);
        }
        return call.send(source);
    }

    Response delete(String collection, String id, String... headers) {
        ApiCall call = ApiCall.to("DELETE /api/v2/source/{collection}/{id}")
                .token(syncToken)
                .path("collection", collection)
                .path("id", id);
        for (int i = 0; i < headers.length; i += 2) {
            call.header(headers[i], headers[i + 1]);
        }
        return call.send(source);
    }

    Response admin(ApiCall call) {
        return call.token(adminToken).send(admin);
    }

    /** A new integration with this sharing and a graph:read token. */
    Reader reader(String sharingJson) {
        Response created = admin(ApiCall.to("POST /api/v2/admin/integrations")
                .body("{\"name\": \"reader " + UUID.randomUUID() + "\", \"sharing\": " + sharingJson + "}"));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String id = created.data().path("id").asText();
        Response token = admin(ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                .path("integration_id", id)
                .body("{\"scopes\": [\"graph:read\"]}"));
        assertEquals(201, token.status(), String.valueOf(token.body()));
        return new Reader(id, token.data().path("token").asText());
    }

    /** A token of that integration for the course audit log. */
    String courseAuditToken(String integrationId) {
        Response token = admin(ApiCall.to("POST /api/v2/admin/integrations/{integration_id}/tokens")
                .path("integration_id", integrationId)
                .body("{\"scopes\": [\"course_audit:read\"]}"));
        assertEquals(201, token.status(), String.valueOf(token.body()));
        return token.data().path("token").asText();
    }

    /** A name no other test run uses, as every test shares one store. */
    static String unique(String name) {
        return name + "-" + java.util.UUID.randomUUID();
    }

    static String rules(String... organizationIds) {
        ObjectNode sharing = Json.object().put("type", "rules");
        for (String id : organizationIds) {
            sharing.withArray("organization_ids").add(id);
        }
        return Json.write(sharing);
    }

    Response list(Reader reader, ApiCall call) {
        return call.token(reader.token()).send(listing);
    }

    /** The reader's whole feed, oldest first, following {@code $next} page by page. */
    List<JsonNode> feed(Reader reader, int pageSize) {
        List<JsonNode> events = new ArrayList<>();
        Response page =
                list(reader, ApiCall.to("GET /api/v2/graph/events").query("$first", Integer.toString(pageSize)));
        while (true) {
            assertEquals(200, page.status(), String.valueOf(page.body()));
            page.data().forEach(events::add);
            if (page.next() == null) {
                return events;
            }
            page = list(reader, ApiCall.follow("GET /api/v2/graph/events", page.next()));
        }
    }

    List<JsonNode> feed(Reader reader) {
        return feed(reader, 100);
    }

    /** Polls until the condition holds, failing with the last value after {@link #DEADLINE}. */
    static <T> T eventually(Supplier<T> read, Predicate<T> condition, String what) {
        return eventually(read, condition, what, DEADLINE);
    }

    static <T> T eventually(Supplier<T> read, Predicate<T> condition, String what, Duration within) {
        Instant deadline = Instant.now().plus(within);
        T value = read.get();
        while (!condition.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                fail("not within " + within + ": " + what + "; last seen " + value);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        return value;
    }

    /** As {@link #eventually}; a failure also says where the stream's poller stands. */
    <T> T eventuallyStreamed(Supplier<T> read, Predicate<T> condition, String what, Duration within) {
        try {
            return eventually(read, condition, what, within);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + poller.describe(), e);
        }
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream()
                .map(e -> e.path("type").asText() + ":" + e.path("target_id").asText())
                .toList();
    }

    @Override
    public void close() {
        poller.close();
    }
}
