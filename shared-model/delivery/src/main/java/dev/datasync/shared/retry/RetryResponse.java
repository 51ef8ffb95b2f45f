package dev.datasync.shared.retry;

/**
 * Answer of POST /stream/retry. The first four fields are the public contract's
 * (docs/examples/retry-response.json), names unchanged:
 * {@code lastReadOffset} (pass it as the next readAfterOffset), {@code processedmessages} (delivered),
 * {@code failedMessages} (not delivered again), {@code endOfStream} (the partition's end as it was when the call
 * began has been read). Added detail: {@code routedMessages} (failures appended to another error stream),
 * {@code leftInPlaceMessages} (failures whose route is the retried stream itself: they stay at their offsets rather
 * than being appended again, which would make a "loop until endOfStream" endless while a target is down) and
 * {@code offsetTrimmed} (readAfterOffset + 1 was no longer retained; reading started at the oldest message).
 */
public record RetryResponse(long lastReadOffset,
                            int processedmessages,
                            int failedMessages,
                            boolean endOfStream,
                            int routedMessages,
                            int leftInPlaceMessages,
                            boolean offsetTrimmed) {
}
