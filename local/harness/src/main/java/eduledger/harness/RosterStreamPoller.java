package eduledger.harness;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The stream trigger of template.yaml, off AWS: reads every shard of a table's stream as Lambda's
 * event source mapping does (a shard's parent to its end before the shard itself, following each
 * shard's iterators until it closes, picking up new shards as they appear), hands batches of up to
 * 100 records to the handler as the {@link DynamodbEvent} Lambda builds, and honours the returned
 * {@code batchItemFailures} by delivering again from the failed record, at most
 * {@link #MAX_RETRIES} times before skipping it as Lambda's failure destination would take it.
 */
public final class RosterStreamPoller implements AutoCloseable {
    public static final int BATCH_SIZE = 100;
    public static final int MAX_RETRIES = 5;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param lastSequenceNumber the last record handed on, where reading resumes when the iterator
     *                           expired (null: none yet, so from where the shard was first read)
     * @param fromLatest         the shard was first read at its end rather than its horizon
     */
    private record Position(
            String iterator, String lastSequenceNumber, String retrySequenceNumber, int attempts, boolean fromLatest) {
        Position next(String nextIterator, String handedOn) {
            return new Position(nextIterator, handedOn, retrySequenceNumber, attempts, fromLatest);
        }
    }

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final Function<DynamodbEvent, StreamsEventResponse> handler;
    private final Map<String, Position> open = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();
    /** Records handed over {@link #MAX_RETRIES} times in vain and then skipped, as {@code shard/sequence}. */
    private final List<String> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile Throwable lastFailure;
    private volatile int failedPolls;
    /** What {@link #describe} reports without waiting for a poll: where the last poll left the shards. */
    private volatile Map<String, Position> lastPositions = Map.of();

    private volatile int finishedShards;
    /** When the poll under way began ({@link System#nanoTime}), or 0 between polls. */
    private volatile long pollingSince;

    private volatile boolean running;
    private Thread thread;

    /**
     * @param fromLatest start at the stream's end (skip what was written before), as
     *                   {@code StartingPosition: LATEST} does, or at its horizon
     */
    public RosterStreamPoller(
            DynamoDbStreamsClient streams,
            String streamArn,
            Function<DynamodbEvent, StreamsEventResponse> handler,
            boolean fromLatest) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.handler = handler;
        if (fromLatest) {
            for (Shard shard : shards()) {
                if (shard.sequenceNumberRange().endingSequenceNumber() != null) {
                    finished.add(shard.shardId());
                } else {
                    open.put(
                            shard.shardId(),
                            new Position(
                                    iterator(shard.shardId(), ShardIteratorType.LATEST, null), null, null, 0, true));
                }
            }
        }
    }

    /** A poller of {@code tableName}'s stream on a local store, with a streams client of its own. */
    public static RosterStreamPoller forTable(
            URI endpoint, String tableName, Function<DynamodbEvent, StreamsEventResponse> handler, boolean fromLatest) {
        String arn;
        try (var dynamo = TestStore.client(endpoint)) {
            arn = dynamo.describeTable(b -> b.tableName(tableName)).table().latestStreamArn();
        }
        if (arn == null) {
            throw new IllegalStateException("table " + tableName + " has no stream");
        }
        DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        RosterStreamPoller poller = new RosterStreamPoller(streams, arn, handler, fromLatest);
        poller.ownsClient = true;
        return poller;
    }

    private boolean ownsClient;

    /** Polls in a background thread until closed. */
    public synchronized RosterStreamPoller start(long idleMillis) {
        running = true;
        thread = new Thread(
                () -> {
                    while (running) {
                        try {
                            if (pollOnce() == 0) {
                                Thread.sleep(idleMillis);
                            }
                        } catch (InterruptedException e) {
                            // Only close() ends the thread: an interrupt the handler's own calls
                            // left behind (a store call's timeout interrupts the calling thread)
                            // must not stop the stream.
                            stray(e);
                        } catch (RuntimeException | Error e) {
                            if (!running) {
                                // Closed during a poll, whose call the interrupt cut short.
                                return;
                            }
                            // Lambda's runtime reports whatever a handler throws, Errors too, and the
                            // event source mapping delivers the batch again: so does this thread.
                            lastFailure = e;
                            failedPolls++;
                            System.err.println("stream poller: " + e);
                            try {
                                Thread.sleep(1000);
                            } catch (InterruptedException e2) {
                                stray(e2);
                            }
                        }
                    }
                },
                "roster-stream-poller");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Notes an interrupt that did not come from {@link #close}, which the thread outlives. */
    private void stray(InterruptedException e) {
        if (running) {
            lastFailure = e;
            failedPolls++;
        }
    }

    /** One pass over every shard; returns how many records were delivered. */
    public synchronized int pollOnce() {
        pollingSince = System.nanoTime();
        try {
            discoverShards();
            int delivered = 0;
            for (String shardId : new ArrayList<>(open.keySet())) {
                delivered += pollShard(shardId);
            }
            return delivered;
        } finally {
            lastPositions = Map.copyOf(open);
            finishedShards = finished.size();
            pollingSince = 0;
        }
    }

    private int pollShard(String shardId) {
        Position position = open.get(shardId);
        GetRecordsResponse response;
        try {
            response =
                    streams.getRecords(b -> b.shardIterator(position.iterator()).limit(BATCH_SIZE));
        } catch (ExpiredIteratorException e) {
            // An iterator lives 15 minutes; after a longer pause (a suspended machine) resume after
            // the last record handed on, as Lambda resumes from its checkpoint.
            String last = position.lastSequenceNumber();
            String resumed = last != null
                    ? iterator(shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, last)
                    : iterator(
                            shardId,
                            position.fromLatest() ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON,
                            null);
            open.put(shardId, position.next(resumed, last));
            return 0;
        }
        List<Record> records = response.records();
        if (records.isEmpty()) {
            advance(shardId, response.nextShardIterator(), position.lastSequenceNumber());
            return 0;
        }
        StreamsEventResponse result = handler.apply(event(records));
        String failed = result == null || result.getBatchItemFailures() == null
                ? null
                : result.getBatchItemFailures().stream()
                        .map(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                        .filter(id -> id != null && !id.isEmpty())
                        .min((a, b) -> new BigDecimal(a).compareTo(new BigDecimal(b)))
                        .orElse(null);
        if (failed == null) {
            advance(
                    shardId,
                    response.nextShardIterator(),
                    records.get(records.size() - 1).dynamodb().sequenceNumber());
            return records.size();
        }
        String before = null;
        for (Record record : records) {
            if (record.dynamodb().sequenceNumber().equals(failed)) {
                break;
            }
            before = record.dynamodb().sequenceNumber();
        }
        String handedOn = before == null ? position.lastSequenceNumber() : before;
        int attempts = failed.equals(position.retrySequenceNumber()) ? position.attempts() + 1 : 1;
        if (attempts > MAX_RETRIES) {
            System.err.println("stream poller: record " + failed + " of shard " + shardId + " failed " + MAX_RETRIES
                    + " retries; skipped (the failure destination's job in AWS)");
            skipped.add(shardId + "/" + failed);
            open.put(
                    shardId,
                    new Position(
                            iterator(shardId, ShardIteratorType.AFTER_SEQUENCE_NUMBER, failed),
                            failed,
                            null,
                            0,
                            position.fromLatest()));
        } else {
            open.put(
                    shardId,
                    new Position(
                            iterator(shardId, ShardIteratorType.AT_SEQUENCE_NUMBER, failed),
                            handedOn,
                            failed,
                            attempts,
                            position.fromLatest()));
        }
        return records.size();
    }

    /**
     * Where the poller stands, for a test that waited in vain to say why: its thread, the shards it
     * reads and the last record it handed on in each, the records it gave up on, its last failure,
     * and the stream's shards as DescribeStream lists them.
     */
    public String describe() {
        long since = pollingSince;
        StringBuilder b = new StringBuilder("poller thread ")
                .append(thread == null ? "not started" : thread.isAlive() ? "alive" : "ended")
                .append(since == 0 ? "" : ", in a poll for " + (System.nanoTime() - since) / 1_000_000 + " ms")
                .append("; reading ");
        lastPositions.forEach((shard, position) -> b.append(shard)
                .append(" after ")
                .append(position.lastSequenceNumber())
                .append(position.attempts() > 0 ? " (retry " + position.attempts() + ")" : "")
                .append(", "));
        b.append("finished ").append(finishedShards).append(" shards; skipped ").append(skipped);
        b.append("; ").append(failedPolls).append(" failed polls, the last ").append(lastFailure);
        try {
            b.append("; the stream's shards:");
            for (Shard shard : shards()) {
                b.append(' ')
                        .append(shard.shardId())
                        .append(" [")
                        .append(shard.sequenceNumberRange().startingSequenceNumber())
                        .append("..")
                        .append(shard.sequenceNumberRange().endingSequenceNumber())
                        .append(']');
            }
        } catch (RuntimeException e) {
            b.append(" unknown (").append(e).append(')');
        }
        return b.toString();
    }

    /** A shard whose iterator runs out is closed and read to its end: its children may start. */
    private void advance(String shardId, String next, String lastSequenceNumber) {
        if (next == null) {
            open.remove(shardId);
            finished.add(shardId);
        } else {
            open.put(shardId, open.get(shardId).next(next, lastSequenceNumber));
        }
    }

    /** Starts each new shard at its horizon once its parent, if the stream still lists it, is read to its end. */
    private void discoverShards() {
        List<Shard> shards = shards();
        Set<String> listed = new HashSet<>();
        shards.forEach(shard -> listed.add(shard.shardId()));
        for (Shard shard : shards) {
            String id = shard.shardId();
            if (open.containsKey(id) || finished.contains(id)) {
                continue;
            }
            String parent = shard.parentShardId();
            if (parent == null || !listed.contains(parent) || finished.contains(parent)) {
                open.put(id, new Position(iterator(id, ShardIteratorType.TRIM_HORIZON, null), null, null, 0, false));
            }
        }
    }

    private List<Shard> shards() {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            StreamDescription description = streams.describeStream(
                            b -> b.streamArn(streamArn).exclusiveStartShardId(from))
                    .streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        return shards;
    }

    private String iterator(String shardId, ShardIteratorType type, String sequenceNumber) {
        return streams.getShardIterator(b -> b.streamArn(streamArn)
                        .shardId(shardId)
                        .shardIteratorType(type)
                        .sequenceNumber(sequenceNumber))
                .shardIterator();
    }

    /** The event Lambda's DynamoDB event source mapping delivers, built as JSON and read the runtime's way. */
    public DynamodbEvent event(List<Record> records) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (Record record : records) {
            ObjectNode json = array.addObject();
            json.put("eventID", record.eventID());
            json.put("eventName", record.eventNameAsString());
            json.put("eventVersion", "1.1");
            json.put("eventSource", "aws:dynamodb");
            json.put("awsRegion", record.awsRegion() == null ? "us-east-1" : record.awsRegion());
            ObjectNode dynamodb = json.putObject("dynamodb");
            var stream = record.dynamodb();
            if (stream.approximateCreationDateTime() != null) {
                dynamodb.put(
                        "ApproximateCreationDateTime",
                        stream.approximateCreationDateTime().toEpochMilli() / 1000.0);
            }
            dynamodb.set("Keys", image(stream.keys()));
            if (stream.hasNewImage()) {
                dynamodb.set("NewImage", image(stream.newImage()));
            }
            if (stream.hasOldImage()) {
                dynamodb.set("OldImage", image(stream.oldImage()));
            }
            dynamodb.put("SequenceNumber", stream.sequenceNumber());
            dynamodb.put("SizeBytes", stream.sizeBytes() == null ? 0 : stream.sizeBytes());
            dynamodb.put("StreamViewType", stream.streamViewTypeAsString());
            json.put("eventSourceARN", streamArn);
            if (record.userIdentity() != null) {
                // Set on the deletions TTL makes, so that a function can tell expiry from a client's delete.
                ObjectNode identity = json.putObject("userIdentity");
                identity.put("type", record.userIdentity().type());
                identity.put("principalId", record.userIdentity().principalId());
            }
        }
        try {
            return LambdaEvents.fromJson(MAPPER.writeValueAsString(event), DynamodbEvent.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode image(Map<String, AttributeValue> image) {
        ObjectNode json = MAPPER.createObjectNode();
        image.forEach((name, value) -> json.set(name, value(value)));
        return json;
    }

    private static ObjectNode value(AttributeValue value) {
        ObjectNode json = MAPPER.createObjectNode();
        switch (value.type()) {
            case S -> json.put("S", value.s());
            case N -> json.put("N", value.n());
            case B -> json.put("B", base64(value.b()));
            case BOOL -> json.put("BOOL", value.bool());
            case NUL -> json.put("NULL", true);
            case SS -> value.ss().forEach(json.putArray("SS")::add);
            case NS -> value.ns().forEach(json.putArray("NS")::add);
            case BS -> value.bs().forEach(b -> json.withArray("BS").add(base64(b)));
            case L -> value.l().forEach(item -> json.withArray("L").add(value(item)));
            case M -> json.set("M", image(value.m()));
            default -> throw new IllegalArgumentException("attribute of unknown type " + value);
        }
        return json;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownsClient) {
            synchronized (this) {
                streams.close();
            }
        }
    }
}
