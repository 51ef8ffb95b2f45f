package dev.datasync.local.observe;

import dev.datasync.local.stack.AppConfigFile;

import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.log.RotatingLogFile;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.localoci.Resources;
import dev.datasync.shared.config.DataSyncConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
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

    /**
     * Checks, before anything is opened on it, that a stack was ever started on the data dir.
     *
     * @throws NoStack when the data dir has no {@code app-config.json}
     */
    public static void requireStack(Path dataDir) {
        if (!Files.isRegularFile(dataDir.resolve("app-config.json"))) {
            throw new NoStack("no stack in data dir " + dataDir + " (./datasync up starts one; DATASYNC_DATA_DIR "
                    + "picks another)");
        }
    }

    /** @throws NoStack when the data dir has no {@code app-config.json} (no stack was ever started on it) */
    public static StackView of(LocalOciClients clients, Resources resources, Path dataDir) throws IOException {
        requireStack(dataDir);
        DataSyncConfig config = AppConfigFile.read(dataDir)
                .orElseThrow(() -> new NoStack("no stack in data dir " + dataDir));
        return new StackView(clients, resources, config, dataDir);
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

    /** Every stream a failed message can be in (OCIDs): the four error streams, then DeadLetterStream. */
    public List<String> failureStreams() {
        var ids = config.streams();
        return Stream.of(ids.serviceUnavailable(), ids.internalServer(), ids.defaultError(), ids.unrecoverable(),
                deadLetterStream()).filter(Objects::nonNull).toList();
    }

    public String deadLetterStream() {
        return config.redrive().deadLetterStream();
    }
}
