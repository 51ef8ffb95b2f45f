package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;

import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.shared.retry.UnknownPartitionException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads exactly up to {@code count} messages of one partition after an offset, bounded by the partition's end as it
 * was when the read began, and hands them over page by page: each GetMessages page goes to the caller (delivered
 * and routed) before the next one is read, so a call holds one page at a time, not all {@code count} messages
 * (10,000 × up to 1 MB).
 * <ul>
 * <li>The start is an AT_OFFSET cursor at {@code readAfterOffset + 1} (TRIM_HORIZON for -1). An offset no longer
 * retained starts at the oldest message, and says so.</li>
 * <li>GetMessages is asked for at most what is still missing (never count + 1) and followed through
 * {@code opc-next-cursor}: a short read is not the end (GetMessages may return fewer than asked while more
 * remain).</li>
 * <li>Page size: the first page asks for at most {@link #FIRST_PAGE_LIMIT} messages; later ones for as many as fit
 * in {@link #PAGE_BYTES} at the size of the largest message seen so far (at least {@link #MIN_ASSUMED_BYTES} each).
 * GetMessages has no byte limit of its own to ask for, so a page stays within the budget as long as messages do not
 * suddenly grow far beyond those already seen.</li>
 * <li>The tip: a LATEST cursor is created before anything is read; the first message it later yields is the first
 * one appended after the call began. Until that is known it is probed after every page read, before the page is
 * handed over: messages from there on are not part of this call (so messages routed back into the same stream are
 * never read again in the same call), and the end is reached when everything before it has been read.</li>
 * </ul>
 */
public final class PartitionReader {

    /** Bytes (keys and values) one page is meant to hold. */
    static final long PAGE_BYTES = 16L * 1024 * 1024;
    /** The first page's limit: at OCI's 1 MB per message it stays within {@link #PAGE_BYTES}. */
    public static final int FIRST_PAGE_LIMIT = 16;
    /** Smallest per-message size assumed when sizing a page, so a few tiny messages do not open a 10,000 page. */
    static final int MIN_ASSUMED_BYTES = 4 * 1024;

    /** Everything read at once (for small reads and tests; {@link RetryService} uses the paged form). */
    public record Read(List<Message> messages, boolean reachedTip, boolean offsetTrimmed) {
    }

    /**
     * What a paged read came to: {@code handedOver} messages went to the handler; {@code stopped}: the handler
     * asked to stop (then {@code reachedTip} is false: whether more remained was not looked at).
     */
    public record Result(int handedOver, boolean reachedTip, boolean offsetTrimmed, boolean stopped) {
    }

    /** Takes one page (offset order, never empty); returns false to stop reading. */
    @FunctionalInterface
    public interface PageHandler {
        boolean accept(List<Message> page);
    }

    private final Stream client;

    public PartitionReader(Stream client) {
        this.client = client;
    }

    public Read read(String streamOcid, String partition, long readAfterOffset, int count) {
        List<Message> all = new ArrayList<>();
        Result r = read(streamOcid, partition, readAfterOffset, count, page -> {
            all.addAll(page);
            return true;
        });
        return new Read(all, r.reachedTip(), r.offsetTrimmed());
    }

    /**
     * @throws UnknownPartitionException when the stream has no such partition (Streaming refuses a LATEST cursor on
     *                                    it with 400: nothing else in that request can be wrong)
     * @throws BmcException when Streaming cannot be read
     */
    public Result read(String streamOcid, String partition, long readAfterOffset, int count, PageHandler handler) {
        String tipCursor;
        try {
            tipCursor = cursor(streamOcid, partition, CreateCursorDetails.Type.Latest, null);
        } catch (BmcException e) {
            if (e.getStatusCode() == 400) {
                throw new UnknownPartitionException(partition, e);
            }
            throw e;
        }
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

        Long firstAfterStart = null; // first offset appended after the call began, once known
        int handed = 0;
        long next = readAfterOffset + 1; // offset after the last one handed over
        long largest = 0;
        boolean firstPage = true;
        int limit = Math.min(count, FIRST_PAGE_LIMIT);
        while (handed < count) {
            GetMessagesResponse r = get(streamOcid, cursor, Math.min(limit, count - handed));
            List<Message> page = r.getItems() == null ? List.of() : r.getItems();
            if (page.isEmpty()) {
                return new Result(handed, true, trimmed, false); // the partition's end, nothing appended since
            }
            if (firstPage) {
                firstPage = false;
                if (trimmed && page.get(0).getOffset() <= readAfterOffset) {
                    // refused for being past the end, not for being trimmed: there is nothing after readAfterOffset
                    // yet. Starting over at the oldest message would replay the whole partition.
                    return new Result(0, true, false, false);
                }
                if (readAfterOffset >= 0 && page.get(0).getOffset() > readAfterOffset + 1) {
                    // emulators and services differ: some start a trimmed AT_OFFSET cursor at the oldest message
                    trimmed = true;
                }
            }
            if (page.size() > count - handed) {
                page = page.subList(0, count - handed);
            }
            if (firstAfterStart == null) {
                firstAfterStart = firstAppendedAfterStart(streamOcid, tipCursor);
            }
            boolean tipInPage = false;
            if (firstAfterStart != null) {
                int keep = 0;
                while (keep < page.size() && page.get(keep).getOffset() < firstAfterStart) {
                    keep++;
                }
                tipInPage = keep < page.size();
                page = page.subList(0, keep);
            }
            if (!page.isEmpty()) {
                handed += page.size();
                next = page.get(page.size() - 1).getOffset() + 1;
                for (Message m : page) {
                    largest = Math.max(largest, bytes(m));
                }
                if (!handler.accept(page)) {
                    return new Result(handed, false, trimmed, true);
                }
            }
            if (tipInPage || (firstAfterStart != null && next >= firstAfterStart)) {
                return new Result(handed, true, trimmed, false);
            }
            cursor = r.getOpcNextCursor();
            if (cursor == null) {
                return new Result(handed, firstAfterStart == null, trimmed, false);
            }
            limit = nextLimit(largest);
        }

        // exactly count were handed over: the end is reached only if nothing that was there at the start follows
        if (firstAfterStart == null) {
            firstAfterStart = firstAppendedAfterStart(streamOcid, tipCursor);
        }
        boolean reachedTip;
        if (firstAfterStart != null) {
            reachedTip = next >= firstAfterStart;
        } else {
            GetMessagesResponse peek = get(streamOcid, cursor, 1);
            reachedTip = peek.getItems() == null || peek.getItems().isEmpty();
        }
        return new Result(handed, reachedTip, trimmed, false);
    }

    /** How many messages the next page may ask for, given the largest message seen so far. */
    static int nextLimit(long largestSeen) {
        long per = Math.max(largestSeen, MIN_ASSUMED_BYTES);
        return (int) Math.max(1, Math.min(RetryRequestReader.MAX_MESSAGES, PAGE_BYTES / per));
    }

    private static long bytes(Message m) {
        return (m.getValue() == null ? 0 : m.getValue().length) + (m.getKey() == null ? 0 : m.getKey().length);
    }

    /** The offset of the first message the tip cursor yields (appended after the call began), or null for none. */
    private Long firstAppendedAfterStart(String stream, String tipCursor) {
        GetMessagesResponse probe = get(stream, tipCursor, 1);
        return probe.getItems() == null || probe.getItems().isEmpty() ? null : probe.getItems().get(0).getOffset();
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
