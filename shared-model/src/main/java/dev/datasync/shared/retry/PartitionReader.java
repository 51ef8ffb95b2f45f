package dev.datasync.shared.retry;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads exactly up to {@code count} messages of one partition after an offset, bounded by the partition's end as it
 * was when the read began.
 * <ul>
 * <li>The start is an AT_OFFSET cursor at {@code readAfterOffset + 1} (TRIM_HORIZON for -1). An offset no longer
 * retained starts at the oldest message, and says so.</li>
 * <li>GetMessages is asked for what is still missing (never count + 1) and followed through {@code opc-next-cursor}:
 * a short read is not the end (GetMessages may return fewer than asked while more remain).</li>
 * <li>The tip: a LATEST cursor is created before anything is read; the first message it later yields is the first
 * one appended after the call began. Messages from there on are not part of this call (so messages routed back into
 * the same stream are never read again in the same call), and the end is reached when everything before it has
 * been read.</li>
 * </ul>
 */
public final class PartitionReader {

    public record Read(List<Message> messages, boolean reachedTip, boolean offsetTrimmed) {
    }

    private final Stream client;

    public PartitionReader(Stream client) {
        this.client = client;
    }

    public Read read(String streamOcid, String partition, long readAfterOffset, int count) {
        String tipCursor = cursor(streamOcid, partition, CreateCursorDetails.Type.Latest, null);
        boolean trimmed = false;
        String cursor;
        if (readAfterOffset < 0) {
            cursor = cursor(streamOcid, partition, CreateCursorDetails.Type.TrimHorizon, null);
        } else {
            try {
                cursor = cursor(streamOcid, partition, CreateCursorDetails.Type.AtOffset, readAfterOffset + 1);
            } catch (BmcException e) {
                if (e.getStatusCode() != 400 && e.getStatusCode() != 404) {
                    throw e;
                }
                // the offset is not (or no longer) in the partition: start at the oldest retained message
                cursor = cursor(streamOcid, partition, CreateCursorDetails.Type.TrimHorizon, null);
                trimmed = true;
            }
        }

        List<Message> collected = new ArrayList<>(Math.min(count, 1000));
        boolean endNow = false;
        while (collected.size() < count) {
            GetMessagesResponse r = get(streamOcid, cursor, count - collected.size());
            cursor = r.getOpcNextCursor();
            if (r.getItems() == null || r.getItems().isEmpty()) {
                endNow = true;
                break;
            }
            collected.addAll(r.getItems());
            if (cursor == null) {
                endNow = true;
                break;
            }
        }
        if (trimmed && !collected.isEmpty() && collected.get(0).getOffset() <= readAfterOffset) {
            // refused for being past the end, not for being trimmed: there is nothing after readAfterOffset yet.
            // Starting over at the oldest message would replay the whole partition.
            return new Read(List.of(), true, false);
        }
        if (!collected.isEmpty() && readAfterOffset >= 0 && collected.get(0).getOffset() > readAfterOffset + 1) {
            // emulators and services differ: some start a trimmed AT_OFFSET cursor at the oldest message
            trimmed = true;
        }

        // first message appended after the call began, if any
        GetMessagesResponse probe = get(streamOcid, tipCursor, 1);
        Long firstAfterStart = probe.getItems() == null || probe.getItems().isEmpty() ? null
                : probe.getItems().get(0).getOffset();
        boolean reachedTip;
        if (firstAfterStart != null) {
            collected.removeIf(m -> m.getOffset() >= firstAfterStart);
            long next = collected.isEmpty() ? readAfterOffset + 1 : collected.get(collected.size() - 1).getOffset() + 1;
            reachedTip = next >= firstAfterStart;
        } else if (endNow) {
            reachedTip = true; // nothing was appended since the call began and the partition's end was read
        } else {
            // exactly count were read: the end is reached only if nothing follows them
            GetMessagesResponse peek = cursor == null ? null : get(streamOcid, cursor, 1);
            reachedTip = peek == null || peek.getItems() == null || peek.getItems().isEmpty();
        }
        return new Read(collected, reachedTip, trimmed);
    }

    private String cursor(String stream, String partition, CreateCursorDetails.Type type, Long offset) {
        CreateCursorDetails.Builder d = CreateCursorDetails.builder().partition(partition).type(type);
        if (offset != null) {
            d.offset(offset);
        }
        return client.createCursor(CreateCursorRequest.builder().streamId(stream).createCursorDetails(d.build())
                .build()).getCursor().getValue();
    }

    private GetMessagesResponse get(String stream, String cursor, int limit) {
        return client.getMessages(GetMessagesRequest.builder().streamId(stream).cursor(cursor)
                .limit(Math.min(limit, RetryRequestReader.MAX_MESSAGES)).build());
    }
}
