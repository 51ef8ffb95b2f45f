package dev.datasync.shared.log;

import java.util.List;

/**
 * The {@link LogFields#EVENT} names of the lines that tell one message's life, spelled once: the functions write
 * them (each with {@link LogFields#SYNC_ID}), and {@code ./datasync trace}, the gateway's {@code /admin/trace} and
 * the OCI Logging query of {@code docs/operations.md} read them. Renaming one breaks every reader: add, never
 * rename. What each becomes in a trace is in brackets.
 */
public final class LogEvents {

    /** Written to DataSyncStream with its syncId, stream, partition, offset and sourceId [accepted]. */
    public static final String ACCEPTED = "sync.accepted";
    /** One call that did not deliver: {@code status} or {@code code} (the failure kind), latencyMs [attempt]. */
    public static final String ATTEMPT = "delivery.attempt";
    /** The call that delivered it (2xx): status, latencyMs, attempt (calls so far) [attempt + delivered]. */
    public static final String DELIVERED = "delivery.delivered";
    /** Delivery gave up for this invocation (routed next): code = failure kind, attempt = calls made. */
    public static final String FAILED = "delivery.failed";
    /**
     * Placed in an error stream ({@code errorStreamId}); {@code outcome} {@code held} with {@code heldBehind} when it
     * waits behind an earlier message of its key [routed | held | deadLettered when the stream is DeadLetterStream].
     */
    public static final String ROUTED = "message.routed";
    /** A replayed message that failed again and stays where it was read [held when heldBehind is set]. */
    public static final String LEFT_IN_PLACE = "message.left_in_place";
    /** Read from an error stream by the automatic redrive and handed to delivery [redriven]. */
    public static final String REDRIVEN = "message.redriven";
    /** Read from an error stream by a manual replay ({@code /stream/retry}) and handed to delivery [replayed]. */
    public static final String REPLAYED = "message.replayed";
    /** Moved to DeadLetterStream by the redrive without a call; {@code code} = deadLetterReason [deadLettered]. */
    public static final String DEAD_LETTERED = "redrive.dead_lettered";
    /**
     * Dropped by its source's filter rule at delivery, with {@code rulesVersion}: a final state like delivered, in no
     * error stream [filtered].
     */
    public static final String FILTERED = "filtered";

    /**
     * The outcome callback of an ended message (delivered, deadLettered, unrecoverable: {@code outcome}) was
     * answered 2xx by its {@code callbackUrl}, after {@code attempt} calls [callback].
     */
    public static final String CALLBACK_DELIVERED = "callback.delivered";
    /**
     * The outcome callback was given up after its bounded attempts (or could not be sent: refused by the guard, no
     * time left); the message's own outcome stands [callback].
     */
    public static final String CALLBACK_FAILED = "callback.failed";

    /** Every name above. */
    public static final List<String> MESSAGE_LIFE = List.of(ACCEPTED, ATTEMPT, DELIVERED, FAILED, ROUTED,
            LEFT_IN_PLACE, REDRIVEN, REPLAYED, DEAD_LETTERED, FILTERED, CALLBACK_DELIVERED, CALLBACK_FAILED);

    private LogEvents() {
    }
}
