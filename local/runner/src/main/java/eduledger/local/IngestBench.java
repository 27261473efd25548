package eduledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eduledger.audit.AuditEvent;
import eduledger.audit.AuditEventStore;
import eduledger.auth.Scope;
import eduledger.events.EventIds;
import eduledger.json.Json;
import eduledger.lambda.HttpApiEvent;
import eduledger.lambda.Services;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Audit event ingestion: {@code POST /api/v2/audit/events} through IngestHandler (one event, then
 * batches) against the raw floor of writing exactly the items the store writes for those events
 * (the event item, whose GSI keys make DynamoDB maintain the same index entries, and its target
 * copy) with one PutItem or BatchWriteItem per 25 items. No idempotency key is sent, so neither
 * side writes an idempotency record. The newest-schema read, validation and rendering are what
 * eduledger adds.
 */
final class IngestBench {
    private static final String ROUTE = "POST /api/v2/audit/events";
    private static final String ACTION = "bench.submission.graded";

    /**
     * @param jitWarmUp single events sent, alternating with the floor, before anything is timed (see
     *                  {@link Figure#warmUp}), by integrations of their own taking turns, each kept
     *                  inside its rate limit ({@link WarmUpPace}), so that the measured
     *                  integration's window starts untouched
     * @param singleRounds  rounds of timed single events, each by an integration of its own that
     *                      sends {@code singleWarmUp} and then {@code singleSamples} of them
     * @param batchJitWarmUp the same for batches, before the batches are timed
     */
    record Sizes(
            int jitWarmUp,
            int singleRounds,
            int singleWarmUp,
            int singleSamples,
            int batchSize,
            int batchJitWarmUp,
            int batchWarmUp,
            int batchSamples) {
        /**
         * 30,000 warm-up events, as with 10,000 a method the function runs once per request (writing
         * the response's event) was still in the JIT's profiling tier when the timed calls began, and
         * the JIT compiled for up to 750 ms of those calls' half second (the hotter SDK code of the
         * floor was long compiled): a method runs a few thousand times at each tier before the next.
         */
        static final Sizes FULL = new Sizes(30_000, 5, 50, 300, 100, 50, 5, 30);
    }

    /**
     * Integrations the JIT warm-up's events come from, taking turns: enough that their rate limits
     * (980 requests in 10 s each, after the leases) do not hold the warm-up back, as four (392 a
     * second together) did here.
     */
    private static final int WARM_UP_TENANTS = 16;

    private final LocalSystem system;
    private final Sizes sizes;

    IngestBench(LocalSystem system, Sizes sizes) {
        this.system = system;
        this.sizes = sizes;
    }

