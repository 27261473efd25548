package eduledger.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.events.EventIds;
import eduledger.lambda.Services;
import eduledger.testing.Concurrently;
import eduledger.testing.PassThroughDynamoDb;
import eduledger.testing.SettableClock;
import eduledger.testing.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Layouts through time, and how they grow in the control table while several containers use them. */
class ShardLayoutsTest {
    private static final ShardLayouts.Family FAMILY =
            new ShardLayouts.Family("test", Duration.ofMinutes(1), 8, (tenant, shard) -> tenant + "#" + shard);

    private final Services services = TestServices.shared();
    private final String tenant = "TEST#" + UUID.randomUUID();

    private ShardLayouts container(Clock clock) {
        return new ShardLayouts(services.dynamo(), services.tables(), clock);
    }

    @Test
    void anIdIsPlacedByTheEpochItsTimeFallsIn() {
        Instant t1 = Instant.parse("2026-01-01T00:00:00Z");
        Instant t2 = t1.plusSeconds(60);
        ShardLayout layout = ShardLayout.SINGLE.then(t1, 2).then(t2, 8);
        assertEquals(layout, ShardLayout.decode(layout.encode()));

        Set<Integer> early = new HashSet<>();
        Set<Integer> middle = new HashSet<>();
        Set<Integer> late = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            early.add(layout.shard(EventIds.next(t1.minusMillis(1 + i))));
            middle.add(layout.shard(EventIds.next(t1.plusMillis(i))));
            late.add(layout.shard(EventIds.next(t2.plusMillis(i))));
        }
        assertEquals(Set.of(0), early);
        assertEquals(Set.of(0, 1), middle);
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), late);

        // A range across both boundaries is cut where the epochs start, with nothing between the pieces.
        List<ShardLayout.Span> spans =
                layout.spans(EventIds.lowerBound(t1.minusSeconds(5)), EventIds.lowerBound(t2.plusSeconds(5)));
        assertEquals(3, spans.size());
        assertEquals(
                List.of(1, 2, 8), spans.stream().map(ShardLayout.Span::shards).toList());
        assertEquals(EventIds.lowerBound(t1), spans.get(1).low());
        assertEquals(ShardedPages.adjacent(spans.get(1).low(), -1), spans.get(0).high());
        assertEquals(ShardedPages.adjacent(spans.get(2).low(), -1), spans.get(1).high());
        // A range inside one epoch is that epoch only.
        assertEquals(
                List.of(new ShardLayout.Span(
                        EventIds.lowerBound(t2.plusSeconds(1)), EventIds.lowerBound(t2.plusSeconds(2)), 8)),
                layout.spans(EventIds.lowerBound(t2.plusSeconds(1)), EventIds.lowerBound(t2.plusSeconds(2))));

        // A later epoch may have fewer shards, never the same count, and never start at or before the last.
        ShardLayout halved = layout.then(t2.plusSeconds(60), 4);
        Set<Integer> after = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            after.add(halved.shard(EventIds.next(t2.plusSeconds(60).plusMillis(i))));
        }
        assertEquals(Set.of(0, 1, 2, 3), after);
        assertEquals(
                List.of(8, 4),
                halved.spans(EventIds.lowerBound(t2), EventIds.lowerBound(t2.plusSeconds(90))).stream()
                        .map(ShardLayout.Span::shards)
                        .toList());
        assertThrows(IllegalArgumentException.class, () -> layout.then(t2.plusSeconds(1), 8));
        assertThrows(IllegalArgumentException.class, () -> layout.then(t2, 16));
    }

    @Test
    void severalTenantsAreReadInOneCallAndAnsweredFromTheCacheUntilItsRefresh() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        String grown = "TEST#" + UUID.randomUUID();
        String replaced = "TEST#" + UUID.randomUUID();
        String none = "TEST#" + UUID.randomUUID();
        ShardLayout set = ShardLayout.SINGLE.then(clock.instant().minusSeconds(3_600), 4);
        container(clock).replace(replaced, set);
        ShardLayout twice = container(clock).grow(FAMILY, grown);
        AtomicInteger batchReads = new AtomicInteger();
        AtomicInteger gets = new AtomicInteger();
        DynamoDbClient counted = new PassThroughDynamoDb(services.dynamo()) {
            @Override
            public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
                batchReads.incrementAndGet();
                return super.batchGetItem(request);
            }

            @Override
            public GetItemResponse getItem(GetItemRequest request) {
                gets.incrementAndGet();
                return super.getItem(request);
            }
        };
        ShardLayouts layouts = new ShardLayouts(counted, services.tables(), clock);
        Instant upTo = clock.instant().plusSeconds(2);

        Map<String, ShardLayout> read = layouts.layouts(FAMILY, List.of(grown, replaced, none, none), upTo);

        assertEquals(Map.of(grown, twice, replaced, set, none, ShardLayout.SINGLE), read);
        assertEquals(1, batchReads.get());
        assertEquals(0, gets.get());
        for (String tenant : List.of(grown, replaced, none)) {
            assertEquals(read.get(tenant), layouts.layout(FAMILY, tenant, upTo), "cached as the lone read caches");
        }
        assertEquals(0, gets.get());

        // After the refresh only what is stale is read again; one stale tenant is one GetItem.
        clock.advance(ShardLayouts.REFRESH);
        layouts.layout(FAMILY, grown, clock.instant());
        assertEquals(1, gets.get());
        assertEquals(read, layouts.layouts(FAMILY, List.of(grown, replaced, none), clock.instant()));
        assertEquals(2, batchReads.get());
        assertEquals(1, gets.get());
        clock.advance(ShardLayouts.REFRESH);
        layouts.layout(FAMILY, grown, clock.instant());
        layouts.layout(FAMILY, replaced, clock.instant());
        assertEquals(read, layouts.layouts(FAMILY, List.of(grown, replaced, none), clock.instant()));
        assertEquals(4, gets.get());
        assertEquals(2, batchReads.get());
    }

    @Test
    void anIdFurtherAheadThanTheLeadAllowsIsRefusedOnEitherPath() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ShardLayouts layouts = container(clock);
        String other = "TEST#" + UUID.randomUUID();
        // A layout read now is certain up to the lead less the uncertainty, and no further.
        Instant lastKnown = clock.instant()
                .plus(FAMILY.lead())
                .minus(ShardLayouts.UNCERTAINTY)
                .minusMillis(1);
        Instant beyond = lastKnown.plusMillis(1);

        assertEquals(ShardLayout.SINGLE, layouts.layout(FAMILY, tenant, lastKnown));
        assertEquals(
                Map.of(tenant, ShardLayout.SINGLE, other, ShardLayout.SINGLE),
                layouts.layouts(FAMILY, List.of(tenant, other), lastKnown));
        assertThrows(IllegalStateException.class, () -> layouts.layout(FAMILY, tenant, beyond));
        assertThrows(IllegalStateException.class, () -> layouts.layouts(FAMILY, List.of(tenant, other), beyond));
        // A fresh container, whose cache holds nothing, refuses it as well.
        assertThrows(
                IllegalStateException.class, () -> container(clock).layouts(FAMILY, List.of(tenant, other), beyond));
    }

    @Test
    void aGrowthStartsALeadAheadAndDoublesUpToTheMaximum() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ShardLayouts writer = container(clock);
        assertEquals(ShardLayout.SINGLE, writer.layout(FAMILY, tenant, clock.instant()));

        Instant decided = clock.instant();
        ShardLayout grown = writer.grow(FAMILY, tenant);
        assertEquals(new ShardLayout.Epoch(decided.plus(FAMILY.lead()), 2), grown.last());
        // Pending: asking again before it begins changes nothing.
        clock.advance(Duration.ofSeconds(30));
        assertEquals(grown, writer.grow(FAMILY, tenant));

        clock.advance(FAMILY.lead());
        assertEquals(4, writer.grow(FAMILY, tenant).last().shards());
        clock.advance(FAMILY.lead());
        assertEquals(8, writer.grow(FAMILY, tenant).last().shards());
        clock.advance(FAMILY.lead());
        ShardLayout largest = writer.grow(FAMILY, tenant);
        assertEquals(8, largest.last().shards());
        assertEquals(4, largest.epochs().size());
        assertEquals(largest, writer.current(tenant));
    }

    @Test
    void aContainerThatCachedTheOldLayoutAgreesWithTheNewOneUntilItReadsAgain() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        ShardLayouts reader = container(clock);
        ShardLayouts writer = container(clock);
        ShardLayout cached = reader.layout(FAMILY, tenant, clock.instant());

        clock.advance(Duration.ofSeconds(5));
        ShardLayout grown = writer.grow(FAMILY, tenant);
        assertNotEquals(cached, grown);

        // Within its refresh the reader keeps its copy, and for every time it may be asked about then,
        // its copy and the stored layout place ids alike.
        Instant horizon = clock.instant().plus(ShardLayouts.REFRESH);
        ShardLayout stillCached = reader.layout(FAMILY, tenant, horizon);
        assertEquals(cached, stillCached);
        for (Instant t = clock.instant().minusSeconds(60); t.isBefore(horizon); t = t.plusMillis(250)) {
            assertEquals(grown.shardsAt(t), stillCached.shardsAt(t), "at " + t);
        }
        // Asked about a time past what its copy is sure of, it reads again rather than guess.
        Instant beyondCopy = clock.instant()
                .plus(FAMILY.lead())
                .minus(ShardLayouts.UNCERTAINTY)
                .minusMillis(1);
        assertEquals(grown, reader.layout(FAMILY, tenant, beyondCopy));
        // And after the refresh it has the new layout for any time.
        ShardLayouts later = container(clock);
        later.layout(FAMILY, tenant, clock.instant());
        clock.advance(ShardLayouts.REFRESH);
        assertEquals(grown, later.layout(FAMILY, tenant, clock.instant()));
    }

    @Test
    void containersGrowingAtOnceAddOneEpoch() throws Exception {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<ShardLayout> outcomes =
                Concurrently.run(6, index -> container(clock).grow(FAMILY, tenant));
        ShardLayout stored = container(clock).current(tenant);
        assertEquals(2, stored.epochs().size(), stored.toString());
        assertEquals(2, stored.last().shards());
        assertTrue(outcomes.stream().allMatch(stored::equals), outcomes.toString());
    }

    /** A container whose Queries are counted in {@code queries}. */
    private ShardLayouts counting(Clock clock, AtomicInteger queries) {
        DynamoDbClient counted = new PassThroughDynamoDb(services.dynamo()) {
            @Override
            public QueryResponse query(QueryRequest request) {
                queries.incrementAndGet();
                return super.query(request);
            }
        };
        return new ShardLayouts(counted, services.tables(), clock);
    }

    /** {@code count} items in the first shard of the tenant's busiest list, ids from the last four seconds. */
    private void writeRecent(String tenant, Instant now, int count) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Attributes.key(FAMILY.busiest().of(tenant, 0), EventIds.next(now.minusMillis(i % 4_000))));
        }
        BatchWrites.putAll(services.dynamo(), services.tables().events(), items);
    }

    @Test
    void aTenantThatHasSlowedDownIsHalvedStepByStepOnceEachEpochHasLasted() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        container(clock).replace(tenant, ShardLayout.of(8));
        AtomicInteger queries = new AtomicInteger();
        ShardLayouts writer = counting(clock, queries);
        // A layout set outright is left alone for its first hour, however old its last epoch.
        writer.layout(FAMILY, tenant, clock.instant());
        writer.written(FAMILY, tenant);
        assertEquals(0, queries.get());
        clock.advance(ShardLayouts.SETTLED);
        writer.layout(FAMILY, tenant, clock.instant());

        // Nothing written in the last seconds: half the shards, from a lead ahead.
        Instant decided = clock.instant();
        writer.written(FAMILY, tenant);
        assertEquals(1, queries.get());
        ShardLayout halved = writer.current(tenant);
        assertEquals(
                List.of(new ShardLayout.Epoch(decided.plus(FAMILY.lead()), 4)),
                halved.epochs().subList(1, 2));
        // Before the new epoch has lasted as long, nothing is counted and nothing changes.
        clock.advance(ShardLayouts.QUIET_CHECK);
        writer.layout(FAMILY, tenant, clock.instant());
        writer.written(FAMILY, tenant);
        assertEquals(1, queries.get());
        assertEquals(halved, writer.current(tenant));

        // Still quiet once it has: 2, then 1; one shard is left alone.
        clock.advance(FAMILY.lead().plus(ShardLayouts.SETTLED));
        writer.layout(FAMILY, tenant, clock.instant());
        writer.written(FAMILY, tenant);
        assertEquals(2, writer.current(tenant).last().shards());
        clock.advance(FAMILY.lead().plus(ShardLayouts.SETTLED));
        writer.layout(FAMILY, tenant, clock.instant());
        writer.written(FAMILY, tenant);
        ShardLayout single = writer.current(tenant);
        assertEquals(
                List.of(8, 4, 2, 1),
                single.epochs().stream().map(ShardLayout.Epoch::shards).toList());
        clock.advance(FAMILY.lead().plus(ShardLayouts.SETTLED));
        writer.layout(FAMILY, tenant, clock.instant());
        writer.written(FAMILY, tenant);
        assertEquals(3, queries.get());
        assertEquals(single, writer.current(tenant));
        // Throttled again, it grows from where it is.
        assertEquals(2, writer.grow(FAMILY, tenant).last().shards());
    }

    @Test
    void aTenantStillWrittenFastKeepsItsShardsAndOneJustUnderTheLineIsHalved() {
        SettableClock clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        String busy = tenant;
        String quiet = "TEST#" + UUID.randomUUID();
        ShardLayout eight = ShardLayout.of(8);
        container(clock).replace(busy, eight);
        container(clock).replace(quiet, eight);
        clock.advance(ShardLayouts.SETTLED);
        writeRecent(busy, clock.instant(), ShardLayouts.QUIET_ITEMS + 1);
        writeRecent(quiet, clock.instant(), ShardLayouts.QUIET_ITEMS);
        // Items of another shard, or from before the counted stretch, are not counted.
        BatchWrites.putAll(
                services.dynamo(),
                services.tables().events(),
                List.of(
                        Attributes.key(FAMILY.busiest().of(quiet, 1), EventIds.next(clock.instant())),
                        Attributes.key(
                                FAMILY.busiest().of(quiet, 0),
                                EventIds.next(clock.instant()
                                        .minus(ShardLayouts.QUIET_WINDOW)
                                        .minusSeconds(1)))));

        ShardLayouts writer = container(clock);
        writer.layouts(FAMILY, List.of(busy, quiet), clock.instant());
        writer.written(FAMILY, busy);
        writer.written(FAMILY, quiet);
        assertEquals(eight, writer.current(busy));
        assertEquals(4, writer.current(quiet).last().shards());
        // The busy one is counted again only a check later.
        clock.advance(ShardLayouts.QUIET_CHECK.minusSeconds(1));
        AtomicInteger queries = new AtomicInteger();
        ShardLayouts again = counting(clock, queries);
        again.layout(FAMILY, busy, clock.instant());
        again.written(FAMILY, busy);
        again.written(FAMILY, busy);
        assertEquals(1, queries.get());
    }
}
