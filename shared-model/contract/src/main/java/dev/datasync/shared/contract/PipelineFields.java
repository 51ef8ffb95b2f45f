package dev.datasync.shared.contract;

import java.util.Set;

/**
 * The fields the pipeline writes into a stored message ({@code syncId}, {@code receivedAt}, {@code sourceId}: set by
 * PopulateDataStream) and into its error-stream envelope (the rest: set by the delivering functions' routing). They
 * are never taken from a caller: {@link SyncRequestReader} drops every one of them from a sync request, so a caller
 * can neither choose its source, nor pose as a replayed message, nor forge delivery history.
 */
public final class PipelineFields {

    /** Calls made to the target so far, over every delivery and replay. */
    public static final String DELIVERY_ATTEMPTS = "deliveryAttempts";
    /** {@code {status | kind, reason, at}} of the last failed delivery. */
    public static final String LAST_ERROR = "lastError";
    /** {@code {stream, partition, offset}} the failed message was read from (not the source application). */
    public static final String SOURCE = "source";
    /** The last attempts (at most ten), each {@code {at, status | kind, latencyMs}}. */
    public static final String ATTEMPTS = "attempts";
    /** When the message first failed (first routed to an error stream). */
    public static final String FIRST_FAILED_AT = "firstFailedAt";
    /** When the redrive tries it next. */
    public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    /** Redrive passes that tried it so far: the slot of {@code redrive_schedule} it is at. */
    public static final String REDRIVE_COUNT = "redriveCount";
    /** The syncId of the undelivered earlier message of the same key it waits behind. */
    public static final String HELD_BEHIND = "heldBehind";
    /** Why it was dead-lettered: {@code maxAge}, {@code scheduleExhausted}, {@code corrupt}, {@code blockerDeadLettered}. */
    public static final String DEAD_LETTER_REASON = "deadLetterReason";
    /** When it was dead-lettered. */
    public static final String DEAD_LETTERED_AT = "deadLetteredAt";
    public static final String UNDECODABLE_VALUE = "undecodableValue";
    public static final String UNDECODABLE_VALUE_TRUNCATED = "undecodableValueTruncated";
    public static final String UNDECODABLE_JSON = "undecodableJson";
    public static final String VALUE_SHA256 = "valueSha256";
    public static final String VALUE_BYTES = "valueBytes";

    /** Every field the pipeline owns. */
    public static final Set<String> ALL = Set.of(StreamMessage.SYNC_ID, StreamMessage.RECEIVED_AT,
            StreamMessage.SOURCE_ID, DELIVERY_ATTEMPTS, LAST_ERROR, SOURCE, ATTEMPTS, FIRST_FAILED_AT, NEXT_ATTEMPT_AT,
            REDRIVE_COUNT, HELD_BEHIND, DEAD_LETTER_REASON, DEAD_LETTERED_AT, UNDECODABLE_VALUE,
            UNDECODABLE_VALUE_TRUNCATED, UNDECODABLE_JSON, VALUE_SHA256, VALUE_BYTES);

    private PipelineFields() {
    }
}
