package dev.datasync.local.stack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.shared.config.DataSyncConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The functions' configuration of the stack that runs (or last ran) on a data dir, as {@code up} wrote it
 * ({@code <data dir>/app-config.json}, owner-only): what a command that uses the functions' own adapters configures
 * them with.
 */
public final class AppConfigFile {

    private AppConfigFile() {
    }

    public static Path of(Path dataDir) {
        return dataDir.resolve("app-config.json");
    }

    /** The configuration, or empty when no stack has written one. */
    public static Optional<DataSyncConfig> read(Path dataDir) throws IOException {
        Path file = of(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        PrivateFiles.requireOwnerOnly(file);
        Map<String, String> raw = new ObjectMapper().readValue(file.toFile(), new TypeReference<>() { });
        return Optional.of(DataSyncConfig.from(raw));
    }
}