    List<Figure> run() {
        LocalFunction ingest = system.function("IngestFunction");
        Map.Entry<eduledger.integrations.Integration, String> tenant = tenantWithSchema("bench ingest");
        String integrationId = tenant.getKey().id();
        String token = tenant.getValue();
        Services services = ingest.services();
        AuditEventStore store = new AuditEventStore(
                services.dynamo(),
                services.tables(),
                services.clock(),
                services.settings().retention());
        String table = services.tables().events();
        List<Figure> figures = new ArrayList<>();

        ObjectNode single = AuditEventShapes.gradingEvent(ACTION, integrationId, 1, true);
        HttpApiEvent singleRequest = HttpApiEvents.request(ROUTE, Map.of(), token, Json.write(single));
        AuditEvent stored =
                AuditEvent.fromJson(ApiResult.invoke(ingest, singleRequest, 201).data());
        // Rounds of one integration each: a mean of a few hundred calls moved by a tenth from one run
        // to the next with a single slow call on either side, and one integration may not send more
        // in a window than its rate limit allows. Each round's integration starts untouched, and all
        // are made before the JIT warm-up, so that making them (another function's path) sets off
        // no compiling during the timed calls.
        List<Round> rounds = new ArrayList<>();
        rounds.add(new Round(integrationId, stored, singleRequest.bytes()));
        for (int round = 1; round < sizes.singleRounds(); round++) {
            Map.Entry<eduledger.integrations.Integration, String> measured = tenantWithSchema("bench ingest " + round);
            String measuredId = measured.getKey().id();
            HttpApiEvent request = HttpApiEvents.request(
                    ROUTE,
                    Map.of(),
                    measured.getValue(),
                    Json.write(AuditEventShapes.gradingEvent(ACTION, measuredId, 1, true)));
            rounds.add(new Round(
                    measuredId,
                    AuditEvent.fromJson(ApiResult.invoke(ingest, request, 201).data()),
                    request.bytes()));
        }
        List<Map.Entry<eduledger.integrations.Integration, String>> others = new ArrayList<>();
        List<byte[]> warmUpRequests = new ArrayList<>();
        for (int i = 0; i < WARM_UP_TENANTS; i++) {
            Map.Entry<eduledger.integrations.Integration, String> other = tenantWithSchema("bench ingest warm-up " + i);
            others.add(other);
            warmUpRequests.add(HttpApiEvents.request(
                            ROUTE,
                            Map.of(),
                            other.getValue(),
                            Json.write(AuditEventShapes.gradingEvent(
                                    ACTION, other.getKey().id(), 1, true)))
                    .bytes());
        }
        Iterator<List<Map<String, AttributeValue>>> rawWarmUps = sameItems(
                        store, integrationId, List.of(stored), sizes.jitWarmUp())
                .iterator();
        int[] turn = {0};
        WarmUpPace pace = new WarmUpPace(services.settings().tenantLimit(), services.clock());
        Figure.warmUp(
                sizes.jitWarmUp(),
                () -> {
                    int from = turn[0]++ % WARM_UP_TENANTS;
                    pace.before(others.get(from).getKey().id());
                    ApiResult.invoke(ingest, ROUTE, warmUpRequests.get(from), 201);
                },
                () -> RawWrites.put(services.dynamo(), table, rawWarmUps.next()));
        long[][] singles = {new long[0], new long[0]};
        long[] cpu = {0, 0};
        for (Round round : rounds) {
            Iterator<List<Map<String, AttributeValue>>> rawSingles = sameItems(
                            store,
                            round.integrationId(),
                            List.of(round.stored()),
                            sizes.singleWarmUp() + sizes.singleSamples())
                    .iterator();
            List<Long> ourCpu = new ArrayList<>();
            List<Long> floorCpu = new ArrayList<>();
            long[][] timed = Figure.alternate(
                    "ingest.single",
                    sizes.singleWarmUp(),
                    sizes.singleSamples(),
                    cpuTimed(ourCpu, () -> ApiResult.invoke(ingest, ROUTE, round.request(), 201)),
                    cpuTimed(floorCpu, () -> RawWrites.put(services.dynamo(), table, rawSingles.next())));
            singles = new long[][] {concat(singles[0], timed[0]), concat(singles[1], timed[1])};
            cpu[0] += sumOfLast(ourCpu, sizes.singleSamples());
            cpu[1] += sumOfLast(floorCpu, sizes.singleSamples());
        }
        int singleSamples = singles[0].length;
        figures.add(new Figure(
                "ingest.single.p50",
                "ms",
                Figure.percentileMillis(singles[0], 50),
                Figure.percentileMillis(singles[1], 50),
                singleSamples));
        figures.add(new Figure(
                "ingest.single.p99",
                "ms",
                Figure.percentileMillis(singles[0], 99),
                Figure.percentileMillis(singles[1], 99),
                singleSamples));
        figures.add(new Figure(
                "ingest.single.throughput",
                "events/s",
                Figure.perSecond(singles[0], 1),
                Figure.perSecond(singles[1], 1),
                singleSamples));
        figures.add(new Figure(
                "ingest.single.cpu",
                "us/event",
                cpu[0] / (double) singleSamples / 1e3,
                cpu[1] / (double) singleSamples / 1e3,
                singleSamples));

        ObjectNode batchBody = batchOf(integrationId);
        HttpApiEvent batchRequest = HttpApiEvents.request(ROUTE, Map.of(), token, Json.write(batchBody));
        List<AuditEvent> storedBatch = new ArrayList<>();
        for (JsonNode result : ApiResult.invoke(ingest, batchRequest, 200).data()) {
            if (result.path("status").asInt() != 201) {
                throw new IllegalStateException("a bench batch event was not stored: " + result);
            }
            storedBatch.add(AuditEvent.fromJson(result.path("event")));
        }
        Iterator<List<Map<String, AttributeValue>>> rawBatches = sameItems(
                        store,
                        integrationId,
                        storedBatch,
                        sizes.batchJitWarmUp() + sizes.batchWarmUp() + sizes.batchSamples())
                .iterator();
        List<byte[]> warmUpBatches = new ArrayList<>();
        for (Map.Entry<eduledger.integrations.Integration, String> other : others) {
            warmUpBatches.add(HttpApiEvents.request(
                            ROUTE,
                            Map.of(),
                            other.getValue(),
                            Json.write(batchOf(other.getKey().id())))
                    .bytes());
        }
        Figure.warmUp(
                sizes.batchJitWarmUp(),
                () -> {
                    int from = turn[0]++ % WARM_UP_TENANTS;
                    pace.before(others.get(from).getKey().id());
                    ApiResult.invoke(ingest, ROUTE, warmUpBatches.get(from), 200);
                },
                () -> RawWrites.put(services.dynamo(), table, rawBatches.next()));
        byte[] batchBytes = batchRequest.bytes();
        long[][] batches = Figure.alternate(
                "ingest.batch",
                sizes.batchWarmUp(),
                sizes.batchSamples(),
                () -> ApiResult.invoke(ingest, ROUTE, batchBytes, 200),
                () -> RawWrites.put(services.dynamo(), table, rawBatches.next()));
        int events = sizes.batchSamples() * sizes.batchSize();
        figures.add(new Figure(
                "ingest.batch.throughput",
                "events/s",
                Figure.perSecond(batches[0], sizes.batchSize()),
                Figure.perSecond(batches[1], sizes.batchSize()),
                events));
        figures.add(new Figure(
                "ingest.batch.p50",
                "ms",
                Figure.percentileMillis(batches[0], 50),
                Figure.percentileMillis(batches[1], 50),
                sizes.batchSamples()));
        figures.add(new Figure(
                "ingest.batch.p99",
                "ms",
                Figure.percentileMillis(batches[0], 99),
                Figure.percentileMillis(batches[1], 99),
                sizes.batchSamples()));
        return figures;
    }

