package dev.datasync.shared.routing;

import dev.datasync.shared.delivery.internal.DeliveryOutcome;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * What a batch came to: one outcome per message (batch order); {@code delivered} + {@code filtered} +
 * {@code routed} + {@code leftInPlace} = {@code settled}, the leading messages accounted for: the whole batch,
 * except for
 * {@link BatchPipeline#processUntilTimeRunsOut}, which stops before the first message the deadline left untried.
 * {@code leftInPlace}: failures whose route is the stream they were read from (Retry), which stay at their offset
 * instead of being appended again; {@code leftInPlaceAt} names them by batch index (a replay records every other
 * settled message as done with, see {@code dev.datasync.shared.replay.ReplayMarks}). {@code appendedTo}: per
 * message (batch order), the stream (OCID) it was appended to; null when it was delivered, left in place or not
 * settled. {@code filtered}: messages their source's filter rule dropped, settled without delivery or failure.
 */
public record BatchReport(List<DeliveryOutcome> outcomes, int delivered, int routed, Set<Integer> leftInPlaceAt,
                          int settled, List<String> appendedTo, int filtered) {

    public BatchReport {
        leftInPlaceAt = Set.copyOf(leftInPlaceAt);
        appendedTo = Collections.unmodifiableList(new ArrayList<>(appendedTo));
    }

    /** A report of a batch without filtered messages. */
    public BatchReport(List<DeliveryOutcome> outcomes, int delivered, int routed, Set<Integer> leftInPlaceAt,
                       int settled, List<String> appendedTo) {
        this(outcomes, delivered, routed, leftInPlaceAt, settled, appendedTo, 0);
    }

    /** Messages appended to {@code stream}. */
    public int routedTo(String stream) {
        return (int) appendedTo.stream().filter(stream::equals).count();
    }

    public int leftInPlace() {
        return leftInPlaceAt.size();
    }

    public int failed() {
        return routed + leftInPlace();
    }
}
