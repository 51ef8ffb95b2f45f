package dev.datasync.shared.retry;

/**
 * Answer of POST /stream/retry. The first four fields are the public contract's
 * (docs/examples/retry-response.json), names unchanged:
 * {@code lastReadOffset} (pass it as the next readAfterOffset), {@code processedmessages} (delivered),
 * {@code failedMessages} (not delivered again), {@code endOfStream} (the partition's end as it was when the call
 * began has been read). Added detail: {@code routedMessages} (failures appended to another error stream),
 * {@code leftInPlaceMessages} (failures whose route is the retried stream itself: they stay at their offsets rather
 * than being appended again, which would make a "loop until endOfStream" endless while a target is down),
 * {@code offsetTrimmed} (readAfterOffset + 1 was no longer retained; reading started at the oldest message),
 * {@code alreadyDeliveredMessages} (read, but an earlier replay or the redrive pass already delivered them: not sent
 * again) and {@code alreadyMovedMessages} (read, but an earlier replay or redrive already moved them elsewhere —
 * another error stream, further on in this one, or the dead-letter stream — where their copy is: not sent or
 * appended again), {@code filteredMessages} (dropped by their source's filter rule: settled, counted in
 * processedmessages too, sent nowhere). Every message read up to {@code lastReadOffset} is in exactly one of
 * processedmessages, failedMessages, alreadyDeliveredMessages and alreadyMovedMessages.
 */
public record RetryResponse(long lastReadOffset,
                            int processedmessages,
                            int failedMessages,
                            boolean endOfStream,
                            int routedMessages,
                            int leftInPlaceMessages,
                            boolean offsetTrimmed,
                            int alreadyDeliveredMessages,
                            int alreadyMovedMessages,
                            int filteredMessages) {
}
