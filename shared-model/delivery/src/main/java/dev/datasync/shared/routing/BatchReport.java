package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.internal.DeliveryOutcome;

import java.util.List;
import java.util.Set;

/**
 * What a batch came to: one outcome per message (batch order); {@code delivered} + {@code routed} +
 * {@code leftInPlace} = {@code settled}, the leading messages accounted for: the whole batch, except for
 * {@link BatchPipeline#processUntilTimeRunsOut}, which stops before the first message the deadline left untried.
 * {@code leftInPlace}: failures whose route is the stream they were read from (Retry), which stay at their offset
 * instead of being appended again; {@code leftInPlaceAt} names them by batch index (a replay records every other
 * settled message as done with, see {@code dev.datasync.shared.replay.ReplayMarks}).
 */
public record BatchReport(List<DeliveryOutcome> outcomes, int delivered, int routed, Set<Integer> leftInPlaceAt,
                          int settled) {

    public BatchReport {
        leftInPlaceAt = Set.copyOf(leftInPlaceAt);
    }

    public int leftInPlace() {
        return leftInPlaceAt.size();
    }

    public int failed() {
        return routed + leftInPlace();
    }
}
