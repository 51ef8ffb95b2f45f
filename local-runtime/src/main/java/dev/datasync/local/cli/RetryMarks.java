package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where {@code ./datasync retry} got to in each partition: {@code <data dir>/retry-marks.json},
 * {@code {"<stream OCID>": {"<partition>": lastReadOffset}}}, written (0600, atomically) after every call, so a
 * second {@code retry} — or one after an interrupted run — continues after the last offset replayed instead of
 * reading the stream from its start again. The state bucket's replay marks ({@code replay/marks/…}) say which
 * offsets were settled, so nothing is sent twice either way; they do not record how far a replay read (a message
 * that failed again stays at its offset unmarked), which is what this file is for.
 */
final class RetryMarks {

    private final Path file;

    RetryMarks(Path dataDir) {
        this.file = dataDir.resolve("retry-marks.json");
    }

    /** The last offset replayed in this partition, if a retry ever got that far. */
    OptionalLong lastReplayed(String streamId, String partition) throws IOException {
        JsonNode n = read().path(streamId).path(partition);
        return n.isIntegralNumber() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
    }

    synchronized void record(String streamId, String partition, long lastReadOffset) throws IOException {
        ObjectNode root = read();
        JsonNode stream = root.get(streamId);
        ObjectNode partitions = stream instanceof ObjectNode o ? o : root.putObject(streamId);
        partitions.put(partition, lastReadOffset);
        PrivateFiles.writeAtomically(file, Json.toBytes(root));
    }

    private ObjectNode read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Json.mapper().createObjectNode();
        }
        PrivateFiles.requireOwnerOnly(file);
        try {
            JsonNode n = Json.mapper().readTree(file.toFile());
            return n instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
        } catch (IOException unreadable) {
            return Json.mapper().createObjectNode(); // a torn file cannot happen (atomic rename); start over
        }
    }
}
