package dev.datasync.local.identity;

import dev.datasync.localoci.support.PrivateFiles;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code sources.json}: every source of the local identity provider, {@code {"sources": [SourceRecord…]}}. Written
 * whole and atomically (0600), so a reader — the running gateway — sees the old list or the new one; changes are
 * made under an OS file lock on {@code sources.lock}, so two {@code ./datasync sources …} commands (or one and a
 * starting stack) never lose each other's change.
 */
public final class SourceRegistry {

    static final String FILE_NAME = "sources.json";
    private static final String LOCK_FILE_NAME = "sources.lock";

    private final Path file;
    private final Path lockFile;

    SourceRegistry(Path identityDir) {
        this.file = identityDir.resolve(FILE_NAME);
        this.lockFile = identityDir.resolve(LOCK_FILE_NAME);
    }

    Path file() {
        return file;
    }

    /** The sources by id, in creation order; none when the file does not exist yet. */
    public Map<String, SourceRecord> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        PrivateFiles.requireOwnerOnly(file); // who can write it decides which sources the gateway admits
        Stored stored = Json.mapper().readValue(file.toFile(), Stored.class);
        Map<String, SourceRecord> byId = new LinkedHashMap<>();
        for (SourceRecord r : stored.sources() == null ? List.<SourceRecord>of() : stored.sources()) {
            byId.put(r.id(), r);
        }
        return byId;
    }

    /** Applies {@code change} to the current sources under the lock and writes the result; answers it. */
    public Map<String, SourceRecord> update(UnaryOperator<Map<String, SourceRecord>> change) throws IOException {
        return locked(() -> {
            Map<String, SourceRecord> next = change.apply(new LinkedHashMap<>(read()));
            PrivateFiles.writeAtomically(file, Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Stored(new ArrayList<>(next.values()))));
            return next;
        });
    }

    /**
     * Runs {@code action} holding the identity directory's lock: the OS file lock keeps other processes out, and
     * the monitor other threads of this JVM (to which the OS lock would answer OverlappingFileLockException).
     */
    <T> T locked(IoSupplier<T> action) throws IOException {
        synchronized (SourceRegistry.class) {
            try (FileChannel ch = PrivateFiles.openChannel(lockFile, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return action.get();
            }
        }
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** The file's shape. */
    record Stored(List<SourceRecord> sources) {
    }
}
