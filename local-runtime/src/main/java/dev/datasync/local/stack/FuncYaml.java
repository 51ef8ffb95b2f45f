package dev.datasync.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The few func.yaml fields the local platform needs, read from the same file {@code fn deploy} uses. */
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
        if (cmd == null || !cmd.contains("::")) {
            throw new IOException(file + ": cmd must be pkg.Class::method");
        }
        int timeout = Integer.parseInt(top.getOrDefault("timeout", "30"));
        int memory = Integer.parseInt(top.getOrDefault("memory", "128"));
        return new FuncYaml(top.getOrDefault("name", file.getParent().getFileName().toString()), cmd,
                Duration.ofSeconds(timeout), memory);
    }
}
