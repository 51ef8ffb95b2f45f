package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.CreateGroupCursorDetails;
import com.oracle.bmc.streaming.model.Cursor;
import com.oracle.bmc.streaming.model.Group;
import com.oracle.bmc.streaming.model.PartitionReservation;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Consumer groups on the Streaming data plane (StreamClient): CreateGroupCursor, ConsumerCommit, ConsumerHeartbeat,
 * GetGroup, and where a group cursor's GetMessages starts ({@link #readPositions}).
 */
final class ConsumerGroupApi {
    static final int DEFAULT_GROUP_TIMEOUT_MS = 30_000;
    private static final String BASE = "/20180418/streams/{streamId}";

    private final DataPlane plane;

    ConsumerGroupApi(DataPlane plane) {
        this.plane = plane;
    }

    void register(Router router) {
        router.post(BASE + "/groupCursors", "CreateGroupCursor", this::createGroupCursor)
                .post(BASE + "/commit", "ConsumerCommit", this::consumerCommit)
                .post(BASE + "/heartbeat", "ConsumerHeartbeat", this::consumerHeartbeat)
                .get(BASE + "/groups/{groupName}", "GetGroup", this::getGroup);
    }

    private Response createGroupCursor(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        CreateGroupCursorDetails details = request.bodyAs(CreateGroupCursorDetails.class);
        String group = details.getGroupName();
        if (group == null || group.isBlank() || group.length() > 256) {
            throw OciException.invalidParameter("groupName is required (1 to 256 characters)");
        }
        CreateGroupCursorDetails.Type type = details.getType();
        if (type == null) {
            throw OciException.invalidParameter("type must be AT_TIME, LATEST or TRIM_HORIZON");
        }
        if (type == CreateGroupCursorDetails.Type.AtTime && details.getTime() == null) {
            throw OciException.missingParameter("time is required for cursor type AT_TIME");
        }
        int timeoutMs = details.getTimeoutInMs() == null ? DEFAULT_GROUP_TIMEOUT_MS : details.getTimeoutInMs();
        if (timeoutMs <= 0) {
            throw OciException.invalidParameter("timeoutInMs must be positive");
        }
        String instance = details.getInstanceName() == null ? UUID.randomUUID().toString() : details.getInstanceName();
        boolean commitOnGet = details.getCommitOnGet() == null || details.getCommitOnGet();
        long now = plane.ctx().clock().millis();
        plane.groups().ensure(stream, group, p -> switch (type) {
            case AtTime -> plane.log().offsetAtTime(stream, p, details.getTime().getTime(), now);
            case Latest -> plane.log().endOffset(stream, p);
            default -> plane.log().trimHorizon(stream, p, now);
        });
        List<Integer> reserved = plane.groups().reserve(stream, group, instance, timeoutMs, now);
        Map<Integer, ConsumerGroups.Position> committed = plane.groups().positions(stream, group);
        Map<Integer, Long> positions = new LinkedHashMap<>();
        for (int p : reserved) {
            positions.put(p, committed.get(p).nextOffset());
        }
        return cursor(new CursorCodec.State(stream.id(), positions, now, group, instance, commitOnGet, timeoutMs));
    }

    /**
     * Positions a group reader starts from: re-reserves the instance's partitions (heartbeat), commits the
     * cursor's positions first when the group commits on get, and takes the committed position for
     * partitions the cursor does not carry (newly assigned ones).
     */
    Map<Integer, Long> readPositions(StreamRecord stream, CursorCodec.State state, long now) {
        List<Integer> reserved = plane.groups().reserve(stream, state.group(), state.instance(), state.timeoutMs(),
                now);
        if (Boolean.TRUE.equals(state.commitOnGet())) {
            plane.groups().commit(stream, state.group(), held(state, reserved));
        }
        Map<Integer, ConsumerGroups.Position> committed = plane.groups().positions(stream, state.group());
        if (committed.isEmpty()) {
            throw OciException.notFound("Group " + state.group() + " not found");
        }
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (int p : reserved) {
            Long position = state.positions().get(p);
            out.put(p, position != null ? position : committed.get(p).nextOffset());
        }
        return out;
    }

    private static Map<Integer, Long> held(CursorCodec.State state, List<Integer> reserved) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (int p : reserved) {
            Long position = state.positions().get(p);
            if (position != null) {
                out.put(p, position);
            }
        }
        return out;
    }

    private Response consumerCommit(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        long now = plane.ctx().clock().millis();
        CursorCodec.State state = groupCursor(request, stream, now);
        List<Integer> reserved = plane.groups().reserve(stream, state.group(), state.instance(), state.timeoutMs(),
                now);
        plane.groups().commit(stream, state.group(), held(state, reserved));
        return cursor(state.at(state.positions(), now));
    }

    private Response consumerHeartbeat(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        long now = plane.ctx().clock().millis();
        CursorCodec.State state = groupCursor(request, stream, now);
        plane.groups().reserve(stream, state.group(), state.instance(), state.timeoutMs(), now);
        return cursor(state.at(state.positions(), now));
    }

    private CursorCodec.State groupCursor(Request request, StreamRecord stream, long now) {
        CursorCodec.State state = plane.cursors().decode(request.requiredQuery("cursor"), stream.id(), now);
        if (!state.isGroup()) {
            throw OciException.invalidParameter(request.operation() + " needs a group cursor");
        }
        return state;
    }

    private Response getGroup(Request request) {
        StreamRecord stream = plane.streams().getActive(request.path("streamId"));
        String group = request.path("groupName");
        Map<Integer, ConsumerGroups.Position> positions = plane.groups().positions(stream, group);
        if (positions.isEmpty()) {
            throw OciException.notFound("Group " + group + " not found");
        }
        long now = plane.ctx().clock().millis();
        Map<Integer, Map.Entry<String, Long>> reservations = plane.groups().reservations(stream, group, now);
        List<PartitionReservation> out = new ArrayList<>();
        for (Map.Entry<Integer, ConsumerGroups.Position> e : positions.entrySet()) {
            PartitionReservation.Builder r = PartitionReservation.builder().partition(String.valueOf(e.getKey()))
                    .committedOffset(e.getValue().committed() ? e.getValue().nextOffset() - 1 : null);
            Map.Entry<String, Long> holder = reservations.get(e.getKey());
            if (holder != null) {
                r.reservedInstance(holder.getKey()).timeReservedUntil(new Date(holder.getValue()));
            }
            out.add(r.build());
        }
        return Response.json(Group.builder().streamId(stream.id()).groupName(group).reservations(out).build());
    }

    private Response cursor(CursorCodec.State state) {
        return Response.json(Cursor.builder().value(plane.cursors().encode(state)).build());
    }
}
