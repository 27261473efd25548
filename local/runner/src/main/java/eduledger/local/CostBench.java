package eduledger.local;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.auth.Scope;
import eduledger.harness.RosterStreamPoller;
import eduledger.harness.SamTemplate;
import eduledger.integrations.Integration;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import eduledger.lambda.Services;
import eduledger.lambda.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one million audit events and one million roster changes cost on AWS, from what the code
 * really does: each scenario runs a few hundred of them through the functions, on a store of their
 * own, with every DynamoDB call metered ({@link StoreMeter}) and every invocation timed, and scales
 * the units, the billed milliseconds and the requests to a million at {@link AwsPrices}.
 *
 * <p>Audit events are 1 KB events (an actor and two targets of one identifier each, a scope, a
 * context and a strict schema's data) sent one per request and 100 per request. Roster changes are
 * updates of people a district already has, sent as imports do (100 per batch request), each seen
 * by 10 integrations; the change stream gets them in batches of 100, as the template's trigger hands
 * them over. Lambda durations are measured warm, in this JVM, so they hold for a machine like this
 * one; on a 1024 MB function's share of a vCPU they are longer, and the figures say so.
 */
final class CostBench {
    private static final double MILLION = 1_000_000;
    private static final double GB = 1024.0 * 1024 * 1024;
    private static final String INGEST_ROUTE = "POST /api/v2/audit/events";
    private static final String SOURCE_ROUTE = "POST /api/v2/source/batch";
    private static final String LIST_ROUTE = "GET /api/v2/audit/events/{scope_id}/{scope_type}";
    private static final String ACTION = "cost.submission.graded";
    private static final int PER_REQUEST = 100;

    record Sizes(int singleEvents, int batchRequests, int rosterChanges, int integrations) {
        static final Sizes FULL = new Sizes(300, 5, 500, 10);
        static final Sizes SMOKE = new Sizes(2, 1, 10, 2);
        /** A twentieth of the nightly changes of a district of 100,000 people, seen by 50 integrations. */
        static final Sizes SCALE = new Sizes(0, 0, 1_000, 50);
    }

    /** The metered work of one scenario, before scaling. */
    record Usage(
            String name,
            String unit,
            int units,
            StoreMeter.Reading store,
            int apiRequests,
            int invocations,
            long billedMillis,
            int memoryMb) {

        double perMillion(double value) {
            return value * MILLION / units;
        }

        String json() {
            double writeUnits = perMillion(store.writeUnits());
            double readUnits = perMillion(store.readUnits());
            double storedGb = perMillion(store.storedBytes()) / GB;
            double gbSeconds = perMillion(billedMillis / 1000.0 * memoryMb / 1024.0);
            double requests = perMillion(apiRequests);
            double invoked = perMillion(invocations);
            double writes = writeUnits / MILLION * AwsPrices.DYNAMODB_PER_MILLION_WRITE_UNITS;
            double reads = readUnits / MILLION * AwsPrices.DYNAMODB_PER_MILLION_READ_UNITS;
            double storage = storedGb * AwsPrices.DYNAMODB_PER_GB_MONTH;
            double lambda = gbSeconds * AwsPrices.LAMBDA_PER_GB_SECOND
                    + invoked / MILLION * AwsPrices.LAMBDA_PER_MILLION_REQUESTS;
            double api = requests / MILLION * AwsPrices.HTTP_API_PER_MILLION_REQUESTS;
            return String.format(
                    Locale.ROOT,
                    "{\"name\": \"%s\", \"per\": \"1,000,000 %s\", \"items_per_%s\": %.2f, \"bytes_per_%s\": %.0f,"
                            + " \"write_units\": %.0f, \"read_units\": %.0f, \"stored_gb\": %.3f,"
                            + " \"api_requests\": %.0f, \"lambda_invocations\": %.0f, \"lambda_gb_s\": %.0f,"
                            + " \"usd\": {\"dynamodb_writes\": %.2f, \"dynamodb_reads\": %.2f,"
                            + " \"storage_30_days\": %.2f, \"lambda\": %.2f, \"http_api\": %.2f, \"total\": %.2f},"
                            + " \"samples\": %d, \"prices\": \"%s on-demand, read %s\"}",
                    name,
                    unit,
                    singular(unit),
                    (double) store.items() / units,
                    singular(unit),
                    (double) store.storedBytes() / units,
                    writeUnits,
                    readUnits,
                    storedGb,
                    requests,
                    invoked,
                    gbSeconds,
                    writes,
                    reads,
                    storage,
                    lambda,
                    api,
                    writes + reads + storage + lambda + api,
                    units,
                    AwsPrices.REGION,
                    AwsPrices.READ_ON);
        }

        private static String singular(String unit) {
            return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        }
    }

    private final LocalSystem system;
    private final Sizes sizes;
    private final StoreMeter meter;
    private final Services services;
    private final int memoryMb;
    private int streamBatches;
    private long streamMillis;

    CostBench(LocalSystem system, Sizes sizes, Path template) {
        this.system = system;
        this.sizes = sizes;
        StoreMeter.Metered metered = StoreMeter.client(system.endpoint());
        this.meter = metered.meter();
        LocalFunction any = system.function("SourceFunction");
        this.services =
                new Services(Settings.from(system.environment(any.definition())), metered.client(), Clock.systemUTC());
        this.memoryMb = memorySize(template);
    }

    /** The functions' memory size: the template gives every function the same one, in its Globals. */
    static int memorySize(Path template) {
        try {
            Matcher sizes = Pattern.compile("(?m)^\\s+MemorySize:\\s*(\\d+)\\s*$")
                    .matcher(Files.readString(template, StandardCharsets.UTF_8));
            List<Integer> found = new ArrayList<>();
            while (sizes.find()) {
                found.add(Integer.parseInt(sizes.group(1)));
            }
            if (found.size() != 1) {
                throw new IllegalStateException("expected one MemorySize in " + template + ", found " + found);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + template, e);
        }
    }

    /** A function of the template on the metered client. */
    private LocalFunction metered(String logicalId) {
        SamTemplate.Function definition = system.function(logicalId).definition();
        Services own =
                new Services(Settings.from(system.environment(definition)), services.dynamo(), Clock.systemUTC());
        return new LocalFunction(definition, own);
    }

    List<Usage> run() {
        Integration writer = services.integrations().create("cost writer");
        String token = services.tokens().issue(writer.id(), Scope.integrationScopes());
        List<Usage> usages = new ArrayList<>();
        usages.addAll(auditEvents(token, writer.id()));
        usages.add(rosterChanges(syncJobToken()));
        return usages;
    }

    /** Roster writes are the platform's sync jobs: the operator's token makes them. */
    private String syncJobToken() {
        return services.tokens().issueOperator(Scope.operatorScopes());
    }

    /**
     * A district's nightly import at a fraction of its size, to see how the change stream handles a
     * change that many integrations see: the roster changes of {@link #run}, with the batches the
     * stream handed over, their mean billed time and the transactions they took.
     */
    String scale() {
        Usage usage = rosterChanges(syncJobToken());
        return String.format(
                Locale.ROOT,
                "{\"name\": \"scale.nightly_import\", \"changes\": %d, \"integrations\": %d,"
                        + " \"stream_batches\": %d, \"stream_ms_per_batch\": %.0f, \"transactions_per_batch\": %.1f,"
                        + " \"write_units_per_change\": %.1f, \"read_units_per_change\": %.2f,"
                        + " \"stored_bytes_per_change\": %.0f}",
                usage.units(),
                sizes.integrations(),
                streamBatches,
                (double) streamMillis / streamBatches,
                (double) usage.store().transactions() / streamBatches,
                usage.store().writeUnits() / usage.units(),
                usage.store().readUnits() / usage.units(),
                (double) usage.store().storedBytes() / usage.units());
    }

    private List<Usage> auditEvents(String token, String integrationId) {
        LocalFunction ingest = metered("IngestFunction");
        ApiResult.invoke(
                system.function("SchemasFunction"),
                HttpApiEvents.request(
                        "POST /api/v2/audit/schemas",
                        Map.of(),
                        token,
                        Json.write(AuditEventShapes.strictSchema(ACTION))),
                201);
        // Warm the function, so that what is timed is a warm container's work.
        for (int i = 0; i < 20; i++) {
            ApiResult.invoke(ingest, single(integrationId, i, token), 201);
        }
        meter.reset();
        long billed = 0;
        for (int i = 0; i < sizes.singleEvents(); i++) {
            HttpApiEvent request = single(integrationId, i, token);
            long start = System.nanoTime();
            ApiResult.invoke(ingest, request, 201);
            billed += billedMillis(System.nanoTime() - start);
        }
        Usage singles = new Usage(
                "cost.audit_events.single",
                "events",
                sizes.singleEvents(),
                meter.read(),
                sizes.singleEvents(),
                sizes.singleEvents(),
                billed,
                memoryMb);

        meter.reset();
        billed = 0;
        for (int r = 0; r < sizes.batchRequests(); r++) {
            ObjectNode body = Json.object();
            ArrayNode events = body.putArray("events");
            for (int i = 0; i < PER_REQUEST; i++) {
                events.add(event(integrationId, r * PER_REQUEST + i));
            }
            HttpApiEvent request = HttpApiEvents.request(INGEST_ROUTE, Map.of(), token, Json.write(body));
            long start = System.nanoTime();
            ApiResult.invoke(ingest, request, 200);
            billed += billedMillis(System.nanoTime() - start);
        }
        Usage batches = new Usage(
                "cost.audit_events.batch100",
                "events",
                sizes.batchRequests() * PER_REQUEST,
                meter.read(),
                sizes.batchRequests(),
                sizes.batchRequests(),
                billed,
                memoryMb);
        return List.of(singles, batches, listed(token, integrationId, null), listed(token, integrationId, ACTION));
    }

    /**
     * Reading the events back: every event of the writer's scope, newest first, in pages of 100, as
     * a client pages through its log, unfiltered or with an action filter (every event here has the
     * one action, so both read them all).
     */
    private Usage listed(String token, String integrationId, String action) {
        LocalFunction listing = metered("ListingFunction");
        Map<String, String> query = new java.util.HashMap<>(Map.of("$first", Integer.toString(PER_REQUEST)));
        if (action != null) {
            query.put("action", action);
        }
        meter.reset();
        long billed = 0;
        int pages = 0;
        int events = 0;
        String after = null;
        do {
            if (after != null) {
                query.put("$after", after);
            }
            HttpApiEvent request = HttpApiEvents.request(LIST_ROUTE, query, token, null)
                    .path("scope_id", integrationId)
                    .path("scope_type", "integration");
            long start = System.nanoTime();
            ApiResult page = ApiResult.invoke(listing, request, 200);
            billed += billedMillis(System.nanoTime() - start);
            pages++;
            var data = page.data();
            events += data.size();
            after = Json.readStored(page.body()).has("$next") && !data.isEmpty()
                    ? data.get(data.size() - 1).path("id").asText()
                    : null;
        } while (after != null);
        return new Usage(
                action == null ? "cost.audit_events.list100" : "cost.audit_events.list100.action",
                "events",
                events,
                meter.read(),
                pages,
                pages,
                billed,
                memoryMb);
    }

    private HttpApiEvent single(String integrationId, int n, String token) {
        return HttpApiEvents.request(INGEST_ROUTE, Map.of(), token, Json.write(event(integrationId, n)));
    }

    /** The bench's grading event with a second target and its comment grown until the event is 1 KB. */
    static ObjectNode event(String integrationId, int n) {
        ObjectNode event = AuditEventShapes.gradingEvent(ACTION, integrationId, n, true);
        ObjectNode second = ((ArrayNode) event.get("targets")).addObject();
        second.putArray("identifiers")
                .addObject()
                .put("value", "assignment-" + (n % 3000))
                .put("issuer", "gradebook");
        second.put("type", "assignment");
        ObjectNode data = (ObjectNode) event.get("data");
        int missing = 1024 - Json.write(event).getBytes(StandardCharsets.UTF_8).length;
        if (missing > 0) {
            data.put("comment", data.path("comment").asText() + " " + "x".repeat(missing - 1));
        }
        return event;
    }

    private Usage rosterChanges(String token) {
        LocalFunction source = metered("SourceFunction");
        LocalFunction stream = metered("ChangeStreamFunction");
        String school = "cost-school-" + UUID.randomUUID();
        List<String> people = new ArrayList<>();
        for (int i = 0; i < sizes.rosterChanges(); i++) {
            people.add("cost-person-" + i);
        }
        long[] streamTime = {0};
        int[] streamInvocations = {0};
        try (RosterStreamPoller poller = RosterStreamPoller.forTable(
                system.endpoint(),
                services.tables().roster(),
                event -> {
                    long start = System.nanoTime();
                    StreamsEventResponse response = stream.invokeStream(event);
                    streamTime[0] += billedMillis(System.nanoTime() - start);
                    streamInvocations[0]++;
                    if (response != null
                            && response.getBatchItemFailures() != null
                            && !response.getBatchItemFailures().isEmpty()) {
                        throw new IllegalStateException(
                                "the change stream failed records: " + response.getBatchItemFailures());
                    }
                    return response;
                },
                false)) {
            // The district as it stood before the night; the integrations that read it come after,
            // so the night's changes are what is measured, each seen by exactly that many.
            importPeople(source, token, school, people, 0, null);
            drain(poller);
            for (int i = services.integrations().all().size(); i < sizes.integrations(); i++) {
                services.integrations().create("reader " + i);
            }
            if (services.integrations().all().size() != sizes.integrations()) {
                throw new IllegalStateException(
                        "the roster scenario needs a store of its own, with no other integration");
            }
            meter.reset();
            streamTime[0] = 0;
            streamInvocations[0] = 0;
            long[] sourceMillis = {0};
            int requests = importPeople(source, token, school, people, 1, sourceMillis);
            drain(poller);
            streamBatches = streamInvocations[0];
            this.streamMillis = streamTime[0];
            return new Usage(
                    "cost.roster_changes.fanout" + sizes.integrations(),
                    "changes",
                    people.size(),
                    meter.read(),
                    requests,
                    requests + streamInvocations[0],
                    sourceMillis[0] + streamTime[0],
                    memoryMb);
        }
    }

    /** Puts every person (generation 0 creates them, 1 changes them) with batch requests of 100; returns how many. */
    private int importPeople(
            LocalFunction source, String token, String school, List<String> people, int generation, long[] millis) {
        if (generation == 0) {
            ObjectNode body = Json.object();
            body.putArray("operations")
                    .addObject()
                    .put("method", "PUT")
                    .put("collection", "organizations")
                    .put("id", school)
                    .set("data", Json.object().put("name", "Cost School").put("type", "school"));
            ApiResult.invoke(source, HttpApiEvents.request(SOURCE_ROUTE, Map.of(), token, Json.write(body)), 200);
        }
        int requests = 0;
        for (int from = 0; from < people.size(); from += PER_REQUEST) {
            ObjectNode body = Json.object();
            ArrayNode operations = body.putArray("operations");
            for (int i = from; i < Math.min(people.size(), from + PER_REQUEST); i++) {
                operations
                        .addObject()
                        .put("method", "PUT")
                        .put("collection", "people")
                        .put("id", people.get(i))
                        .set(
                                "data",
                                Json.object()
                                        .put("first_name", "Ada " + i)
                                        .put("last_name", generation == 0 ? "Lovelace" : "King")
                                        .put("email", "ada" + i + "@example.edu")
                                        .put("school_id", school)
                                        .set("roles", Json.array().add("student")));
            }
            HttpApiEvent request = HttpApiEvents.request(SOURCE_ROUTE, Map.of(), token, Json.write(body));
            long start = System.nanoTime();
            ApiResult.invoke(source, request, 200);
            if (millis != null) {
                millis[0] += billedMillis(System.nanoTime() - start);
            }
            requests++;
        }
        return requests;
    }

    /** Hands the stream's records to the change stream until a pass finds none. */
    private static void drain(RosterStreamPoller poller) {
        int idle = 0;
        while (idle < 3) {
            idle = poller.pollOnce() == 0 ? idle + 1 : 0;
        }
    }

    /** Lambda bills each invocation's duration rounded up to the millisecond. */
    private static long billedMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }
}
