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
    public static final String UNDECODABLE_VALUE = "undecodableValue";
    public static final String UNDECODABLE_VALUE_TRUNCATED = "undecodableValueTruncated";
    public static final String UNDECODABLE_JSON = "undecodableJson";
    public static final String VALUE_SHA256 = "valueSha256";
    public static final String VALUE_BYTES = "valueBytes";

    /** Every field the pipeline owns. */
    public static final Set<String> ALL = Set.of(StreamMessage.SYNC_ID, StreamMessage.RECEIVED_AT,
            StreamMessage.SOURCE_ID, DELIVERY_ATTEMPTS, LAST_ERROR, SOURCE, UNDECODABLE_VALUE,
            UNDECODABLE_VALUE_TRUNCATED, UNDECODABLE_JSON, VALUE_SHA256, VALUE_BYTES);

    private PipelineFields() {
    }
}
