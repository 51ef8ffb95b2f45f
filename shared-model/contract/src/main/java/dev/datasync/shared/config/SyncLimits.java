package dev.datasync.shared.config;

/**
 * Bounds on what POST /stream/sync accepts.
 * <p>
 * A stored message is not the largest thing the pipeline writes: when its delivery fails, the routed envelope
 * (the same message plus {@code deliveryAttempts}, {@code lastError}, {@code source}) goes to an error stream under
 * the same key. If that envelope were over OCI's per-message limit it could never be placed, and Service Connector
 * Hub would deliver the batch again forever. So the largest accepted message leaves {@link #ENVELOPE_HEADROOM_BYTES}
 * below OCI's limit, and the envelope's own fields are bounded to fit in it (see
 * the delivery module's {@code RoutedEnvelope.MAX_ADDED_BYTES}).
 */
public record SyncLimits(int maxBatchItems, int maxMessageBytes) {

    /** OCI Streaming's limit for one message, key and value together (1 MiB). */
    public static final int OCI_MESSAGE_BYTES = 1024 * 1024;

    /** Kept free below {@link #OCI_MESSAGE_BYTES} for the message key and the routed envelope's own fields. */
    public static final int ENVELOPE_HEADROOM_BYTES = 16 * 1024;

    /** The largest {@code sync_max_message_bytes} allowed, and its default: 1,032,192 bytes. */
    public static final int MAX_MESSAGE_BYTES = OCI_MESSAGE_BYTES - ENVELOPE_HEADROOM_BYTES;

    public SyncLimits {
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be within 1.." + MAX_MESSAGE_BYTES);
        }
    }
}
