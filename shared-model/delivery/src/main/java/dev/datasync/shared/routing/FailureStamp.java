package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;

/**
 * The last word on a failed message before {@link BatchPipeline} appends it: adds the redrive's fields to its
 * envelope ({@code nextAttemptAt}, {@code redriveCount}, or the dead-letter fields) and says which stream it goes to
 * — the one its failure was routed to, or the DeadLetterStream when the redrive gives up on it. Decides from the
 * envelope and the outcome alone (its time is {@link DeliveryOutcome#at()}), so it is the same for a message's
 * whole and capped envelope.
 */
@FunctionalInterface
public interface FailureStamp {

    /** Adds nothing: the routed stream stands (a pipeline without redrive). */
    FailureStamp NONE = (envelope, routedTo, outcome) -> routedTo;

    /**
     * @param envelope the envelope as {@code RoutedEnvelope} built it (mutable)
     * @param routedTo the stream the failure's route names
     * @return the stream to append the envelope to
     */
    String stamp(ObjectNode envelope, String routedTo, DeliveryOutcome outcome);
}
