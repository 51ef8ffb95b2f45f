package dev.datasync.local.connector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A connector's committed read positions (partition → last offset handed over successfully), kept in one small
 * JSON file in the data directory (0600). Written to a temporary file, forced to disk and atomically renamed, so
 * after a kill -9 the file holds either the old or the new positions, never a torn one.
 */
public final class PositionStore {

    /** Where a stack keeps its connectors' positions: {@code <data dir>/connectors/<connector name>.json}. */
    public static final String DIRECTORY = "connectors";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Long> committed = new TreeMap<>();

    public PositionStore(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                committed.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, Long>>() {
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable connector positions " + file, e);
            }
        }
    }

    public synchronized Optional<Long> committed(String partition) {
        return Optional.ofNullable(committed.get(partition));
    }

    public synchronized Map<String, Long> snapshot() {
        return Map.copyOf(committed);
    }

    /** Records that everything up to and including {@code offset} of {@code partition} was handed over. */
    public synchronized void commit(String partition, long offset) {
        committed.put(partition, offset);
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(committed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist connector positions " + file, e);
        }
    }
}
