package dev.datasync.shared.delivery;

import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.AttemptRecord;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.signing.WebhookSigner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The steps of delivering one message, which {@link BatchDelivery} schedules: {@link #start} (guard check, token),
 * then {@link #attempt}s while the outcome is transient (429, 502, 503, 504, network, time-out), bounded by
 * {@code delivery_max_attempts} and by the {@link Deadline}, with backoff between them — a message waiting for its
 * next attempt holds no worker. Every settled outcome is logged here. Thread-safe; shared by all batches.
 */
public final class MessageDelivery {

    /** Below this much time left an attempt is not worth starting: the message is routed instead. */
    static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(50);

    private final TargetCaller caller;
    private final TokenSource tokens;
    private final DeliverySigning signing;
    private final TargetCheck targetCheck;
    private final DeliverySettings settings;
    private final FullJitterBackoff backoff;
    private final Clock clock;
    private final JsonLog log;

    public MessageDelivery(TargetCaller caller, TokenSource tokens, TargetCheck targetCheck,
                           DeliverySettings settings, FullJitterBackoff backoff, Clock clock, JsonLog log) {
        this(caller, tokens, DeliverySigning.NONE, targetCheck, settings, backoff, clock, log);
    }

    /** @param signing which sources sign their deliveries, and with what */
    public MessageDelivery(TargetCaller caller, TokenSource tokens, DeliverySigning signing, TargetCheck targetCheck,
                           DeliverySettings settings, FullJitterBackoff backoff, Clock clock, JsonLog log) {
        this.caller = caller;
        this.tokens = tokens;
        this.signing = signing;
        this.targetCheck = targetCheck;
        this.settings = settings;
        this.backoff = backoff;
        this.clock = clock;
        this.log = log;
    }

    /** After {@link #start}: either the message is settled without a call, or it waits for its first call. */
    sealed interface Start {
    }

    record Settled(DeliveryOutcome outcome) implements Start {
    }

    record Ready(PendingCall call) implements Start {
    }

    /**
     * The checks before the first call: the SSRF guard again (its approved addresses pinned), then the token, then
     * the source's signer (a signing source's message is never sent unsigned).
     */
    Start start(DeliveryRequest r, Source source) {
        Clearance clearance = targetCheck.clear(r.target(), r.sourceId());
        if (!clearance.isCleared()) {
            return new Settled(failed(r, source, 0, clearance.refusal()));
        }
        String token = null;
        if (r.vaultSecretName() != null) {
            try {
                token = tokens.token(r.sourceId(), r.vaultSecretName());
            } catch (TokenUnavailableException e) {
                return new Settled(failed(r, source, 0,
                        Failure.of(e.permanent() ? FailureKind.INVALID : FailureKind.NETWORK, e.getMessage())));
            }
        }
        WebhookSigner signer;
        try {
            signer = signing.signerFor(r.sourceId());
        } catch (SigningUnavailableException e) {
            return new Settled(failed(r, source, 0, Failure.of(FailureKind.NETWORK, e.getMessage())));
        }
        return new Ready(new PendingCall(r, source, token, signer, clearance.addresses(), clock.instant()));
    }

    /**
     * One call through an admitted {@code permit}, which learns how it went. Returns the outcome when the message
     * is settled, or null when it is to be tried again at {@link PendingCall#notBefore()} (its backoff fits before
     * the deadline).
     */
    DeliveryOutcome attempt(PendingCall c, TargetControl.Permit permit, Deadline deadline) {
        DeliveryRequest r = c.request();
        Duration remaining = deadline.remaining();
        if (remaining.compareTo(MIN_ATTEMPT_TIME) < 0) {
            permit.abandon();
            return timeRanOut(c);
        }
        Duration timeout = remaining.compareTo(settings.requestTimeout()) < 0 ? remaining : settings.requestTimeout();
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        AttemptResult result = caller.call(r, c.token(), c.signer(), c.addresses(), timeout);
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        permit.complete(result);
        Duration retryAfter = null;
        Failure last;
        if (result instanceof AttemptResult.Answered a) {
            if (a.status() >= 200 && a.status() < 300) {
                c.attempted(AttemptRecord.answered(startedAt, a.status(), latencyMs), null);
                // DEBUG: one line per delivered message is not worth an OCI Logging line by default (log_level)
                Source.describe(log.debug(LogEvents.DELIVERED).syncId(r.syncId()).traceId(r.traceId())
                        .sourceId(r.sourceId())
                        .targetHost(r.target().getHost()).rulesVersion(r.rulesVersion())
                        .status(a.status()).attempt(c.attempts()).latencyMs(latencyMs), c.source()).write();
                return DeliveryOutcome.delivered(c.attempts(), clock.instant()).withCalls(c.calls());
            }
            last = Failure.status(a.status(), a.status() >= 300 && a.status() < 400
                    ? "HTTP " + a.status() + " (redirects are not followed)" : "HTTP " + a.status());
            c.attempted(AttemptRecord.answered(startedAt, a.status(), latencyMs), last);
            logAttempt(c, latencyMs).status(a.status()).write();
            retryAfter = a.retryAfter();
        } else {
            last = ((AttemptResult.NotAnswered) result).failure();
            c.attempted(AttemptRecord.unanswered(startedAt, last, latencyMs), last);
            logAttempt(c, latencyMs).code(last.kind() != null ? last.kind().selector() : null)
                    .reason(last.reason()).write();
        }
        if (!last.transientFailure() || c.attempts() >= settings.maxAttempts()) {
            return failed(c, last);
        }
        Duration wait = backoff.delay(c.attempts(), retryAfter);
        if (wait.plus(MIN_ATTEMPT_TIME).compareTo(deadline.remaining()) > 0) {
            // the wait (e.g. a long Retry-After) does not fit in the time left: route now, replay later
            return failed(c, last);
        }
        c.retryAt(clock.instant().plus(wait));
        return null;
    }

    /**
     * The deadline came while the message waited for a call: never called, nothing is known about it
     * ({@link DeliveryOutcome#notStarted}); called before, its last failure stands.
     */
    DeliveryOutcome timeRanOut(PendingCall c) {
        if (c.attempts() == 0) {
            Source.describe(log.warn("delivery.not_started").syncId(c.request().syncId())
                    .traceId(c.request().traceId())
                    .sourceId(c.request().sourceId()).targetHost(c.request().target().getHost())
                    .reason("function time ran out before the call"),
                    c.source()).write();
            return DeliveryOutcome.notStarted(clock.instant());
        }
        return failed(c, c.last());
    }

    /** The target's circuit breaker refused the call: routed as {@code circuitOpen}, with the calls made so far. */
    DeliveryOutcome circuitOpen(PendingCall c, String reason) {
        String why = c.last() == null ? reason : reason + "; after " + c.attempts() + " attempt(s), the last "
                + (c.last().status() != null ? "HTTP " + c.last().status() : c.last().kind().selector());
        DeliveryOutcome o = DeliveryOutcome.circuitOpen(c.attempts(), why, clock.instant()).withCalls(c.calls());
        logFailed(c.request(), c.source(), c.attempts(), o.failure());
        return o;
    }

    /**
     * The target is paused (Retry-After) until after the deadline: a message already called keeps its last
     * failure; one never called is routed as {@code targetPaused}, the way of the answer that paused the target.
     */
    DeliveryOutcome pausedPastDeadline(PendingCall c, TargetControl.Pause pause) {
        if (c.attempts() > 0) {
            return failed(c, c.last());
        }
        DeliveryOutcome o = DeliveryOutcome.targetPaused(pause.cause(), "not attempted: the target asked for a pause"
                + " (" + pause.cause().reason() + ") until " + pause.until() + ", after the invocation's deadline",
                clock.instant());
        logFailed(c.request(), c.source(), 0, o.failure());
        return o;
    }

    private JsonLog.Entry logAttempt(PendingCall c, long latencyMs) {
        JsonLog.Entry e = log.warn(LogEvents.ATTEMPT).syncId(c.request().syncId()).traceId(c.request().traceId())
                .sourceId(c.request().sourceId())
                .targetHost(c.request().target().getHost()).attempt(c.attempts()).latencyMs(latencyMs);
        return Source.describe(e, c.source());
    }

    private DeliveryOutcome failed(PendingCall c, Failure f) {
        return failed(c.request(), c.source(), c.attempts(), f).withCalls(c.calls());
    }

    private DeliveryOutcome failed(DeliveryRequest r, Source source, int attempts, Failure f) {
        logFailed(r, source, attempts, f);
        return DeliveryOutcome.failed(attempts, f, clock.instant());
    }

    private void logFailed(DeliveryRequest r, Source source, int attempts, Failure f) {
        JsonLog.Entry e = log.warn(LogEvents.FAILED).syncId(r.syncId()).traceId(r.traceId()).sourceId(r.sourceId())
                .targetHost(r.target().getHost()).rulesVersion(r.rulesVersion()).attempt(attempts)
                .code(f.kind() != null ? f.kind().selector() : null)
                .reason(f.reason());
        if (f.status() != null) {
            e.status(f.status());
        }
        Source.describe(e, source).write();
    }
}
