package dev.datasync.local.cli;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.StreamAdmin;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.model.StreamSummary;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import com.oracle.bmc.streaming.requests.ListStreamsRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import com.oracle.bmc.streaming.responses.ListStreamsResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only views of streams through the Streaming API (ListStreams, GetStream, cursors, GetMessages). */
public final class StreamInspector {

    private final StreamAdmin admin;
    private final StreamClient data;

    public StreamInspector(StreamAdmin admin, StreamClient data) {
        this.admin = admin;
        this.data = data;
    }

    /** Every ACTIVE stream in the given compartments, by name. */
    public List<StreamSummary> list(Collection<String> compartmentIds) {
        Map<String, StreamSummary> byId = new LinkedHashMap<>();
        for (String compartment : compartmentIds) {
            String page = null;
            do {
                ListStreamsResponse r = admin.listStreams(ListStreamsRequest.builder().compartmentId(compartment)
                        .lifecycleState(Stream.LifecycleState.Active).limit(50).page(page)
                        .sortBy(ListStreamsRequest.SortBy.Name).sortOrder(ListStreamsRequest.SortOrder.Asc).build());
                r.getItems().forEach(s -> byId.put(s.getId(), s));
                page = r.getOpcNextPage();
            } while (page != null);
        }
        List<StreamSummary> all = new ArrayList<>(byId.values());
        all.sort(java.util.Comparator.comparing(StreamSummary::getName));
        return all;
    }

    public Stream get(String streamId) {
        return admin.getStream(GetStreamRequest.builder().streamId(streamId).build()).getStream();
    }

    /** Messages still retained in one partition (reads them; fine for local sizes). */
    public long retained(String streamId, String partition) {
        String cursor = cursor(streamId, partition, null);
        long count = 0;
        while (true) {
            GetMessagesResponse r = data.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor)
                    .limit(10_000).build());
            if (r.getItems().isEmpty()) {
                return count;
            }
            count += r.getItems().size();
            cursor = r.getOpcNextCursor();
        }
    }

    /** Messages of one partition from {@code fromOffset} on (reads them; fine for local sizes). */
    public long countFrom(String streamId, String partition, long fromOffset) {
        return read(streamId, partition, fromOffset, Integer.MAX_VALUE).size();
    }

    /**
     * Up to {@code limit} messages of one partition from {@code fromOffset} on (null = oldest retained). An offset
     * past the partition's end is simply an empty partition: on a multi-partition stream one offset is usually past
     * the end of some partitions, and {@code messages --from N} must still show the others.
     */
    public List<Message> read(String streamId, String partition, Long fromOffset, int limit) {
        List<Message> out = new ArrayList<>();
        String cursor;
        try {
            cursor = cursor(streamId, partition, fromOffset);
        } catch (BmcException e) {
            if (e.getStatusCode() != 400 || fromOffset == null || fromOffset < 0) {
                throw e;
            }
            // Streaming refuses an AT_OFFSET cursor past the partition's end (and OCI possibly one below the trim
            // horizon): tell the two apart by the oldest retained message
            String oldestCursor = cursor(streamId, partition, null);
            List<Message> oldest = data.getMessages(GetMessagesRequest.builder().streamId(streamId)
                    .cursor(oldestCursor).limit(1).build()).getItems();
            if (oldest.isEmpty() || oldest.get(0).getOffset() <= fromOffset) {
                return out; // empty partition, or the offset is past its end
            }
            cursor = oldestCursor; // below the trim horizon: everything retained is at or after it
        }
        while (out.size() < limit) {
            GetMessagesResponse r = data.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor)
                    .limit(Math.min(10_000, limit - out.size())).build());
            if (r.getItems().isEmpty()) {
                break;
            }
            out.addAll(r.getItems());
            cursor = r.getOpcNextCursor();
        }
        return out;
    }

    private String cursor(String streamId, String partition, Long atOffset) {
        CreateCursorDetails.Builder d = CreateCursorDetails.builder().partition(partition);
        if (atOffset == null || atOffset < 0) {
            d.type(CreateCursorDetails.Type.TrimHorizon);
        } else {
            d.type(CreateCursorDetails.Type.AtOffset).offset(atOffset);
        }
        return data.createCursor(CreateCursorRequest.builder().streamId(streamId).createCursorDetails(d.build())
                .build()).getCursor().getValue();
    }
}
