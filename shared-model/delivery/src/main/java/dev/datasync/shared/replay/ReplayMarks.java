package dev.datasync.shared.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;

import java.io.IOException;
import java.util.Optional;

/**
 * Which offsets of an error-stream partition a replay or the redrive pass already settled ({@link Settlement}), so
 * that a later replay of the same range sends none of them again. One state object per (stream, partition),
 * {@code replay/marks/<stream OCID>/<partition>}, holding two range sets ({@code {"delivered":"3-9,12",
 * "moved":"10-11"}}): a holder reads it once when it starts and writes it once per page, never per message.
 * <p>
 * The {@link PartitionLease} makes the holder the only writer; the write is still conditional, and a lost race
 * (a holder whose lease ran out while it worked) is resolved by writing the union over the newer version, which
 * is safe because a mark only ever states a fact: that offset was delivered, or moved.
 * <p>
 * Size: a run of settled offsets is one range. At most {@link #MAX_RANGES} ranges of each kind are kept, the
 * oldest dropped first (a replay of those offsets sends them again, under the same Idempotency-Key); offsets the
 * stream no longer retains are dropped by {@link PartitionMarks#from}.
 */
public final class ReplayMarks {

    public static final String PREFIX = "replay/marks/";
    static final int MAX_RANGES = 10_000;
    private static final String DELIVERED = "delivered";
    private static final String MOVED = "moved";

    private final StateObjects state;
    private final JsonLog log;

    public ReplayMarks(StateObjects state, JsonLog log) {
        this.state = state;
        this.log = log;
    }

    public static String objectName(String stream, String partition) {
        return PREFIX + stream + "/" + partition;
    }

    /**
     * One read. An object that cannot be parsed counts as no marks (its version is kept, so the next write replaces
     * it): its offsets may be sent again, under the same Idempotency-Key.
     * @throws dev.datasync.shared.state.StateUnavailableException when the state store cannot be read
     */
    public PartitionMarks read(String stream, String partition) {
        Optional<StateObject> object = state.read(objectName(stream, partition));
        if (object.isEmpty()) {
            return PartitionMarks.NONE;
        }
        try {
            JsonNode root = Json.parse(object.get().body());
            return new PartitionMarks(OffsetRanges.parse(root.path(DELIVERED).asText("")),
                    OffsetRanges.parse(root.path(MOVED).asText("")), object.get().etag());
        } catch (IOException | IllegalArgumentException e) {
            log.warn("replay.marks_unreadable").streamId(stream).partition(partition)
                    .code(e.getClass().getSimpleName()).write();
            return PartitionMarks.NONE.storedAs(object.get().etag());
        }
    }

    /**
     * Writes {@code marks} over the version they name (created when they name none): one conditional write, or,
     * after a lost race, one read and the union written over the newer version.
     * @return the marks as stored, naming the new version
     * @throws StateConflictException when the second write loses a race too
     * @throws dev.datasync.shared.state.StateUnavailableException when the state store cannot be written
     */
    public PartitionMarks write(String stream, String partition, PartitionMarks marks) {
        try {
            return writeOnce(stream, partition, marks);
        } catch (StateConflictException e) {
            log.warn("replay.marks_race").streamId(stream).partition(partition).write();
            return writeOnce(stream, partition, marks.mergedInto(read(stream, partition)));
        }
    }

    private PartitionMarks writeOnce(String stream, String partition, PartitionMarks marks) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put(DELIVERED, marks.delivered().lastRanges(MAX_RANGES).text())
                .put(MOVED, marks.moved().lastRanges(MAX_RANGES).text());
        String name = objectName(stream, partition);
        String etag = marks.etag() == null ? state.create(name, Json.toBytes(body))
                : state.replace(name, Json.toBytes(body), marks.etag());
        return marks.storedAs(etag);
    }
}
