package dev.datasync.local.connector;

import java.time.Duration;

/**
 * When a batch is closed: at {@code maxMessages}, at {@code maxBytes} (sum of decoded values), or when
 * {@code maxWait} has passed since its first message — whichever comes first, as Service Connector Hub documents
 * for {@code batch_size_in_num} / {@code batch_size_in_kbs} / {@code batch_time_in_sec} and the Object Storage
 * target's rollover size and time.
 */
public record BatchPolicy(int maxMessages, long maxBytes, Duration maxWait) {
    public BatchPolicy {
        if (maxMessages < 1 || maxBytes < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
    }
}
