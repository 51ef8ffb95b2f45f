package dev.datasync.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The few func.yaml fields the local platform needs, read from the same files {@code fn deploy} uses: the entry
 * point is func.yaml's {@code cmd}, or — with {@code runtime: docker}, where fn builds the folder's Dockerfile —
 * that Dockerfile's {@code CMD}.
 */
public record FuncYaml(String name, String cmd, Duration timeout, int memoryMb) {

    public static FuncYaml read(Path file) throws IOException {
        Map<String, String> top = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith(" ") || line.startsWith("\t") || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String v = line.substring(colon + 1).trim();
                if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                top.put(line.substring(0, colon).trim(), v);
            }
        }
        String cmd = top.get("cmd");
        if (cmd == null) {
            cmd = dockerfileCmd(file.resolveSibling("Dockerfile"));
        }
        if (cmd == null || !cmd.contains("::")) {
            throw new IOException(file + ": no entry point (func.yaml cmd or Dockerfile CMD pkg.Class::method)");
        }
        int timeout = Integer.parseInt(top.getOrDefault("timeout", "30"));
        int memory = Integer.parseInt(top.getOrDefault("memory", "128"));
        return new FuncYaml(top.getOrDefault("name", file.getParent().getFileName().toString()), cmd,
                Duration.ofSeconds(timeout), memory);
    }

    /** {@code CMD ["pkg.Class::method"]} (exec form) or {@code CMD pkg.Class::method} of a Dockerfile. */
    static String dockerfileCmd(Path dockerfile) throws IOException {
        if (!Files.isRegularFile(dockerfile)) {
            return null;
        }
        String cmd = null;
        for (String line : Files.readAllLines(dockerfile)) {
            String t = line.trim();
            if (t.regionMatches(true, 0, "CMD", 0, 3) && t.length() > 3 && Character.isWhitespace(t.charAt(3))) {
                String v = t.substring(4).trim();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[\\s*\"([^\"]+)\"").matcher(v);
                cmd = m.find() ? m.group(1) : v;
            }
        }
        return cmd;
    }
}
