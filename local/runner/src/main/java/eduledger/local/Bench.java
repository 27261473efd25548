package eduledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import eduledger.harness.SamTemplate;
import eduledger.json.Json;
import eduledger.schemas.ActionType;
import eduledger.schemas.AuditSchema;
import eduledger.schemas.JsonSchemas;
import eduledger.schemas.ValidationLevel;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code ./eduledger bench}: what eduledger costs on top of DynamoDB. Each scenario runs through
 * eduledger's handlers and as the minimum raw work that does the same, alternately, after warm-up,
 * against the project's DynamoDB engine on loopback, and prints one JSON line per figure; the
 * {@code engine} section measures that engine alone. Figures, not verdicts: nothing here fails on speed.
 */
final class Bench {
    /**
     * Cold starts per function, each followed by one of the floor: a start moves by a tenth either way
     * with what else the machine does, the median of three moved as much between runs, and the
     * median of seven by up to 0.3 of a ratio whose line is 1.3.
     */
    private static final int COLD_START_SAMPLES = 11;

    private static final int LOAD_REQUESTS = 500;

    private final SamTemplate template;
    private final Path root;
    private final LocalSystem system;

    private Bench(SamTemplate template, Path root, LocalSystem system) {
        this.template = template;
        this.root = root;
        this.system = system;
    }

    /** The sections, in the order they run; {@code ./eduledger bench <section>...} runs only those named. */
    static final List<String> SECTIONS =
            List.of("validation", "engine", "ingest", "list", "stream", "coldstart", "cost", "scale");

