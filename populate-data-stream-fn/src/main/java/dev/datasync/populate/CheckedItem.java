package dev.datasync.populate;

import dev.datasync.shared.contract.StreamMessage;

/** One sync request after its checks: already answered (a rejecting {@link ItemAnswer}) or {@link Ready} to write. */
sealed interface CheckedItem permits ItemAnswer, CheckedItem.Ready {

    /**
     * A valid item waiting to be written to the data stream.
     *
     * @param key        the stream key (null or empty: written without key)
     * @param stored     the message as stored, with its syncId and receivedAt
     * @param value      {@code stored} as the bytes written
     * @param targetHost the target's host, for the log
     */
    record Ready(String key, StreamMessage stored, byte[] value, String targetHost) implements CheckedItem {
    }
}
