package dev.datasync.shared.delivery;

import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;

import java.time.Clock;
import java.time.Duration;

/**
 * Delivers one message: guard check, token, then attempts with backoff while the outcome is transient (429, 502,
 * 503, 504, network, time-out), bounded by {@code delivery_max_attempts} and by the {@link Deadline}. Thread-safe;
 * shared by all lanes of a batch.
 */
public final class MessageDelivery {

    /** Below this much time left an attempt is not worth starting: the message is routed instead. */
    static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(50);

    private final TargetCaller caller;
    private final TokenSource tokens;
    private final TargetCheck targetCheck;
    private final DeliverySettings settings;
    private final FullJitterBackoff backoff;
    private final Clock clock;
    private final JsonLog log;

    public MessageDelivery(TargetCaller caller, TokenSource tokens, TargetCheck targetCheck,
                           DeliverySettings settings, FullJitterBackoff backoff, Clock clock, JsonLog log) {
        this.caller = caller;
        this.tokens = tokens;
        this.targetCheck = targetCheck;
        this.settings = settings;
        this.backoff = backoff;
        this.clock = clock;
        this.log = log;
    }

    public DeliveryOutcome deliver(DeliveryRequest r, Source source, Deadline deadline) {
        Failure refusal = targetCheck.refusal(r.target(), r.sourceId());
        if (refusal != null) {
            return failed(r, source, 0, refusal);
        }
        String token = null;
        if (r.vaultSecretName() != null) {
            try {
                token = tokens.token(r.sourceId(), r.vaultSecretName());
            } catch (TokenUnavailableException e) {
                return failed(r, source, 0,
                        Failure.of(e.permanent() ? FailureKind.INVALID : FailureKind.NETWORK, e.getMessage()));
            }
        }
        int attempts = 0;
        Failure last = null;
        while (true) {
            Duration remaining = deadline.remaining();
            if (remaining.compareTo(MIN_ATTEMPT_TIME) < 0) {
                if (last == null) {
                    Source.describe(log.warn("delivery.not_started").syncId(r.syncId())
                            .targetHost(r.target().getHost()).reason("function time ran out before the call"),
                            source).write();
                    return DeliveryOutcome.notStarted(clock.instant());
                }
                return failed(r, source, attempts, last);
            }
            Duration timeout = remaining.compareTo(settings.requestTimeout()) < 0 ? remaining
                    : settings.requestTimeout();
            attempts++;
            long start = System.nanoTime();
            AttemptResult result = caller.call(r, token, timeout);
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            Duration retryAfter = null;
            if (result instanceof AttemptResult.Answered a) {
                if (a.status() >= 200 && a.status() < 300) {
                    Source.describe(log.info("delivery.delivered").syncId(r.syncId()).targetHost(r.target().getHost())
                            .status(a.status()).attempt(attempts).latencyMs(latencyMs), source).write();
                    return DeliveryOutcome.delivered(attempts, clock.instant());
                }
                logAttempt(r, source, attempts, latencyMs).status(a.status()).write();
                last = Failure.status(a.status(), a.status() >= 300 && a.status() < 400
                        ? "HTTP " + a.status() + " (redirects are not followed)" : "HTTP " + a.status());
                retryAfter = a.retryAfter();
            } else {
                last = ((AttemptResult.NotAnswered) result).failure();
                logAttempt(r, source, attempts, latencyMs).reason(last.reason()).write();
            }
            if (!last.transientFailure() || attempts >= settings.maxAttempts()) {
                return failed(r, source, attempts, last);
            }
            Duration wait = backoff.delay(attempts, retryAfter);
            if (wait.plus(MIN_ATTEMPT_TIME).compareTo(deadline.remaining()) > 0) {
                // the wait (e.g. a long Retry-After) does not fit in the time left: route now, replay later
                return failed(r, source, attempts, last);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(r, source, attempts, last);
            }
        }
    }

    private JsonLog.Entry logAttempt(DeliveryRequest r, Source source, int attempt, long latencyMs) {
        JsonLog.Entry e = log.warn("delivery.attempt").syncId(r.syncId()).targetHost(r.target().getHost())
                .attempt(attempt).latencyMs(latencyMs);
        return Source.describe(e, source);
    }

    private DeliveryOutcome failed(DeliveryRequest r, Source source, int attempts, Failure f) {
        JsonLog.Entry e = log.warn("delivery.failed").syncId(r.syncId()).targetHost(r.target().getHost())
                .attempt(attempts).code(f.kind() != null ? f.kind().selector() : null).reason(f.reason());
        if (f.status() != null) {
            e.status(f.status());
        }
        Source.describe(e, source).write();
        return DeliveryOutcome.failed(attempts, f, clock.instant());
    }
}
