package dev.datasync.shared.delivery.internal;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.Source;

/**
 * One message of a batch, in batch order: a {@link DeliveryRequest} to make, or the failure it is settled with,
 * without a call ({@code notAttempted}): it could not be decoded or validated ({@link #invalid}), or an earlier
 * message of its key is still undelivered ({@link #held}); or nothing at all: its source's filter dropped it
 * ({@link #filtered}). {@code orderingKey} is the message's streamKey (null: no ordering constraint).
 * {@code syncId} may be null for an undecodable message.
 */
public record DeliveryJob(String orderingKey, Source source, String syncId, DeliveryRequest request,
                          Failure notAttempted, boolean filtered) {

    public DeliveryJob {
        int settledBy = (request != null ? 1 : 0) + (notAttempted != null ? 1 : 0) + (filtered ? 1 : 0);
        if (settledBy != 1) {
            throw new IllegalArgumentException("a job has a request, the failure it is settled with, or was filtered");
        }
    }

    public static DeliveryJob deliver(String orderingKey, Source source, DeliveryRequest request) {
        return new DeliveryJob(orderingKey, source, request.syncId(), request, null, false);
    }

    public static DeliveryJob invalid(String orderingKey, Source source, String syncId, Failure invalid) {
        return new DeliveryJob(orderingKey, source, syncId, null, invalid, false);
    }

    /** Not to be delivered, and no failure: its source's filter rule said false. */
    public static DeliveryJob filtered(String orderingKey, Source source, String syncId) {
        return new DeliveryJob(orderingKey, source, syncId, null, null, true);
    }

    /**
     * Not to be attempted: it was held behind {@code blocker}, which ended dead-lettered or unrecoverable, and it
     * ends with it ({@code held_on_dead_letter=deadLetter}).
     */
    public static DeliveryJob endsWithBlocker(String orderingKey, Source source, String syncId, String blocker) {
        return new DeliveryJob(orderingKey, source, syncId, null, Failure.of(FailureKind.HELD_BACK,
                "not attempted: held behind syncId " + blocker + ", which will never be delivered; it ends with it"),
                false);
    }

    /** Not to be attempted: {@code blocker}, an earlier message of its key, is still undelivered. */
    public static DeliveryJob held(String orderingKey, Source source, String syncId, String blocker) {
        return new DeliveryJob(orderingKey, source, syncId, null, Failure.of(FailureKind.HELD_BACK,
                "not attempted: held behind syncId " + blocker + ", an earlier message of its key still undelivered"),
                false);
    }

    /**
     * Not to be attempted yet: its {@code deliverAfter} is {@code until}, still ahead. Settled without a call (kind
     * {@code delayed}), routed to the delay stream to wait for it; like any undelivered message it holds back the
     * later messages of its key.
     */
    public static DeliveryJob delayed(String orderingKey, Source source, String syncId, java.time.Instant until) {
        return new DeliveryJob(orderingKey, source, syncId, null, Failure.of(FailureKind.DELAYED,
                "not attempted: deliverAfter " + until + " has not come yet"), false);
    }
}
