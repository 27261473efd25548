package eduledger.storage;

import static eduledger.storage.Attributes.s;
import static eduledger.storage.Attributes.string;

import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads one page of a list whose items are spread over shards: one partition per shard, each
 * ordered by the same time-ordered id in {@code sk}, the shard count following the list's
 * {@link ShardLayout} through time. The epochs the page's range overlaps are read one after another
 * in the page's direction, each only as far as the page needs; within an epoch its shards are
 * queried at once and merged by id, reading each shard's share of the page first and more only where
 * that share ran short (why, and what it costs, in {@code docs/data-model.md}). An epoch of one
 * shard is one Query.
 */
public final class ShardedPages {
    /** The largest id; a range with no upper limit ends here. */
    public static final String HIGHEST_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

    /**
     * The shards of the most sharded list (a layout grows to at most 8): the readers below have a
     * thread for each. A read of more partitions at once (several types' shards) has the rest wait.
     */
    static final int MAX_SHARDS = 8;

    /**
     * The shards of a page are queried at once, so a page costs one round trip rather than one per
     * shard. Shard reads never wait for one another, so the bounded pool cannot deadlock; its threads
     * are daemons so that they never keep a process alive.
     */
    private static final ExecutorService SHARD_READERS = Executors.newFixedThreadPool(MAX_SHARDS, task -> {
        Thread thread = new Thread(task, "shard-reader");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Where a sharded list is stored.
     *
     * @param index        a secondary index of {@code table}, or null for the table itself
     * @param partitionKey the partition key attribute of the table or index
     * @param layout       the list's shard count through time
     * @param partitions   given a shard count, the partition key values to query for it: one per
     *                     shard, in shard order (or several lists' shards, merged alike)
     * @param attributes   the attributes a page's reader uses, {@code sk} among them, or null for
     *                     whole items: what a page does not use is neither sent nor parsed
     */
    public record Partitions(
            String table,
            String index,
            String partitionKey,
            ShardLayout layout,
            IntFunction<List<String>> partitions,
            List<String> attributes) {

        public Partitions {
            if (attributes != null && !attributes.contains(Keys.SK)) {
                throw new IllegalArgumentException("a page is merged and cut by " + Keys.SK + ", so it reads it");
            }
        }

        public Partitions(
                String table,
                String index,
                String partitionKey,
                ShardLayout layout,
                IntFunction<List<String>> partitions) {
            this(table, index, partitionKey, layout, partitions, null);
        }

        /** A fixed set of partitions that no layout spreads (one per value a filter names, say). */
        public Partitions(String table, String index, String partitionKey, List<String> partitions) {
            this(table, index, partitionKey, ShardLayout.of(partitions.size()), count -> partitions);
        }

        /** The same partitions, of whose items only {@code read} are read. */
        public Partitions reading(List<String> read) {
            return new Partitions(table, index, partitionKey, layout, partitions, List.copyOf(read));
        }
    }

    private ShardedPages() {}

    /**
     * One page of the items with {@code low <= sk <= high}, oldest first. The page's anchor, when
     * set, must be the id of an item that exists (the caller checks, as only it knows how to say
     * so); the page starts right after it, or when paging backward ends right before it.
     */
    public static Page<Map<String, AttributeValue>> read(
            DynamoDbClient dynamo, Partitions partitions, String low, String high, PageRequest page) {
        if (page.anchor() != null) {
            if (page.forward()) {
                low = max(low, adjacent(page.anchor(), 1));
            } else {
                high = min(high, adjacent(page.anchor(), -1));
            }
        }
        if (low.compareTo(high) > 0) {
            return new Page<>(List.of(), false);
        }
        List<ShardLayout.Span> spans = new ArrayList<>(partitions.layout().spans(low, high));
        if (!page.forward()) {
            Collections.reverse(spans);
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (ShardLayout.Span span : spans) {
            List<String> keys = partitions.partitions().apply(span.shards());
            int wanted = page.size() - items.size();
            if (wanted == 0) {
                // The page ended where an epoch did: whether more lies beyond is whether this one has any.
                if (!readSpan(
                                dynamo,
                                partitions,
                                keys,
                                span.low(),
                                span.high(),
                                new PageRequest(1, page.forward(), null))
                        .items()
                        .isEmpty()) {
                    return new Page<>(items, true);
                }
                continue;
            }
            Page<Map<String, AttributeValue>> part = readSpan(
                    dynamo, partitions, keys, span.low(), span.high(), new PageRequest(wanted, page.forward(), null));
            if (page.forward()) {
                items.addAll(part.items());
            } else {
                items.addAll(0, part.items());
            }
            if (part.more()) {
                return new Page<>(items, true);
            }
        }
        return new Page<>(items, false);
    }

    /**
     * A page read after an anchor, and whether the anchor itself was among the items read: then it
     * is known to exist without a read of its own.
     */
    public record Anchored(Page<Map<String, AttributeValue>> page, boolean anchorFound) {}

    /**
     * {@link #read} of a page with an anchor, reading from the anchor itself in the same Queries, so
     * that a caller who must know the anchor exists learns it from the page: a cursor handed out
     * with a page names an item of that page, and the next page then costs its Queries alone. When
     * the anchor is not among the items (not in these partitions, or outside the range), the page is
     * the one {@link #read} returns and the caller must check the anchor itself. An anchor that is
     * no id at all reads nothing: no item can follow it, and the caller's check refuses it.
     */
    public static Anchored readFromAnchor(
            DynamoDbClient dynamo, Partitions partitions, String low, String high, PageRequest page) {
        String anchor = page.anchor().toLowerCase(java.util.Locale.ROOT);
        if (!isId(anchor)) {
            return new Anchored(new Page<>(List.of(), false), false);
        }
        if (anchor.compareTo(low) < 0 || anchor.compareTo(high) > 0) {
            return new Anchored(read(dynamo, partitions, low, high, page), false);
        }
        Page<Map<String, AttributeValue>> read = read(
                dynamo,
                partitions,
                page.forward() ? anchor : low,
                page.forward() ? high : anchor,
                new PageRequest(page.size() + 1, page.forward(), null));
        List<Map<String, AttributeValue>> items = new ArrayList<>(read.items());
        // Oldest first: the anchor, when read, is the first item paging forward and the last backward.
        int anchorAt = page.forward() ? 0 : items.size() - 1;
        if (!items.isEmpty() && anchor.equals(string(items.get(anchorAt), Keys.SK))) {
            items.remove(anchorAt);
            return new Anchored(new Page<>(items, read.more()), true);
        }
        boolean more = read.more() || items.size() > page.size();
        if (items.size() > page.size()) {
            items.remove(page.forward() ? items.size() - 1 : 0);
        }
        return new Anchored(new Page<>(items, more), false);
    }

    /** Whether {@code value} is an id as the store holds it: a UUID in lower-case hex. */
    private static boolean isId(String value) {
        if (value.length() != HIGHEST_ID.length()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** One page of the items with {@code low <= sk <= high} of one epoch, whose shards are {@code keys}. */
    private static Page<Map<String, AttributeValue>> readSpan(
            DynamoDbClient dynamo,
            Partitions partitions,
            List<String> keys,
            String low,
            String high,
            PageRequest page) {
        int share = firstShare(page.size(), keys.size());
        List<Page<Map<String, AttributeValue>>> shares = readShards(
                dynamo, partitions, keys, low, high, new PageRequest(share, page.forward(), null), List.of(), null);
        if (keys.size() == 1) {
            // One shard's read is the page: in order, and as far as the page reaches.
            return shares.get(0);
        }
        List<Map<String, AttributeValue>> merged = merge(shares);
        boolean[] readOn = shortShards(shares, merged, page);
        if (readOn != null) {
            shares = readShards(
                    dynamo,
                    partitions,
                    keys,
                    low,
                    high,
                    new PageRequest(page.size() - share, page.forward(), null),
                    shares,
                    readOn);
            merged = merge(shares);
        }
        boolean more = merged.size() > page.size();
        for (Page<Map<String, AttributeValue>> shardPage : shares) {
            more |= shardPage.more();
        }
        List<Map<String, AttributeValue>> items = page.forward()
                ? merged.subList(0, Math.min(page.size(), merged.size()))
                : merged.subList(Math.max(0, merged.size() - page.size()), merged.size());
        return new Page<>(items, more);
    }

    /**
     * How many of a page of {@code size} each of {@code shards} shards is asked for first. Ids hash
     * evenly over the shards, so how many of the page's items fall in one shard is binomial: {@code
     * size / shards} on average, with a spread (standard deviation) of {@code sqrt(size p (1 - p))}
     * for {@code p = 1 / shards}. Asking for three spreads above the average (for 100 over 8 shards:
     * 23 each, where the average is 12.5 and the spread 3.3) leaves one shard short on about 2 pages
     * in 100 over 8 shards (1 in 100 over 4, 1 in 400 over 2, by simulation of the merge below), and
     * then only that shard is read on. A page of 100 over 8 shards reads 8 x 24 items, where twice
     * the even share plus 4 read 8 x 31.
     */
    static int firstShare(int size, int shards) {
        if (shards <= 1) {
            return size;
        }
        double p = 1.0 / shards;
        return Math.min(size, (int) Math.ceil(size * p + 3 * Math.sqrt(size * p * (1 - p))));
    }

    /**
     * The shards whose first reads leave the page undecided, or null when the page is decided: the
     * page is the first {@code page.size()} of the merged items, and a shard that has more beyond
     * its last item read must be read on when that last item comes before the page's last one (its
     * unread items could belong in the page). When fewer than a page were read, every shard with
     * more is read on.
     */
    private static boolean[] shortShards(
            List<Page<Map<String, AttributeValue>>> shares,
            List<Map<String, AttributeValue>> merged,
            PageRequest page) {
        String edge = null;
        if (merged.size() >= page.size()) {
            edge = string(merged.get(page.forward() ? page.size() - 1 : merged.size() - page.size()), Keys.SK);
        }
        boolean[] readOn = null;
        for (int shard = 0; shard < shares.size(); shard++) {
            Page<Map<String, AttributeValue>> share = shares.get(shard);
            if (!share.more()) {
                continue;
            }
            String last =
                    string(share.items().get(page.forward() ? share.items().size() - 1 : 0), Keys.SK);
            if (edge == null || (page.forward() ? last.compareTo(edge) < 0 : last.compareTo(edge) > 0)) {
                if (readOn == null) {
                    readOn = new boolean[shares.size()];
                }
                readOn[shard] = true;
            }
        }
        return readOn;
    }

    /**
     * The shards' items in one list by id, oldest first: each shard's are in that order already, so
     * they are merged rather than sorted. Equal ids (a partition set that names one item twice) keep
     * shard order.
     */
    private static List<Map<String, AttributeValue>> merge(List<Page<Map<String, AttributeValue>>> shares) {
        int total = 0;
        for (Page<Map<String, AttributeValue>> share : shares) {
            total += share.items().size();
        }
        List<Map<String, AttributeValue>> merged = new ArrayList<>(total);
        int[] next = new int[shares.size()];
        String[] head = new String[shares.size()];
        for (int shard = 0; shard < shares.size(); shard++) {
            List<Map<String, AttributeValue>> items = shares.get(shard).items();
            head[shard] = items.isEmpty() ? null : string(items.get(0), Keys.SK);
        }
        while (merged.size() < total) {
            int oldest = -1;
            for (int shard = 0; shard < head.length; shard++) {
                if (head[shard] != null && (oldest < 0 || head[shard].compareTo(head[oldest]) < 0)) {
                    oldest = shard;
                }
            }
            List<Map<String, AttributeValue>> items = shares.get(oldest).items();
            merged.add(items.get(next[oldest]++));
            head[oldest] = next[oldest] < items.size() ? string(items.get(next[oldest]), Keys.SK) : null;
        }
        return merged;
    }

    /**
     * One Query per shard at once, each for up to {@code part.size()} items (and one more to know
     * whether it has more). With {@code before} (a shard's earlier read, in shard order) only the
     * shards {@code readOn} names are read again, each going on from its last item.
     */
    private static List<Page<Map<String, AttributeValue>>> readShards(
            DynamoDbClient dynamo,
            Partitions partitions,
            List<String> keys,
            String low,
            String high,
            PageRequest part,
            List<Page<Map<String, AttributeValue>>> before,
            boolean[] readOn) {
        Map<String, String> names = new HashMap<>();
        names.put("#partition", partitions.partitionKey());
        String projection = null;
        if (partitions.attributes() != null) {
            StringBuilder read = new StringBuilder();
            for (int i = 0; i < partitions.attributes().size(); i++) {
                // Placeholders, as an attribute's name may be a reserved word (data, type).
                read.append(i == 0 ? "#a" : ", #a").append(i);
                names.put("#a" + i, partitions.attributes().get(i));
            }
            projection = read.toString();
        }
        List<Future<Page<Map<String, AttributeValue>>>> parts = new ArrayList<>();
        for (int shard = 0; shard < keys.size(); shard++) {
            Page<Map<String, AttributeValue>> earlier = before.isEmpty() ? null : before.get(shard);
            if (earlier != null && (!earlier.more() || !readOn[shard])) {
                parts.add(CompletableFuture.completedFuture(earlier));
                continue;
            }
            String shardLow = low;
            String shardHigh = high;
            if (earlier != null) {
                if (part.forward()) {
                    shardLow =
                            adjacent(string(earlier.items().get(earlier.items().size() - 1), Keys.SK), 1);
                } else {
                    shardHigh = adjacent(string(earlier.items().get(0), Keys.SK), -1);
                }
            }
            QueryRequest shardQuery = QueryRequest.builder()
                    .tableName(partitions.table())
                    .indexName(partitions.index())
                    .keyConditionExpression("#partition = :partition AND sk BETWEEN :low AND :high")
                    .projectionExpression(projection)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(
                            Map.of(":partition", s(keys.get(shard)), ":low", s(shardLow), ":high", s(shardHigh)))
                    .build();
            Callable<Page<Map<String, AttributeValue>>> read = () -> {
                Page<Map<String, AttributeValue>> fetched = QueryPages.fetch(dynamo, shardQuery, part, null);
                if (earlier == null) {
                    return fetched;
                }
                List<Map<String, AttributeValue>> items = new ArrayList<>(earlier.items());
                if (part.forward()) {
                    items.addAll(fetched.items());
                } else {
                    items.addAll(0, fetched.items());
                }
                return new Page<>(items, fetched.more());
            };
            // One shard is read on the calling thread: a handoff to a reader would only add to it.
            parts.add(keys.size() == 1 ? completed(read) : SHARD_READERS.submit(read));
        }
        List<Page<Map<String, AttributeValue>>> pages = new ArrayList<>();
        for (Future<Page<Map<String, AttributeValue>>> shardPart : parts) {
            pages.add(await(shardPart));
        }
        return pages;
    }

    private static <T> Future<T> completed(Callable<T> task) {
        try {
            return CompletableFuture.completedFuture(task.call());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Future<T> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            // The store's own failure (e.g. throttling) goes on to the router, which maps it.
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreFailures.unavailable();
        }
    }

    /** The id right after (+1) or before (-1) {@code id} in string order, as a fixed-width UUID. */
    public static String adjacent(String id, int step) {
        BigInteger value = new BigInteger(id.replace("-", ""), 16).add(BigInteger.valueOf(step));
        String hex = value.max(BigInteger.ZERO).toString(16);
        // Zero-padded as %032x would write it, without String.format's locale data on a cold start.
        hex = "0".repeat(Math.max(0, 32 - hex.length())) + hex;
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
