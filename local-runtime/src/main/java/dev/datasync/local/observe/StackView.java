package dev.datasync.local.observe;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.log.RotatingLogFile;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.localoci.Resources;
import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.shared.config.DataSyncConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code trace} and {@code status} read, the same whether the CLI or the gateway asks: the stack's local-oci
 * through the real SDK clients, its declared resources, the configuration the functions run with
 * ({@code <data dir>/app-config.json}) and its log files ({@code <data dir>/logs/}).
 */
public record StackView(LocalOciClients clients, Resources resources, DataSyncConfig config, Path dataDir) {

    /** Thrown when the data directory holds no stack (never started): nothing to trace or report. */
    public static final class NoStack extends RuntimeException {
        public NoStack(String message) {
            super(message);
        }
    }

    /** @throws NoStack when the data dir has no {@code app-config.json} (no stack was ever started on it) */
    public static StackView of(LocalOciClients clients, Resources resources, Path dataDir) throws IOException {
        Path appConfig = dataDir.resolve("app-config.json");
        if (!Files.isRegularFile(appConfig)) {
            throw new NoStack("no stack in data dir " + dataDir + " (./datasync up starts one; DATASYNC_DATA_DIR "
                    + "picks another)");
        }
        PrivateFiles.requireOwnerOnly(appConfig);
        Map<String, String> raw = new ObjectMapper().readValue(appConfig.toFile(),
                new TypeReference<Map<String, String>>() {
                });
        return new StackView(clients, resources, DataSyncConfig.from(raw), dataDir);
    }

    public StreamInspector streams() {
        return new StreamInspector(clients.streamAdmin(), clients.stream());
    }

    public LogReader logs() {
        return new LogReader(dataDir.resolve(RotatingLogFile.DIRECTORY), RotatingLogFile.NAME,
                RotatingLogFile.DEFAULT_FILES);
    }

    /** A stream's name from its OCID (the OCID itself for a stream the declaration does not name). */
    public String streamName(String ocid) {
        if (ocid == null) {
            return null;
        }
        Map<String, String> byId = new HashMap<>();
        resources.streams().forEach((name, id) -> byId.put(id, name));
        return byId.getOrDefault(ocid, ocid);
    }

    public String deadLetterStream() {
        return config.redrive().deadLetterStream();
    }
}
