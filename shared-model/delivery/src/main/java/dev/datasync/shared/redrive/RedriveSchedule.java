package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.RedriveSettings;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.routing.internal.RoutedEnvelope;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a message is tried again, read from {@code redrive_schedule} and {@code redrive_max_age}: after
 * {@code tries} redrive tries the next one is slot {@code tries} later, but never later than
 * {@code firstFailedAt + redrive_max_age} (so the last try happens at the max age at the latest); after the last
 * slot there is none.
 */
final class RedriveSchedule {

    private final RedriveSettings settings;

    RedriveSchedule(RedriveSettings settings) {
        this.settings = settings;
    }

    RedriveSettings settings() {
        return settings;
    }

    /** The next try after {@code tries} tries, the last of them at {@code now}; empty when the schedule is over. */
    Optional<Instant> nextAttempt(int tries, Instant now, Instant firstFailedAt) {
        Optional<Duration> slot = settings.slot(tries);
        if (slot.isEmpty()) {
            return Optional.empty();
        }
        Instant next = now.plus(slot.get());
        Instant last = firstFailedAt.plus(settings.maxAge());
        return Optional.of(next.isAfter(last) && last.isAfter(now) ? last : next);
    }

    /** Whether a message that first failed at {@code firstFailedAt} is past its max age at {@code now}. */
    boolean aged(Instant firstFailedAt, Instant now) {
        return firstFailedAt != null && !now.isBefore(firstFailedAt.plus(settings.maxAge()));
    }

    /** The envelope's {@code redriveCount}, 0 when absent or malformed. */
    static int redriveCount(ObjectNode envelope) {
        JsonNode c = envelope.get(PipelineFields.REDRIVE_COUNT);
        return c != null && c.isIntegralNumber() && c.canConvertToInt() ? Math.max(0, c.asInt()) : 0;
    }

    /** The envelope's {@code firstFailedAt} ({@code RoutedEnvelope} always sets one), else {@code fallback}. */
    static Instant firstFailedAt(ObjectNode envelope, Instant fallback) {
        Instant first = RoutedEnvelope.instant(envelope.get(PipelineFields.FIRST_FAILED_AT));
        return first != null ? first : fallback;
    }
}