    /** {@code {"events": [...]}} of the bench's batch size, in {@code integrationId}'s scope. */
    private ObjectNode batchOf(String integrationId) {
        ObjectNode body = Json.object();
        ArrayNode events = body.putArray("events");
        for (int i = 0; i < sizes.batchSize(); i++) {
            events.add(AuditEventShapes.gradingEvent(ACTION, integrationId, i, true));
        }
        return body;
    }

    /** A new integration with the bench's strict schema for {@link #ACTION}, and its token. */
    private Map.Entry<eduledger.integrations.Integration, String> tenantWithSchema(String name) {
        Map.Entry<eduledger.integrations.Integration, String> tenant =
                system.createIntegration(name, Scope.integrationScopes());
        ApiResult.invoke(
                system.function("SchemasFunction"),
                HttpApiEvents.request(
                        "POST /api/v2/audit/schemas",
                        Map.of(),
                        tenant.getValue(),
                        Json.write(AuditEventShapes.strictSchema(ACTION))),
                201);
        return tenant;
    }

    /**
     * {@code call}, adding the CPU time the calling thread spent in it to {@code spent}: unlike the
     * latency, it does not grow with what else the machine runs. The store's own work (the engine
     * runs in this JVM, on its own threads) is not in it, and both sides make the same write.
     */
    private static Runnable cpuTimed(List<Long> spent, Runnable call) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return () -> {
            long start = threads.getCurrentThreadCpuTime();
            call.run();
            spent.add(threads.getCurrentThreadCpuTime() - start);
        };
    }

    /**
     * One integration's timed single events: the request, as its bytes (the same event every time:
     * the items of the floor are built outside its clock too, and making the request is the
     * sender's work, not the function's), and the event it stored first, whose items the floor
     * writes under fresh ids.
     */
    private record Round(String integrationId, AuditEvent stored, byte[] request) {}

    /** The sum of the last {@code count} calls: the timed ones, the warm-up's left out. */
    private static long sumOfLast(List<Long> nanos, int count) {
        long sum = 0;
        for (long n : nanos.subList(nanos.size() - count, nanos.size())) {
            sum += n;
        }
        return sum;
    }

    private static long[] concat(long[] first, long[] second) {
        long[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /**
     * For each run of the raw floor, the items the store makes for {@code stored} under fresh ids, as
     * eduledger would for a new request: built before timing, so the floor times DynamoDB calls only.
     * The events name no id of their own, so their items hold no request hash, as the store's do.
     */
    private static List<List<Map<String, AttributeValue>>> sameItems(
            AuditEventStore store, String integrationId, List<AuditEvent> stored, int runs) {
        List<List<Map<String, AttributeValue>>> all = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Instant now = Instant.now();
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = 0; i < stored.size(); i++) {
                Instant madeAt = now.plusMillis(i);
                items.addAll(store.items(integrationId, stored.get(i).withId(EventIds.next(madeAt), madeAt), null));
            }
            all.add(items);
        }
        return all;
    }
}
