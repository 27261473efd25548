package eduledger.local;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * One benchmark figure, printed as a JSON line: eduledger's value, the raw DynamoDB floor for the
 * same storage work, and their ratio (eduledger / raw).
 */
record Figure(String name, String unit, double eduledger, double raw, int samples) {

    void print() {
        System.out.printf(
                Locale.ROOT,
                "{\"name\": \"%s\", \"unit\": \"%s\", \"eduledger\": %s, \"raw\": %s, \"ratio\": %s, \"samples\": %d}%n",
                name,
                unit,
                number(eduledger),
                number(raw),
                raw == 0 || Double.isNaN(raw) ? "null" : number(eduledger / raw),
                samples);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.3f", value);
    }

    /** Latencies in nanoseconds → the given percentile in milliseconds. */
    static double percentileMillis(long[] nanos, double percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    /**
     * Runs {@code eduledger} and {@code raw} alternately {@code calls} times each, untimed, so that the
     * JIT has compiled both sides' code as a container that has served a few thousand requests has
     * it. The floor is the SDK's call, which eduledger's calls and the seeding run too and which is
     * compiled long before; eduledger's own request path runs only here. A short warm-up leaves that
     * path in the interpreter and the JIT's first tiers while the floor is at its last, and times
     * the JIT, not the function.
     */
    static void warmUp(int calls, Runnable eduledger, Runnable raw) {
        for (int i = 0; i < calls; i++) {
            eduledger.run();
            raw.run();
        }
    }

    /**
     * What the JVM did in the background: the JIT's compile time in ms ({@code -1} where the JVM does
     * not tell) and the collections of every collector, so far ({@link #now}) or over some timed
     * calls ({@link #since}, summed with {@link #plus}). Reported after timed calls, it shows whether
     * they ran on compiled code and whether a collection fell in them: the store lives in this JVM,
     * so its garbage is collected here too.
     */
    record Background(long compilingMillis, long collections) {
        static final Background NONE = new Background(0, 0);

        static Background now() {
            CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
            long compiling = compiler != null && compiler.isCompilationTimeMonitoringSupported()
                    ? compiler.getTotalCompilationTime()
                    : -1;
            long collections = 0;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                collections += Math.max(0, collector.getCollectionCount());
            }
            return new Background(compiling, collections);
        }

        /** What ran from {@code before} (a {@link #now}) to this one. */
        Background since(Background before) {
            return new Background(
                    compilingMillis < 0 || before.compilingMillis < 0 ? -1 : compilingMillis - before.compilingMillis,
                    collections - before.collections);
        }

        Background plus(Background more) {
            return new Background(
                    compilingMillis < 0 || more.compilingMillis < 0 ? -1 : compilingMillis + more.compilingMillis,
                    collections + more.collections);
        }

        /** Says on stderr how long the JIT compiled, and how many collections ran, during {@code name}'s timed calls. */
        void report(String name) {
            if (compilingMillis >= 0) {
                System.err.printf(
                        "bench: %s: the JIT compiled for %d ms during the timed calls%n", name, compilingMillis);
            }
            System.err.printf("bench: %s: %d collections ran during the timed calls%n", name, collections);
        }
    }

    /**
     * Runs {@code eduledger} and {@code raw} alternately, after warm-up, so that drift in the machine
     * (other load, JIT, the store's growth) falls on both sides alike; returns their latencies, and
     * says on stderr what the JVM did in the background while they were timed.
     */
    static long[][] alternate(String name, int warmUp, int samples, Runnable eduledger, Runnable raw) {
        for (int i = 0; i < warmUp; i++) {
            eduledger.run();
            raw.run();
        }
        // The samples start on a collected heap, so that what the store and the warm-up left behind
        // is not collected in one side's call: a pause in one call of hundreds moves a mean by tens
        // of percent. A collection the samples' own garbage brings on still falls on either side.
        System.gc();
        settle();
        Background before = Background.now();
        long[] ours = new long[samples];
        long[] floor = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            eduledger.run();
            long middle = System.nanoTime();
            raw.run();
            floor[i] = System.nanoTime() - middle;
            ours[i] = middle - start;
        }
        Background.now().since(before).report(name);
        return new long[][] {ours, floor};
    }

    /**
     * Waits, up to {@link #SETTLE_LIMIT_MILLIS}, until this JVM is idle: under a tenth of a core
     * over {@link #SETTLE_PROBE_MILLIS} while this thread sleeps. On two cores a compile the
     * warm-up set off (the JIT compiles on threads of its own, for as long as a second or more
     * of CPU) otherwise runs during the timed calls and takes its share from whichever side is
     * being timed; the compile-time counter cannot tell, as it counts a compile only when it ends.
     */
    static void settle() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            return;
        }
        long deadline = System.nanoTime() + SETTLE_LIMIT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            long before = os.getProcessCpuTime();
            try {
                Thread.sleep(SETTLE_PROBE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (os.getProcessCpuTime() - before < SETTLE_PROBE_MILLIS * 100_000L) {
                return;
            }
        }
        System.err.println("bench: the JVM was still busy after " + SETTLE_LIMIT_MILLIS + " ms; timing anyway");
    }

    private static final long SETTLE_PROBE_MILLIS = 100;
    private static final long SETTLE_LIMIT_MILLIS = 10_000;

    static double perSecond(long[] nanos, int itemsPerSample) {
        long total = 0;
        for (long n : nanos) {
            total += n;
        }
        return nanos.length * (double) itemsPerSample / (total / 1e9);
    }
}
