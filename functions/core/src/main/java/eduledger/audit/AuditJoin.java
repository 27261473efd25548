package eduledger.audit;

import static eduledger.storage.Attributes.string;

import eduledger.errors.ServiceException;
import eduledger.events.EventIds;
import eduledger.paging.Page;
import eduledger.paging.PageRequest;
import eduledger.storage.Keys;
import eduledger.storage.ShardLayout;
import eduledger.storage.ShardLayouts;
import eduledger.storage.ShardedPages;
import eduledger.storage.Tables;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A page of a scope's audit list under several filters: the events in every one of their lookup
 * lists ({@link AuditKeys}), found by a leapfrog join over those lists rather than by reading one
 * and dropping what the others lack.
 *
 * <p>Each list is read in the page's id order (descending for {@code $first}/{@code $after},
 * ascending for {@code $last}/{@code $before}) in chunks, through {@link ShardedPages} as a list of
 * one filter is. A candidate id goes round the lists: each is moved to its first id at or beyond
 * the candidate (from its chunk in memory, or with a new chunk read from there, the candidate as the
 * key condition's bound); a list whose first such id is further on makes that id the candidate, and
 * once every list holds the candidate it is a match. It ends when the page has one match more than
 * it shows (so {@code $next} is exact), or a list ends. Then BatchGetItem reads the matches'
 * bodies; a match whose event is missing (a write that stopped after its lookups) is dropped and the
 * walk goes on from where it stopped.
 *
 * <p>The work of one page is bounded: once it has made {@link Budget#listReads} list reads or read
 * {@link Budget#ids} ids, it starts no further read, and the page ends with the matches found so
 * far, a {@code $next} that goes on from the last id it decided (so following {@code $next} still
 * yields every match exactly once) and a {@link #PARTIAL_PAGE} warning. A read already begun
 * finishes. A page always decides at least one
 * id before the budget applies, so paging always advances.
 */
public final class AuditJoin {
    /** The warning code of a page that stopped because its budget was spent. */
    public static final String PARTIAL_PAGE = "PARTIAL_PAGE";

    /**
     * What one page may spend: reads of a list (each one Query per shard of the layout's epochs it
     * reaches, sent at once, so a read costs one round trip however the list is spread), and ids read.
     */
    public record Budget(int listReads, int ids) {
        public static final Budget DEFAULT = new Budget(64, 10_000);
    }

    /**
     * A page of matches, newest first, as {@link AuditEventStore#list} gives one; {@code resumeAfter}
     * is set when the budget ran out first: the id the next page starts after.
     */
    public record Joined(Page<AuditEvent> page, String resumeAfter) {
        public boolean partial() {
            return resumeAfter != null;
        }
    }

    /** How many of the last decided ids a partial page may anchor its {@code $next} on. */
    static final int DECIDED_TRAIL = 8;

    /** The largest chunk one read of a list asks for: key-only items, about 100 KB. */
    static final int MAX_CHUNK = 1_000;
    /** The smallest, so that a list dense around the candidate is not read a few ids at a time. */
    static final int MIN_CHUNK = 32;

    private final AuditEventStore store;
    private final DynamoDbClient dynamo;
    private final Tables tables;
    private final Clock clock;
    private final Duration retention;
    private final ShardLayouts layouts;
    private final Budget budget;

    public AuditJoin(
            AuditEventStore store,
            DynamoDbClient dynamo,
            Tables tables,
            Clock clock,
            Duration retention,
            ShardLayouts layouts,
            Budget budget) {
        this.store = store;
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
        this.retention = retention;
        this.layouts = layouts;
        this.budget = budget;
    }

    /** One page of the events in every list of {@code query}; ranges, anchors and order as {@link AuditEventStore#list}. */
    public Joined list(String integrationId, AuditScope scope, AuditQuery query, PageRequest page) {
        String low = EventIds.lowerBound(clock.instant().minus(retention));
        String high = ShardedPages.HIGHEST_ID;
        if (query.start() != null) {
            low = max(low, EventIds.lowerBound(query.start()));
        }
        if (query.end() != null) {
            high = ShardedPages.adjacent(EventIds.lowerBound(query.end()), -1);
        }
        // Newest first is descending ids: a page forward in the list goes down the ids.
        boolean ascending = !page.forward();
        if (page.anchor() != null) {
            if (store.find(integrationId, page.anchor()).isEmpty()) {
                throw ServiceException.notFound(
                        "UNKNOWN_CURSOR",
                        "The paging anchor " + page.anchor()
                                + " names no event of this integration within the retention period.");
            }
            String anchor = page.anchor().toLowerCase();
            if (ascending) {
                low = max(low, ShardedPages.adjacent(anchor, 1));
            } else {
                high = min(high, ShardedPages.adjacent(anchor, -1));
            }
        }
        if (low.compareTo(high) > 0) {
            return new Joined(new Page<>(List.of(), false), null);
        }
        ShardLayout layout = layouts.layout(
                AuditKeys.LIST_LAYOUT,
                AuditKeys.listLayoutTenant(integrationId, scope),
                clock.instant().plus(EventSubmission.MAX_CLOCK_SKEW));
        Walk walk = new Walk(low, high, ascending, page.size());
        List<Walk.Cursor> lists = new ArrayList<>();
        for (String dimension : query.dimensions()) {
            lists.add(walk.new Cursor(new ShardedPages.Partitions(
                            tables.events(),
                            null,
                            Keys.PK,
                            layout,
                            shards -> IntStream.range(0, shards)
                                    .mapToObj(shard -> AuditKeys.auditLookup(integrationId, scope, shard, dimension))
                                    .toList())
                    .reading(List.of(Keys.SK))));
        }
        // A match whose event is missing (a write that stopped after its lookups, never
        // acknowledged) is no match: the walk goes on until the page has enough with events.
        Map<String, AuditEvent> events = new HashMap<>();
        while (true) {
            walk.run(lists);
            List<String> unread =
                    walk.matches.stream().filter(id -> !events.containsKey(id)).toList();
            events.putAll(store.findAll(integrationId, unread));
            walk.matches.removeIf(id -> !events.containsKey(id));
            if (walk.matches.size() > page.size() || walk.ended || walk.stopped) {
                break;
            }
        }

        List<String> shown = walk.matches.subList(0, Math.min(page.size(), walk.matches.size()));
        boolean more = walk.matches.size() > page.size() || !walk.ended;
        String resumeAfter = null;
        if (!walk.ended && shown.size() < page.size()) {
            // The next page is anchored on an event a later request accepts: the furthest decided id
            // whose event exists, else the last match, else where this page began.
            List<String> trail = new ArrayList<>(walk.decided);
            events.putAll(store.findAll(
                    integrationId,
                    trail.stream().filter(id -> !events.containsKey(id)).toList()));
            resumeAfter = shown.isEmpty() ? page.anchor() : shown.get(shown.size() - 1);
            for (String id : trail) {
                if (events.containsKey(id) && (shown.isEmpty() || walk.before(shown.get(shown.size() - 1), id))) {
                    resumeAfter = id;
                }
            }
        }
        List<AuditEvent> newestFirst = new ArrayList<>();
        for (String id : shown) {
            AuditEvent event = events.get(id);
            // A lookup item without its event is one whose write did not finish; it was never acknowledged.
            if (event != null) {
                newestFirst.add(event);
            }
        }
        if (ascending) {
            Collections.reverse(newestFirst);
        }
        return new Joined(new Page<>(newestFirst, more), resumeAfter);
    }

    /** The state of one page's join: its range, direction, budget and what it found. */
    private final class Walk {
        final String low;
        final String high;
        final boolean ascending;
        final int size;
        final List<String> matches = new ArrayList<>();
        int idsRead;
        int listReads;
        /** True when a list ran out (or the range did): no match lies beyond the last one found. */
        boolean ended;
        /** The furthest id known to be in a list and decided (matched or not), or null. */
        String lastDecided;
        /** The last few such ids, oldest first, of which the next page's anchor is the furthest with an event. */
        final Deque<String> decided = new ArrayDeque<>();

        /** True when the budget stopped it before either of those. */
        boolean stopped;
        /** Where the walk stands: the candidate id, whether a list holds it, how many agree, the list asked next. */
        String candidate;

        boolean candidateListed;
        int agreed;
        int next;

        Walk(String low, String high, boolean ascending, int size) {
            this.low = low;
            this.high = high;
            this.ascending = ascending;
            this.size = size;
            this.candidate = ascending ? low : high;
        }

        /** Goes on from where it stopped until one match more than the page holds, the end of a list, or the budget. */
        void run(List<Cursor> lists) {
            while (true) {
                Cursor list = lists.get(next);
                if (!list.covers(candidate) && lastDecided != null && spent()) {
                    stopped = true;
                    return;
                }
                String found = list.seek(candidate);
                if (found == null) {
                    ended = true;
                    return;
                }
                if (found.equals(candidate)) {
                    agreed++;
                } else {
                    if (candidateListed) {
                        // The list has nothing from the candidate up to what it holds next.
                        decide(candidate);
                    }
                    candidate = found;
                    candidateListed = true;
                    agreed = 1;
                }
                next = (next + 1) % lists.size();
                if (agreed == lists.size()) {
                    matches.add(candidate);
                    decide(candidate);
                    if (candidate.equals(ascending ? high : low)) {
                        ended = true;
                        return;
                    }
                    candidate = ShardedPages.adjacent(candidate, ascending ? 1 : -1);
                    candidateListed = false;
                    agreed = 0;
                    if (matches.size() > size) {
                        return;
                    }
                }
            }
        }

        void decide(String id) {
            lastDecided = id;
            decided.addLast(id);
            if (decided.size() > DECIDED_TRAIL) {
                decided.removeFirst();
            }
        }

        boolean spent() {
            return listReads >= budget.listReads() || idsRead >= budget.ids();
        }

        /** Whether {@code a} comes before {@code b} in the page's id order. */
        boolean before(String a, String b) {
            return ascending ? a.compareTo(b) < 0 : a.compareTo(b) > 0;
        }

        /** One lookup list, read in the walk's order from wherever the candidate has got to. */
        final class Cursor {
            private final ShardedPages.Partitions partitions;
            /** Ids read and not yet passed, in the walk's order. */
            private final Deque<String> chunk = new ArrayDeque<>();

            private boolean read;
            /** Whether the list holds more beyond the chunk. */
            private boolean more;

            Cursor(ShardedPages.Partitions partitions) {
                this.partitions = partitions;
            }

            /** Whether the list can be moved to {@code target} without reading it. */
            boolean covers(String target) {
                if (!read) {
                    return false;
                }
                while (!chunk.isEmpty() && before(chunk.peekFirst(), target)) {
                    chunk.pollFirst();
                }
                return !chunk.isEmpty() || !more;
            }

            /** The list's first id at or beyond {@code target} in the walk's order, or null when it has none. */
            String seek(String target) {
                if (!covers(target)) {
                    int chunkSize = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, size + 1 - matches.size()));
                    listReads++;
                    Page<Map<String, AttributeValue>> ids = ShardedPages.read(
                            dynamo,
                            partitions,
                            ascending ? target : low,
                            ascending ? high : target,
                            new PageRequest(chunkSize, ascending, null));
                    chunk.clear();
                    List<Map<String, AttributeValue>> items = new ArrayList<>(ids.items());
                    if (!ascending) {
                        Collections.reverse(items);
                    }
                    items.forEach(item -> chunk.addLast(string(item, Keys.SK)));
                    idsRead += items.size();
                    more = ids.more();
                    read = true;
                }
                return chunk.peekFirst();
            }
        }
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