    static void run(List<String> only) throws Exception {
        List<String> unknown =
                only.stream().filter(name -> !SECTIONS.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no bench section " + unknown + "; the sections are " + SECTIONS);
        }
        List<String> chosen = only.isEmpty() ? SECTIONS : only;
        long started = System.nanoTime();
        Path templateFile = SamTemplate.locate();
        SamTemplate template = SamTemplate.read(templateFile);
        try (LocalSystem system = LocalSystem.start(template, 0, null)) {
            system.devToken(null);
            Bench bench = new Bench(template, templateFile.getParent(), system);
            timed(chosen, "validation", bench::validation);
            timed(chosen, "engine", () -> print(new EngineBench(system.endpoint(), EngineBench.Sizes.FULL).run()));
            timed(chosen, "ingest", () -> print(new IngestBench(system, IngestBench.Sizes.FULL).run()));
            timed(chosen, "list", () -> print(new ListBench(system, ListBench.Sizes.FULL).run()));
            timed(chosen, "stream", () -> print(new StreamBench(system, StreamBench.Sizes.FULL).run()));
            timed(chosen, "coldstart", bench::coldStarts);
        }
        // On a store of its own, so the integrations that see each roster change are exactly its own.
        timed(chosen, "cost", () -> {
            try (LocalSystem own = LocalSystem.start(template, 0, null)) {
                new CostBench(own, CostBench.Sizes.FULL, templateFile)
                        .run()
                        .forEach(usage -> System.out.println(usage.json()));
            }
        });
        timed(chosen, "scale", () -> {
            try (LocalSystem own = LocalSystem.start(template, 0, null)) {
                System.out.println(new CostBench(own, CostBench.Sizes.SCALE, templateFile).scale());
            }
        });
        System.err.printf(Locale.ROOT, "bench: done in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private interface Section {
        void run() throws Exception;
    }

    /** Runs one section and says on stderr how long it took, so the bench's own cost stays visible. */
    private static void timed(List<String> chosen, String name, Section section) throws Exception {
        if (!chosen.contains(name)) {
            return;
        }
        long started = System.nanoTime();
        section.run();
        System.err.printf(Locale.ROOT, "bench: %s took %.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    private static void print(List<Figure> figures) {
        figures.forEach(Figure::print);
    }

    /** Validation of event data against cached compiled schemas, no I/O: ours against the validator's own call. */
    private void validation() {
        for (int properties : new int[] {10, 50}) {
            JsonSchemas jsonSchemas = new JsonSchemas();
            var schemaJson = Json.object().put("type", "object");
            var props = schemaJson.putObject("properties");
            var instance = Json.object();
            var required = schemaJson.putArray("required");
            for (int i = 0; i < properties; i++) {
                props.putObject("p" + i).put("type", i % 2 == 0 ? "integer" : "string");
                required.add("p" + i);
                if (i % 2 == 0) {
                    instance.put("p" + i, i);
                } else {
                    instance.put("p" + i, "v" + i);
                }
            }
            AuditSchema schema = new AuditSchema(
                    "bench",
                    "bench.action",
                    ActionType.OTHER,
                    ValidationLevel.STRICT,
                    schemaJson,
                    "bench-" + properties,
                    1,
                    Instant.now());
            JsonSchema compiled = jsonSchemas.compiled(schema);
            JsonNode data = instance;
            int batch = 1_000;
            long[][] times = Figure.alternate(
                    "validation." + properties + "props",
                    5,
                    20,
                    () -> {
                        for (int i = 0; i < batch; i++) {
                            if (!jsonSchemas
                                    .validate(jsonSchemas.compiled(schema), data)
                                    .isEmpty()) {
                                throw new IllegalStateException("bench instance must conform");
                            }
                        }
                    },
                    () -> {
                        for (int i = 0; i < batch; i++) {
                            if (!compiled.validate(data).isEmpty()) {
                                throw new IllegalStateException("bench instance must conform");
                            }
                        }
                    });
            new Figure(
                            "validation." + properties + "props.throughput",
                            "events/s",
                            Figure.perSecond(times[0], batch),
                            Figure.perSecond(times[1], batch),
                            times[0].length * batch)
                    .print();
        }
    }

    /**
     * Each function's deployable jar in a fresh JVM, from process start to its first response for a
     * sample event, against a fresh JVM on the same jar that builds a DynamoDB client and does one
     * GetItem. Also the jar's size and the peak RSS after serving more requests.
     */
    private void coldStarts() throws Exception {
        String probeClasses = Path.of(ColdStartProbe.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        boolean jvmWarmed = false;
        for (LocalFunction function : system.functions()) {
            SamTemplate.Function definition = function.definition();
            Path jar = root.resolve(definition.codeUri());
            Optional<Path> event = sampleEvent(definition);
            if (!Files.isRegularFile(jar) || event.isEmpty()) {
                System.err.println(
                        "bench: skipping cold start of " + definition.logicalId() + " (no jar or sample event)");
                continue;
            }
            String classpath = jar + File.pathSeparator + probeClasses;
            Map<String, String> env = system.environment(definition);
            long[] ours = new long[COLD_START_SAMPLES];
            long[] floor = new long[COLD_START_SAMPLES];
            long[] oursCpu = new long[COLD_START_SAMPLES];
            long[] floorCpu = new long[COLD_START_SAMPLES];
            long oursRss = 0;
            long floorRss = 0;
            // The first sample must not pay for reading the jar from disk; a first JVM also brings
            // the JDK's own files into the cache for every function after it.
            if (!jvmWarmed) {
                probe(classpath, env, definition.handlerClass(), event.get().toString(), 0);
                jvmWarmed = true;
            }
            boolean stream = !definition.streamSources().isEmpty();
            try (var in = Files.newInputStream(jar)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            for (int i = 0; i < COLD_START_SAMPLES; i++) {
                // The store answering the probes lives in this JVM: its compiles and collections,
                // left over from the sections before, must not fall in one side's start.
                Figure.settle();
                Path delivered = stream ? newChanges(event.get()) : event.get();
                Probe handler = probe(
                        classpath, env, definition.handlerClass(), delivered.toString(), i == 0 ? LOAD_REQUESTS : 0);
                if (stream) {
                    Files.delete(delivered);
                }
                Probe raw = probe(classpath, env, "raw", env.get("CONTROL_TABLE"), 0);
                ours[i] = handler.firstResponseNanos();
                floor[i] = raw.firstResponseNanos();
                oursCpu[i] = handler.cpuNanos();
                floorCpu[i] = raw.cpuNanos();
                oursRss = Math.max(oursRss, handler.peakRssKb());
                floorRss = Math.max(floorRss, raw.peakRssKb());
            }
            String name = definition.logicalId();
            new Figure(
                            "coldstart." + name,
                            "ms",
                            Figure.percentileMillis(ours, 50),
                            Figure.percentileMillis(floor, 50),
                            COLD_START_SAMPLES)
                    .print();
            new Figure(
                            "coldstart_cpu." + name,
                            "ms",
                            Figure.percentileMillis(oursCpu, 50),
                            Figure.percentileMillis(floorCpu, 50),
                            COLD_START_SAMPLES)
                    .print();
            new Figure("rss." + name, "MB", oursRss / 1024.0, floorRss / 1024.0, COLD_START_SAMPLES).print();
            new Figure("jar." + name, "MB", Files.size(jar) / 1_048_576.0, Double.NaN, 1).print();
        }
    }

    /**
     * The sample stream records as changes the store has not seen: the objects they change renamed
     * to ids no probe used before, and every revision in their images moved past any delivered
     * before. A cold start's first batch holds changes the feeds have not judged yet; handed the
     * same records again, the stream would take the path of a redelivery, or of an object created
     * again after its delete, instead.
     */
    private static Path newChanges(Path sample) throws IOException {
        long base = System.currentTimeMillis();
        String text = Files.readString(sample);
        Set<String> objects = new TreeSet<>();
        for (JsonNode record : Json.readStored(text).path("Records")) {
            for (String image : List.of("NewImage", "OldImage")) {
                String id =
                        record.path("dynamodb").path(image).path("id").path("S").asText("");
                if (!id.isEmpty()) {
                    objects.add(id);
                }
            }
        }
        for (String id : objects) {
            text = text.replace(id, id + "-" + base);
        }
        JsonNode batch = Json.readStored(text);
        for (JsonNode record : batch.path("Records")) {
            for (String image : List.of("NewImage", "OldImage")) {
                JsonNode revision = record.path("dynamodb").path(image).path("revision");
                if (revision.isObject()) {
                    ((ObjectNode) revision)
                            .put("N", Long.toString(base + revision.path("N").asLong()));
                }
            }
        }
        Path delivered = Files.createTempFile("eduledger-stream-records", ".json");
        Files.writeString(delivered, Json.write(batch));
        return delivered;
    }

    /** @param cpuNanos the probe's CPU time up to its first response, which other load on the machine inflates far less than wall time */
    private record Probe(long firstResponseNanos, long cpuNanos, long peakRssKb) {}

    /** The Lambda java21 runtime's launch flags, for a 1024 MB function. */
    private static final List<String> LAMBDA_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx870m");

    private static Probe probe(String classpath, Map<String, String> env, String handler, String argument, int load)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(LAMBDA_JVM_FLAGS);
        // Extra flags for the probes alone, e.g. -Xlog:class+load to see what a cold start loads.
        String extra = System.getenv("EDULEDGER_PROBE_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(
                List.of("-cp", classpath, ColdStartProbe.class.getName(), handler, argument, Integer.toString(load)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        builder.environment().put("AWS_REGION", "us-east-1");
        long start = System.nanoTime();
        Process process = builder.start();
        long first = -1;
        long cpu = -1;
        long rss = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("FIRST") && first < 0) {
                    first = System.nanoTime() - start;
                    int at = line.indexOf(" CPU_MS ");
                    cpu = at < 0 ? -1 : Long.parseLong(line.substring(at + 8).trim()) * 1_000_000;
                } else if (line.startsWith("RSS_KB ")) {
                    rss = Long.parseLong(line.substring(7).trim());
                }
            }
        }
        if (process.waitFor() != 0 || first < 0) {
            throw new IllegalStateException(
                    "cold start probe of " + handler + " failed (exit " + process.exitValue() + ")");
        }
        return new Probe(first, cpu, rss);
    }

    /** A sample event of the function: a read where there is one, as reads can be replayed. */
    private Optional<Path> sampleEvent(SamTemplate.Function function) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("events"))) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode event = Json.readStored(Files.readString(file));
                boolean routeOfFunction = function.routes().stream()
                        .anyMatch(
                                r -> r.routeKey().equals(event.path("routeKey").asText()));
                boolean streamOfFunction = !function.streamSources().isEmpty() && event.has("Records");
                if (routeOfFunction || streamOfFunction) {
                    candidates.add(file);
                }
            }
        }
        return candidates.stream()
                .filter(p -> event(p).startsWith("GET "))
                .findFirst()
                .or(() -> candidates.stream().findFirst());
    }

    private static String event(Path file) {
        try {
            return Json.readStored(Files.readString(file)).path("routeKey").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
