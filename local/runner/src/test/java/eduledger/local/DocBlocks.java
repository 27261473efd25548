package eduledger.local;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of a Markdown document and what they say they print, by the convention
 * docs/contributing.md describes: a fenced {@code sh} (or {@code bash}, {@code shell}) block runs
 * unless the line before its fence is {@code <!-- not run: REASON -->}; inside it, comment lines
 * that directly follow a command (no blank line between) are that command's expected output.
 */
record DocBlocks(String file, List<Block> blocks) {
    private static final Pattern FENCE = Pattern.compile("^```([A-Za-z]*)\\s*$");
    private static final Pattern NOT_RUN = Pattern.compile("^<!--\\s*not run:\\s*(\\S.*?)\\s*-->\\s*$");

    /** @param notRun why the block is not run; null when it runs */
    record Block(int line, String notRun, List<Part> parts) {
        boolean runs() {
            return notRun == null;
        }
    }

    /** Shell text, then the output it must print (empty when the text states none). */
    record Part(int line, String script, List<String> expected) {}

    static DocBlocks parse(String file, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            if (List.of("sh", "bash", "shell").contains(fence.group(1))) {
                String notRun = null;
                int before = i - 1;
                while (before >= 0 && lines.get(before).isBlank()) {
                    before--;
                }
                if (before >= 0) {
                    Matcher marker = NOT_RUN.matcher(lines.get(before));
                    if (marker.matches()) {
                        notRun = marker.group(1);
                    }
                }
                blocks.add(new Block(i + 1, notRun, parts(lines.subList(i + 1, end), i + 2)));
            }
            i = end;
        }
        return new DocBlocks(file, blocks);
    }

    private static List<Part> parts(List<String> body, int firstLine) {
        List<Part> parts = new ArrayList<>();
        StringBuilder script = new StringBuilder();
        int partLine = firstLine;
        int i = 0;
        while (i < body.size()) {
            String line = body.get(i);
            boolean afterCommand = i > 0 && isCommand(body.get(i - 1));
            if (line.startsWith("#") && afterCommand) {
                List<String> expected = new ArrayList<>();
                while (i < body.size() && body.get(i).startsWith("#")) {
                    expected.add(body.get(i).replaceFirst("^# ?", ""));
                    i++;
                }
                parts.add(new Part(partLine, script.toString(), expected));
                script.setLength(0);
                partLine = firstLine + i;
                continue;
            }
            if (script.toString().isBlank() && line.isBlank()) {
                partLine++; // a part is named by its first line of text
            }
            script.append(line).append('\n');
            i++;
        }
        if (!script.toString().isBlank()) {
            parts.add(new Part(partLine, script.toString(), List.of()));
        }
        return parts;
    }

    private static boolean isCommand(String line) {
        return !line.isBlank() && !line.startsWith("#");
    }
}
