package eduledger.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eduledger.harness.SamTemplate;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shell block of README.md and docs/*.md runs as pasted, against a fresh local system per
 * document (the engine and every route, as {@code ./eduledger local} starts them, on free ports,
 * with the tour's fixed tokens), and prints what the text says it prints. The convention is in
 * docs/contributing.md.
 */
class DocBlocksTest {
    private static final Path ROOT = SamTemplate.locate().toAbsolutePath().getParent();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z][a-z0-9 _-]*>");
    private static final String MARK = "@@@doc-block ";
    private static final long TIMEOUT_SECONDS = 180;

    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockRunsAsPasted() throws IOException {
        return documents().stream()
                .map(document -> DynamicTest.dynamicTest(
                        ROOT.relativize(document).toString(),
                        () -> run(DocBlocks.parse(ROOT.relativize(document).toString(), Files.readString(document)))));
    }

    private static void requireTools() {
        for (String tool : List.of("bash", "curl", "jq")) {
            boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
            if (!found) {
                String ci = System.getenv("CI");
                if (ci != null && !ci.isBlank()) {
                    fail(tool + " is not installed, and CI requires this test: .ci/run installs it");
                }
                Assumptions.abort(tool + " is not installed; the documentation's blocks need it (skipped outside CI)");
            }
        }
    }

    private static void run(DocBlocks doc) throws Exception {
        if (doc.blocks().stream().noneMatch(DocBlocks.Block::runs)) {
            return;
        }
        requireTools();
        int port = freePort();
        int dynamoPort = freePort();
        Path work = Files.createTempDirectory("eduledger-doc-blocks");
        Path launcher = work.resolve("eduledger");
        // ./eduledger as the launcher runs it once built: the runner's Main on this build's classes.
        Files.writeString(
                launcher,
                "#!/usr/bin/env bash\nexec java -cp '" + System.getProperty("java.class.path")
                        + "' eduledger.local.Main \"$@\"\n");
        launcher.toFile().setExecutable(true);

        StringBuilder script = new StringBuilder("set -e -o pipefail\n");
        Map<String, DocBlocks.Part> parts = new LinkedHashMap<>();
        for (DocBlocks.Block block : doc.blocks()) {
            if (!block.runs()) {
                continue;
            }
            for (DocBlocks.Part part : block.parts()) {
                String id = doc.file() + ":" + part.line();
                parts.put(id, part);
                script.append("printf '\\n").append(MARK).append(id).append("\\n'\n");
                script.append(part.script()
                        .replace("localhost:3000", "localhost:" + port)
                        .replace("127.0.0.1:3000", "127.0.0.1:" + port)
                        .replace("localhost:8000", "localhost:" + dynamoPort)
                        .replace("./eduledger ", "'" + launcher + "' "));
            }
        }
        script.append("printf '\\n").append(MARK).append("end\\n'\n");
        Files.writeString(work.resolve("blocks.sh"), script);

        LocalSystem system = LocalSystem.start(SamTemplate.read(SamTemplate.locate()), dynamoPort, null);
        HttpGateway gateway = null;
        try {
            gateway = new HttpGateway(port, system.functions(), ApiReference.ofRepository());
            system.devToken("edl_try");
            system.appSecret("edl_app_try");
            system.adminToken("edl_admin_try");
            system.startStreamTriggers();
            RunnerFile.write(port, system.endpoint());
            Process bash = new ProcessBuilder("bash", work.resolve("blocks.sh").toString())
                    .directory(ROOT.toFile())
                    .redirectOutput(work.resolve("out").toFile())
                    .redirectError(work.resolve("err").toFile())
                    .start();
            if (!bash.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                bash.descendants().forEach(ProcessHandle::destroyForcibly);
                bash.destroyForcibly().waitFor();
            }
            check(
                    doc,
                    parts,
                    Files.readString(work.resolve("out"), StandardCharsets.UTF_8),
                    bash.exitValue(),
                    Files.readString(work.resolve("err"), StandardCharsets.UTF_8));
        } finally {
            RunnerFile.remove();
            if (gateway != null) {
                gateway.close();
            }
            system.close();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    private static void check(DocBlocks doc, Map<String, DocBlocks.Part> parts, String out, int exit, String err) {
        Map<String, List<String>> printed = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                current = new ArrayList<>();
                printed.put(line.substring(MARK.length()), current);
            } else if (current != null && !line.isBlank()) {
                current.add(line.stripTrailing());
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, DocBlocks.Part> entry : parts.entrySet()) {
            List<String> lines = printed.get(entry.getKey());
            if (lines == null) {
                break; // an earlier part failed
            }
            List<String> expected = entry.getValue().expected();
            if (!expected.isEmpty() && !matches(expected, lines)) {
                problems.add(entry.getKey() + " prints\n  " + String.join("\n  ", lines) + "\nwhere the text says\n  "
                        + String.join("\n  ", expected));
            }
        }
        if (exit != 0 || !printed.containsKey("end")) {
            String last = printed.isEmpty()
                    ? "the first block"
                    : List.copyOf(printed.keySet()).get(printed.size() - 1);
            problems.add(
                    0,
                    last + " failed (exit " + exit + "):\n" + err.strip() + "\n--- it printed:\n"
                            + String.join("\n", printed.getOrDefault(last, List.of())));
        }
        if (!problems.isEmpty()) {
            fail(doc.file() + ": a shell block does not run as the text says:\n" + String.join("\n\n", problems));
        }
    }

    /** Line by line; a line that is JSON compares as JSON, and a {@code <placeholder>} matches any value. */
    static boolean matches(List<String> expected, List<String> printed) {
        if (expected.size() != printed.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!lineMatches(expected.get(i), printed.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean lineMatches(String expected, String printed) {
        JsonNode want = json(expected);
        JsonNode got = json(printed);
        if (want != null && got != null && (want.isContainerNode() || got.isContainerNode())) {
            return jsonMatches(want, got);
        }
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(expected);
        int at = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(expected.substring(at, placeholder.start())))
                    .append(".+?");
            at = placeholder.end();
        }
        regex.append(Pattern.quote(expected.substring(at)));
        return printed.matches(regex.toString());
    }

    private static boolean jsonMatches(JsonNode want, JsonNode got) {
        if (want.isTextual() && PLACEHOLDER.matcher(want.asText()).matches()) {
            return !got.isMissingNode();
        }
        if (want.isObject()) {
            if (!got.isObject() || want.size() != got.size()) {
                return false;
            }
            for (Iterator<String> names = want.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!got.has(name) || !jsonMatches(want.get(name), got.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (!got.isArray() || want.size() != got.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!jsonMatches(want.get(i), got.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return want.equals(got);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theConventionReadsOutputAfterACommandAndProseAfterABlankLine() {
        DocBlocks doc = DocBlocks.parse(
                "x.md",
                String.join(
                        "\n",
                        "Text.",
                        "",
                        "```sh",
                        "# prose before anything",
                        "echo '{\"a\": 1}'",
                        "# {\"a\":1}",
                        "",
                        "# prose after a blank line",
                        "echo two; echo three",
                        "# two",
                        "# three",
                        "echo unchecked",
                        "```",
                        "",
                        "<!-- not run: needs AWS -->",
                        "```sh",
                        "aws sts get-caller-identity",
                        "```",
                        "```json",
                        "{}",
                        "```"));
        assertEquals(2, doc.blocks().size());
        DocBlocks.Block first = doc.blocks().get(0);
        assertTrue(first.runs());
        assertEquals(List.of("{\"a\":1}"), first.parts().get(0).expected());
        assertEquals(List.of("two", "three"), first.parts().get(1).expected());
        assertTrue(first.parts().get(1).script().contains("# prose after a blank line"));
        assertEquals(List.of(), first.parts().get(2).expected());
        assertEquals("needs AWS", doc.blocks().get(1).notRun());
        assertFalse(doc.blocks().get(1).runs());
    }

    /** The check itself: a block whose output differs, or that fails, is reported with its line. */
    @Test
    void aBlockThatPrintsSomethingElseOrFailsIsReported() throws Exception {
        AssertionError differs = assertThrows(
                AssertionError.class,
                () -> run(DocBlocks.parse(
                        "differs.md",
                        String.join(
                                "\n",
                                "```sh",
                                "curl -s http://localhost:3000/api/v2/audit/schemas -H 'Authorization: Bearer edl_try' | jq -c '.\"$data\" | map(.action.id)'",
                                "# [\"user.login\"]",
                                "echo '{\"n\": 1}'",
                                "# {\"n\": 2}",
                                "```"))));
        assertTrue(differs.getMessage().contains("differs.md:4 prints\n  {\"n\": 1}"), differs.getMessage());
        assertFalse(differs.getMessage().contains("differs.md:2 prints"), differs.getMessage());

        AssertionError failed = assertThrows(
                AssertionError.class,
                () -> run(DocBlocks.parse(
                        "failed.md",
                        String.join("\n", "```sh", "echo first", "# first", "", "false", "echo never", "```"))));
        assertTrue(failed.getMessage().contains("failed.md:5 failed (exit 1)"), failed.getMessage());
    }

    @Test
    void outputComparesAsJsonWithPlaceholders() {
        assertTrue(matches(List.of("{\"id\":\"<id>\",\"n\":1}"), List.of("{\"n\": 1, \"id\": \"0190-ab\"}")));
        assertFalse(matches(List.of("{\"id\":\"<id>\",\"n\":1}"), List.of("{\"n\": 2, \"id\": \"0190-ab\"}")));
        assertFalse(matches(List.of("{\"n\":1}"), List.of("{\"n\":1,\"extra\":true}")));
        assertTrue(matches(List.of("rel=\"next\"", "token: <token>"), List.of("rel=\"next\"", "token: edl_x1")));
        assertFalse(matches(List.of("rel=\"next\""), List.of("rel=\"next\"", "rel=\"last\"")));
    }
}
