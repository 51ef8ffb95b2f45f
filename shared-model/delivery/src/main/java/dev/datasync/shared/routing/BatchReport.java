package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.internal.DeliveryOutcome;

import java.util.List;

/**
 * What a batch came to: one outcome per message (batch order); {@code delivered} + {@code routed} +
 * {@code leftInPlace} = {@code settled}, the leading messages accounted for: the whole batch, except for
 * {@link BatchPipeline#processUntilTimeRunsOut}, which stops before the first message the deadline left untried.
 * {@code leftInPlace}: failures whose route is the stream they were read from (Retry), which stay at their offset
 * instead of being appended again.
 */
public record BatchReport(List<DeliveryOutcome> outcomes, int delivered, int routed, int leftInPlace, int settled) {

    public int failed() {
        return routed + leftInPlace;
    }
}
