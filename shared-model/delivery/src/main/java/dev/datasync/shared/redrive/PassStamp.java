package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.routing.DeadLetterReason;
import dev.datasync.shared.routing.FailureStamp;

import java.time.Instant;
import java.util.Optional;

/**
 * What a message the redrive tried and did not deliver gets. It stays in the stream it was read from with one more
 * {@code redriveCount} and the next slot as {@code nextAttemptAt} — unless that was its last slot
 * ({@link DeadLetterReason#SCHEDULE_EXHAUSTED}) or it is now {@code redrive_max_age} old
 * ({@link DeadLetterReason#MAX_AGE}): then it goes to the DeadLetterStream.
 * <ul>
 * <li>A try is a call to the target. A message the target was not called for — its circuit breaker is open, its
 * pause outlasts the invocation, its token could not be read — waits for the same slot again without using it up:
 * an open breaker (30 s by default) would otherwise burn a short schedule without a single call.</li>
 * <li>A message the pass did not get to (the deadline came first, or it was held back behind a failure of its key)
 * keeps its schedule: it is still due. A held-back one past {@code redrive_max_age} is dead-lettered
 * ({@link DeadLetterReason#MAX_AGE}) all the same, so no hold can keep a message for ever.</li>
 * <li>A message whose failure now routes it to the unrecoverable stream goes there, without a next attempt.</li>
 * <li>A delayed message ({@link DelayStamp}) waits for its deliverAfter without using a slot; its first try when due
 * is its first attempt: failing it starts the schedule at the first slot, its max age counted from deliverAfter.</li>
 * </ul>
 */
final class PassStamp implements FailureStamp {

    private final RedriveSchedule schedule;
    private final String stream;

    /** @param stream the stream the pass reads (and re-appends to) */
    PassStamp(RedriveSchedule schedule, String stream) {
        this.schedule = schedule;
        this.stream = stream;
    }

    @Override
    public String stamp(ObjectNode envelope, String routedTo, DeliveryOutcome outcome) {
        if (!routedTo.equals(stream)) {
            envelope.remove(PipelineFields.NEXT_ATTEMPT_AT);
            return routedTo;
        }
        Instant now = outcome.at();
        if (outcome.heldBack() && schedule.aged(RedriveSchedule.firstFailedAt(envelope, now), now)) {
            // held for its whole max age: its blocker, older still, is normally gone by now; a hold that outlives
            // the max age (a blocker nobody will settle) must not keep the message out of the DeadLetterStream
            DeadLetterReason.MAX_AGE.mark(envelope, now);
            return schedule.settings().deadLetterStream();
        }
        if (DelayStamp.delays(outcome)) {
            // read before its deliverAfter (a clock behind the pass's, or a manual replay): it waits again
            DelayStamp.stamp(envelope, outcome);
            return routedTo;
        }
        if (outcome.notStarted() || outcome.heldBack()) {
            return routedTo;
        }
        // the first try of a delayed message is its first attempt, not a redrive try: its schedule starts now
        int tries = DelayStamp.firstTryAfterDelay(envelope, outcome) ? 0
                : RedriveSchedule.redriveCount(envelope) + (outcome.attempts() > 0 ? 1 : 0);
        envelope.put(PipelineFields.REDRIVE_COUNT, tries);
        Instant first = RedriveSchedule.firstFailedAt(envelope, now);
        if (schedule.aged(first, now)) {
            DeadLetterReason.MAX_AGE.mark(envelope, now);
            return schedule.settings().deadLetterStream();
        }
        Optional<Instant> next = schedule.nextAttempt(tries, now, first);
        if (next.isEmpty()) {
            DeadLetterReason.SCHEDULE_EXHAUSTED.mark(envelope, now);
            return schedule.settings().deadLetterStream();
        }
        envelope.put(PipelineFields.NEXT_ATTEMPT_AT, next.get().toString());
        return routedTo;
    }
}
