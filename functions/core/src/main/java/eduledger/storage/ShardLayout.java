package eduledger.storage;

import eduledger.events.EventIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How many shards one tenant's time-ordered list is spread over, through time: a sequence of epochs,
 * each from an instant on (the first from the beginning of time), each with its own shard count. An
 * item's shard is a hash of its id modulo the shard count of the epoch its id's time falls in, so
 * the layout of a time range never changes once that range has begun, and a read of a range queries
 * only the shards of the epochs the range overlaps. Each epoch has more shards than the one before it
 * (the tenant's writes were throttled) or fewer (its writes have since slowed down). Why and how a
 * layout changes is in {@link ShardLayouts}.
 */
public record ShardLayout(List<Epoch> epochs) {
    /**
     * From {@code from} (inclusive) until the next epoch, ids are spread over {@code shards} shards.
     * Ids count milliseconds, so {@code from} is rounded up to a whole one.
     */
    public record Epoch(Instant from, int shards) {
        public Epoch {
            if (from.getNano() % 1_000_000 != 0) {
                from = Instant.ofEpochMilli(from.toEpochMilli() + 1);
            }
        }
    }

    /** The part of an id range that one epoch covers, with that epoch's shard count. */
    public record Span(String low, String high, int shards) {}

    /** Every list starts on one shard. */
    public static final ShardLayout SINGLE = new ShardLayout(List.of(new Epoch(Instant.EPOCH, 1)));

    public ShardLayout {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty() || !epochs.get(0).from().equals(Instant.EPOCH)) {
            throw new IllegalArgumentException("a layout's first epoch starts at the beginning of time: " + epochs);
        }
        for (int i = 0; i < epochs.size(); i++) {
            Epoch epoch = epochs.get(i);
            if (epoch.shards() < 1) {
                throw new IllegalArgumentException("an epoch has at least one shard: " + epochs);
            }
            if (i > 0
                    && (!epoch.from().isAfter(epochs.get(i - 1).from())
                            || epoch.shards() == epochs.get(i - 1).shards())) {
                throw new IllegalArgumentException(
                        "each epoch starts later than the one before and has another shard count: " + epochs);
            }
        }
    }

    /** A layout of {@code shards} shards from the beginning of time. */
    public static ShardLayout of(int shards) {
        return new ShardLayout(List.of(new Epoch(Instant.EPOCH, shards)));
    }

    /** The shard count of the epoch {@code time} falls in. */
    public int shardsAt(Instant time) {
        int shards = epochs.get(0).shards();
        for (Epoch epoch : epochs) {
            if (epoch.from().isAfter(time)) {
                break;
            }
            shards = epoch.shards();
        }
        return shards;
    }

    /** The shard of an item whose sort key is the time-ordered id {@code id}. */
    public int shard(String id) {
        Instant time = EventIds.timeOf(id);
        int shards = time == null ? epochs.get(0).shards() : shardsAt(time);
        return Math.floorMod(id.hashCode(), shards);
    }

    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }

    /** This layout with one more epoch: {@code shards} shards from {@code from} on. */
    public ShardLayout then(Instant from, int shards) {
        List<Epoch> longer = new ArrayList<>(epochs);
        longer.add(new Epoch(from, shards));
        return new ShardLayout(longer);
    }

    /**
     * The epochs the id range {@code low..high} (both inclusive) overlaps, each cut to that range,
     * oldest first. An epoch from time {@code t} holds exactly the ids from {@code EventIds.lowerBound(t)}.
     */
    public List<Span> spans(String low, String high) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < epochs.size(); i++) {
            String epochLow = i == 0 ? low : EventIds.lowerBound(epochs.get(i).from());
            String epochHigh = i + 1 < epochs.size()
                    ? ShardedPages.adjacent(
                            EventIds.lowerBound(epochs.get(i + 1).from()), -1)
                    : high;
            String spanLow = max(low, epochLow);
            String spanHigh = min(high, epochHigh);
            if (spanLow.compareTo(spanHigh) <= 0) {
                spans.add(new Span(spanLow, spanHigh, epochs.get(i).shards()));
            }
        }
        return spans;
    }

    /** The stored form: {@code epochMillis:shards} per epoch, comma-separated, oldest first. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (Epoch epoch : epochs) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(epoch.from().toEpochMilli()).append(':').append(epoch.shards());
        }
        return text.toString();
    }

    public static ShardLayout decode(String text) {
        List<Epoch> epochs = new ArrayList<>();
        for (String part : text.split(",")) {
            int colon = part.indexOf(':');
            epochs.add(new Epoch(
                    Instant.ofEpochMilli(Long.parseLong(part.substring(0, colon))),
                    Integer.parseInt(part.substring(colon + 1))));
        }
        return new ShardLayout(epochs);
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
