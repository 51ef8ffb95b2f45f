package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.RedriveSettings;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.routing.FailureStamp;

import java.time.Instant;

/**
 * What a failure routed by ReadDataStream or by a manual replay gets: routed to a redriven stream, its
 * {@code nextAttemptAt} (the slot its {@code redriveCount} is at, counted from now; 0 for a first failure) and
 * {@code redriveCount}; routed anywhere else, no {@code nextAttemptAt} (nobody will redrive it there). A delayed
 * message (its deliverAfter ahead) gets its deliverAfter as {@code nextAttemptAt} ({@link DelayStamp}).
 */
public final class ScheduleStamp implements FailureStamp {

    private final RedriveSchedule schedule;

    public ScheduleStamp(RedriveSettings settings) {
        this.schedule = new RedriveSchedule(settings);
    }

    @Override
    public String stamp(ObjectNode envelope, String routedTo, DeliveryOutcome outcome) {
        if (!schedule.settings().redriven(routedTo)) {
            envelope.remove(PipelineFields.NEXT_ATTEMPT_AT);
            return routedTo;
        }
        if (DelayStamp.delays(outcome)) {
            DelayStamp.stamp(envelope, outcome);
            return routedTo;
        }
        Instant now = outcome.at();
        DelayStamp.firstTryAfterDelay(envelope, outcome); // tried now: it no longer waits for its deliverAfter
        int tries = RedriveSchedule.redriveCount(envelope);
        Instant first = RedriveSchedule.firstFailedAt(envelope, now);
        // past its last slot (a replayed message that had used them all): due now, dead-lettered if it fails again
        Instant next = schedule.nextAttempt(tries, now, first).orElse(now);
        envelope.put(PipelineFields.REDRIVE_COUNT, tries);
        envelope.put(PipelineFields.NEXT_ATTEMPT_AT, next.toString());
        return routedTo;
    }
}
