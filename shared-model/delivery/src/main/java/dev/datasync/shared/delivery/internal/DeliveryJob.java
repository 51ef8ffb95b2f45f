package dev.datasync.shared.delivery.internal;

import dev.datasync.shared.delivery.Source;

/**
 * One message of a batch, in batch order: either a {@link DeliveryRequest} to make, or — when the message could not
 * be decoded or validated — the {@code invalid} failure it is routed with instead. {@code orderingKey} is the
 * message's streamKey (null: no ordering constraint). {@code syncId} may be null for an undecodable message.
 */
public record DeliveryJob(String orderingKey, Source source, String syncId, DeliveryRequest request,
                          Failure invalid) {

    public DeliveryJob {
        if ((request == null) == (invalid == null)) {
            throw new IllegalArgumentException("a job has either a request or an invalid failure");
        }
    }

    public static DeliveryJob deliver(String orderingKey, Source source, DeliveryRequest request) {
        return new DeliveryJob(orderingKey, source, request.syncId(), request, null);
    }

    public static DeliveryJob invalid(String orderingKey, Source source, String syncId, Failure invalid) {
        return new DeliveryJob(orderingKey, source, syncId, null, invalid);
    }
}
