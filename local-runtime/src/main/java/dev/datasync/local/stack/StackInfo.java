package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <data dir>/stack.json}, written by a running {@code ./datasync up} so the other commands reach the same
 * gateway and local-oci. Only trusted while the process it names is alive.
 */
public record StackInfo(String gateway, String oci, Path ociConfigFile, String ociProfile, long pid) {

    public static Path file(Path dataDir) {
        return dataDir.resolve("stack.json");
    }

    public static Optional<StackInfo> readLive(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode n = new ObjectMapper().readTree(f.toFile());
            StackInfo info = new StackInfo(n.path("gateway").asText(), n.path("oci").asText(),
                    Path.of(n.path("ociConfigFile").asText()), n.path("ociProfile").asText("DEFAULT"),
                    n.path("pid").asLong());
            boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(info) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
