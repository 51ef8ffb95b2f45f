package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Cursor;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;
import dev.datasync.localoci.http.SigningStrategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming data plane (StreamClient): PutMessages, CreateCursor and GetMessages; the consumer-group operations are
 * {@link ConsumerGroupApi}'s, which also says where a group cursor's GetMessages starts.
 */
final class StreamDataApi {
    /** OCI: 1 MB per message and per PutMessages request, counted on decoded key + value bytes. */
    static final int MAX_REQUEST_BYTES = 1024 * 1024;
    static final int MAX_KEY_BYTES = 256;
    static final int MAX_GET_LIMIT = 10_000;
    /** Emulator choice: a GetMessages answer carries at most ~1 MB of message data (at least one message). */
    static final long MAX_GET_BYTES = 1024 * 1024;
    private static final String BASE = "/20180418/streams/{streamId}";

    private final DataPlane plane;
    private final ConsumerGroupApi groups;

    StreamDataApi(DataPlane plane, ConsumerGroupApi groups) {
        this.plane = plane;
        this.groups = groups;
    }

    void register(Router router) {
        router.add("POST", BASE + "/messages", "PutMessages", SigningStrategy.EXCLUDE_BODY, this::putMessages)
                .get(BASE + "/messages", "GetMessages", this::getMessages)
                .post(BASE + "/cursors", "CreateCursor", this::createCursor);
    }

    // ---------------------------------------------------------------- PutMessages

