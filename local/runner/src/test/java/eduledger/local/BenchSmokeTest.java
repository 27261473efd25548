package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eduledger.harness.SamTemplate;
import eduledger.harness.TestStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark scenario at a tiny size, so a change that breaks one is caught by the build. It
 * checks that the figures exist and are positive, never how fast anything is.
 */
class BenchSmokeTest {
    private static LocalSystem system;

    @BeforeAll
    static void start() {
        system = LocalSystem.attach(
                SamTemplate.read(SamTemplate.locate()), TestStore.get().endpoint());
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void ingestPrintsSingleAndBatchFigures() {
        List<Figure> figures = new IngestBench(system, new IngestBench.Sizes(8, 2, 2, 5, 5, 4, 1, 3)).run();
        assertNames(
                List.of(
                        "ingest.single.p50",
                        "ingest.single.p99",
                        "ingest.single.throughput",
                        "ingest.single.cpu",
                        "ingest.batch.throughput",
                        "ingest.batch.p50",
                        "ingest.batch.p99"),
                figures);
    }

    @Test
    void listPrintsFiguresOfBothFeedsWithAndWithoutAFilterAtOnceAndAtAStoreLatency() throws Exception {
        // An engine of its own, in-process, as the bench runs it: the second timing slows its answers.
        List<Figure> figures;
        try (LocalSystem own = LocalSystem.start(SamTemplate.read(SamTemplate.locate()), 0, null)) {
            figures = new ListBench(own, new ListBench.Sizes(2_000, 1_000, 2_000, 10, 16, 2, 5)).run();
        }
        List<String> variants = List.of(
                "list.audit",
                "list.audit.action",
                "list.graph",
                "list.graph.type",
                "list.audit.8shards",
                "list.audit.8shards.action",
                "list.graph.8shards",
                "list.graph.8shards.type");
        List<String> names = new ArrayList<>();
        for (String suffix : List.of("", ".at2ms")) {
            for (String variant : variants) {
                names.add(variant + suffix + ".p50");
                names.add(variant + suffix + ".p99");
            }
        }
        assertNames(names, figures);
    }

    @Test
    void streamPrintsItsThroughput() {
        List<Figure> figures = new StreamBench(system, StreamBench.Sizes.SMOKE).run();
        assertNames(List.of("stream.throughput"), figures);
    }

    @Test
    void enginePrintsLatenciesAndThroughputOfEachLoad() throws Exception {
        List<Figure> figures = new EngineBench(system.endpoint(), EngineBench.Sizes.SMOKE).run();
        List<String> expected = new ArrayList<>();
        for (String load : List.of("put", "get", "query100", "transaction10", "query100x8")) {
            for (String figure : List.of("p50", "p99", "throughput")) {
                expected.add("engine." + load + "." + figure);
            }
        }
        assertEquals(expected, figures.stream().map(Figure::name).toList());
        for (Figure figure : figures) {
            assertTrue(figure.eduledger() > 0 && figure.samples() > 0, figure.toString());
        }
    }

    @Test
    void costMetersEveryScenarioOnAStoreOfItsOwn() {
        try (LocalSystem own = LocalSystem.start(SamTemplate.read(SamTemplate.locate()), 0, null)) {
            List<CostBench.Usage> usages = new CostBench(own, CostBench.Sizes.SMOKE, SamTemplate.locate()).run();
            assertEquals(
                    List.of(
                            "cost.audit_events.single",
                            "cost.audit_events.batch100",
                            "cost.audit_events.list100",
                            "cost.audit_events.list100.action",
                            "cost.roster_changes.fanout2"),
                    usages.stream().map(CostBench.Usage::name).toList());
            for (CostBench.Usage usage : usages) {
                if (usage.name().contains(".list")) {
                    // Reading back every event written (the warm-up's too), unfiltered or by their one
                    // action alike, and writing next to nothing.
                    assertTrue(
                            usage.units()
                                    >= usages.get(0).units() + usages.get(1).units(),
                            usage.json());
                    assertEquals(usages.get(2).units(), usage.units(), usage.json());
                    assertTrue(usage.store().readUnits() > 0, usage.json());
                    assertTrue(usage.store().writeUnits() < usage.units(), usage.json());
                    continue;
                }
                // Every event or change is stored as more than one item, each write at least one unit.
                assertTrue(usage.store().items() > usage.units(), usage.json());
                assertTrue(usage.store().writeUnits() >= usage.store().items(), usage.json());
                assertTrue(usage.invocations() > 0 && usage.billedMillis() > 0, usage.json());
            }
        }
    }

    private static void assertNames(List<String> expected, List<Figure> figures) {
        assertEquals(expected, figures.stream().map(Figure::name).toList());
        for (Figure figure : figures) {
            assertTrue(figure.eduledger() > 0 && figure.raw() > 0 && figure.samples() > 0, figure.toString());
        }
    }
}
