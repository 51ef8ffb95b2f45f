package dev.datasync.shared.retry;

import java.util.List;

/**
 * Reads up to {@code count} messages of one stream partition after an offset and hands them over page by page, so
 * a replay holds one page at a time. On OCI this is GetMessages through an AT_OFFSET cursor
 * ({@code dev.datasync.shared.oci.OciErrorStreamReader}); the retry logic needs nothing else of the SDK.
 */
public interface ErrorStreamReader {

    /**
     * @throws UnknownPartitionException when the stream has no such partition (nothing is handed over)
     * @throws StreamUnavailableException when the stream cannot be read; pages handed over before stay handed over
     */
    ReadResult read(String streamOcid, String partition, long readAfterOffset, int count, PageHandler handler);

    /** One stored message: its key (null for none), value and offset in the partition. */
    record StoredMessage(byte[] key, byte[] value, long offset) {
    }

    /**
     * What a paged read came to: {@code handedOver} messages went to the handler; {@code stopped}: the handler asked
     * to stop (then {@code reachedTip} is false: whether more remained was not looked at).
     */
    record ReadResult(int handedOver, boolean reachedTip, boolean offsetTrimmed, boolean stopped) {
    }

    /** Takes one page (offset order, never empty); returns false to stop reading. */
    @FunctionalInterface
    interface PageHandler {
        boolean accept(List<StoredMessage> page);
    }
}