    private Response putMessages(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        List<StreamingJson.PutEntry> entries = StreamingJson.readPutMessages(request.body());
        if (entries == null || entries.isEmpty()) {
            throw OciException.invalidParameter("messages must contain at least one message");
        }
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            StreamingJson.PutEntry entry = entries.get(i);
            if (entry == null || entry.value() == null) {
                throw OciException.invalidParameter("messages[" + i + "].value is required");
            }
            int keyBytes = entry.key() == null ? 0 : entry.key().length;
            if (keyBytes > MAX_KEY_BYTES) {
                throw OciException.invalidParameter("messages[" + i + "].key is " + keyBytes
                        + " bytes; keys are limited to " + MAX_KEY_BYTES + " bytes");
            }
            int size = keyBytes + entry.value().length;
            if (size > MAX_REQUEST_BYTES) {
                throw OciException.limitExceeded("messages[" + i + "] is " + size
                        + " bytes; a message is limited to 1 MB");
            }
            total += size;
        }
        if (total > MAX_REQUEST_BYTES) {
            throw OciException.limitExceeded("The request carries " + total
                    + " bytes of messages; a PutMessages request is limited to 1 MB");
        }
        List<MessageLog.Append> appends = new ArrayList<>(entries.size());
        boolean[] failed = new boolean[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            failed[i] = plane.ctx().faults().failEntry(request.operation());
            if (!failed[i]) {
                StreamingJson.PutEntry entry = entries.get(i);
                appends.add(new MessageLog.Append(Partitioner.partitionFor(entry.key(), stream.partitions()),
                        entry.key(), entry.value()));
            }
        }
        long now = plane.ctx().clock().millis();
        long[] offsets = appends.isEmpty() ? new long[0] : plane.log().append(stream, appends, now);
        List<StreamingJson.PutOutcome> results = new ArrayList<>(entries.size());
        int next = 0;
        int failures = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (failed[i]) {
                failures++;
                results.add(new StreamingJson.PutOutcome(-1, -1, "InternalServerError",
                        "Injected fault: the message was not stored"));
            } else {
                results.add(new StreamingJson.PutOutcome(appends.get(next).partition(), offsets[next], null, null));
                next++;
            }
        }
        return Response.bytes(200, Response.JSON, StreamingJson.putResult(failures, results, now));
    }

    // ---------------------------------------------------------------- CreateCursor

    private Response createCursor(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        CreateCursorDetails details = request.bodyAs(CreateCursorDetails.class);
        int partition = partition(stream, details.getPartition());
        if (details.getType() == null) {
            throw OciException.invalidParameter("type must be AFTER_OFFSET, AT_OFFSET, AT_TIME, LATEST or TRIM_HORIZON");
        }
        long now = plane.ctx().clock().millis();
        long end = plane.log().endOffset(stream, partition);
        long position = switch (details.getType()) {
            case AtOffset, AfterOffset -> {
                if (details.getOffset() == null) {
                    throw OciException.missingParameter("offset is required for cursor type " + details.getType().getValue());
                }
                long offset = details.getOffset();
                long first = details.getType() == CreateCursorDetails.Type.AtOffset ? offset : offset + 1;
                if (offset < 0 || first > end) {
                    throw OciException.invalidParameter("offset " + offset + " is outside partition " + partition
                            + " (next offset is " + end + ")");
                }
                // An offset below the trim horizon reads from the oldest retained message (see README).
                yield first;
            }
            case AtTime -> {
                if (details.getTime() == null) {
                    throw OciException.missingParameter("time is required for cursor type AT_TIME");
                }
                yield plane.log().offsetAtTime(stream, partition, details.getTime().getTime(), now);
            }
            case Latest -> end;
            case TrimHorizon -> plane.log().trimHorizon(stream, partition, now);
            default -> throw new IllegalStateException();
        };
        CursorCodec.State state = new CursorCodec.State(stream.id(), Map.of(partition, position), now, null, null,
                null, null);
        return cursor(state);
    }

    // ---------------------------------------------------------------- GetMessages

    private Response getMessages(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        long now = plane.ctx().clock().millis();
        CursorCodec.State state = plane.cursors().decode(request.requiredQuery("cursor"), stream.id(), now);
        Integer limitParam = request.queryInt("limit");
        int limit = limitParam == null ? MAX_GET_LIMIT : limitParam;
        if (limit < 1 || limit > MAX_GET_LIMIT) {
            throw OciException.invalidParameter("limit must be between 1 and " + MAX_GET_LIMIT);
        }
        Map<Integer, Long> from;
        if (state.isGroup()) {
            from = groups.readPositions(stream, state, now);
        } else {
            from = state.positions();
        }
        List<MessageLog.Stored> messages = new ArrayList<>();
        Map<Integer, Long> next = new LinkedHashMap<>(from);
        long budget = MAX_GET_BYTES;
        List<Integer> partitions = new ArrayList<>(from.keySet());
        // Rotate the starting partition so one busy partition cannot starve the others of a group reader.
        int start = partitions.isEmpty() ? 0 : (int) Math.floorMod(now, (long) partitions.size());
        for (int k = 0; k < partitions.size() && messages.size() < limit && budget > 0; k++) {
            int p = partitions.get((start + k) % partitions.size());
            List<MessageLog.Stored> read = plane.log().read(stream, p, from.get(p), limit - messages.size(), budget,
                    now);
            for (MessageLog.Stored m : read) {
                budget -= m.value().length + (m.key() == null ? 0 : m.key().length);
                next.put(p, m.offset() + 1);
            }
            messages.addAll(read);
        }
        String nextCursor = plane.cursors().encode(state.at(next, now));
        return Response.bytes(200, Response.JSON, StreamingJson.messages(stream.name(), messages))
                .header("opc-next-cursor", nextCursor);
    }

    // ---------------------------------------------------------------- shared steps

    private Response cursor(CursorCodec.State state) {
        return Response.json(Cursor.builder().value(plane.cursors().encode(state)).build());
    }

    private static int partition(StreamRecord stream, String partition) {
        if (partition == null) {
            throw OciException.missingParameter("partition is required");
        }
        try {
            int p = Integer.parseInt(partition);
            if (p >= 0 && p < stream.partitions()) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw OciException.invalidParameter("partition '" + partition + "' does not exist; the stream has "
                + stream.partitions() + " partitions");
    }
}
