package dev.datasync.shared.delivery;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The load control of one target authority in this container: its concurrency limit (concurrency-limits
 * {@link SimpleLimiter}), its circuit breaker (resilience4j, absent when turned off), its rate cap (resilience4j
 * {@link AtomicRateLimiter}, absent without a {@code target_limits} entry) and its pause (a 429 or 503 with
 * {@code Retry-After}). Thread-safe: shared by every batch the container delivers.
 */
final class TargetControl {

    /** The longest pause a Retry-After can impose on a target (an absurd HTTP-date must not stop it for good). */
    static final Duration MAX_PAUSE = Duration.ofHours(1);

    /** The target asked not to be called before {@code until}; {@code cause} is the answer that asked. */
    record Pause(Instant until, Failure cause) {
    }

    /** What {@link #tryAdmit} decided for the next call. */
    sealed interface Admission {
    }

    /** The call may go: report how it went through the permit. */
    record Admitted(Permit permit) implements Admission {
    }

    /** The breaker refuses calls: the message is routed, not attempted. */
    record CircuitOpen(String reason) implements Admission {
    }

    /** The target has as many calls in flight as its limit allows. */
    record Busy() implements Admission {
    }

    /** The rate cap allows the next call after {@code waitFor}. */
    record RateLimited(Duration waitFor) implements Admission {
    }

    private static final Busy BUSY = new Busy();

    private final TargetAuthority authority;
    private final SimpleLimiter<Void> limiter;
    private final CircuitBreaker breaker;
    private final BreakerSettings breakerSettings;
    private final AtomicRateLimiter rate;
    private final Clock clock;
    private final JsonLog log;
    private volatile Pause pause;

    TargetControl(TargetAuthority authority, SimpleLimiter<Void> limiter, CircuitBreaker breaker,
                  BreakerSettings breakerSettings, AtomicRateLimiter rate, Clock clock, JsonLog log) {
        this.authority = authority;
        this.limiter = limiter;
        this.breaker = breaker;
        this.breakerSettings = breakerSettings;
        this.rate = rate;
        this.clock = clock;
        this.log = log;
    }

    TargetAuthority authority() {
        return authority;
    }

    /** The pause in force now, or null. */
    Pause pause() {
        Pause p = pause;
        return p != null && p.until().isAfter(clock.instant()) ? p : null;
    }

    /**
     * Asks for one call: the breaker first (an open breaker routes the message even while the target is busy),
     * then a concurrency permit, then the rate cap. Whatever was taken is given back when a later check refuses.
     */
    Admission tryAdmit() {
        if (breaker != null && !breaker.tryAcquirePermission()) {
            return new CircuitOpen(openReason());
        }
        Optional<Limiter.Listener> listener = limiter.acquire(null);
        if (listener.isEmpty()) {
            releaseBreakerPermission();
            return BUSY;
        }
        if (rate != null && !rate.acquirePermission(1)) {
            listener.get().onIgnore();
            releaseBreakerPermission();
            long nanos = Math.max(rate.getDetailedMetrics().getNanosToWait(), TimeUnit.MILLISECONDS.toNanos(1));
            return new RateLimited(Duration.ofNanos(nanos));
        }
        return new Admitted(new Permit(listener.get(), limiter.getInflight(), System.nanoTime()));
    }

    int limit() {
        return limiter.getLimit();
    }

    int inFlight() {
        return limiter.getInflight();
    }

    String breakerState() {
        return breaker == null ? "DISABLED" : breaker.getState().name();
    }

    private void releaseBreakerPermission() {
        if (breaker != null) {
            breaker.releasePermission();
        }
    }

    private String openReason() {
        String state = breaker.getState() == CircuitBreaker.State.HALF_OPEN
                ? "half-open, its probe calls are under way"
                : "open: at least " + breakerSettings.failureRatePercent() + " % of its last "
                + breakerSettings.window() + " calls failed (" + String.join(", ", breakerSettings.failures()) + ")";
        return "not attempted: the circuit breaker of " + authority + " is " + state;
    }

    private void pauseFor(Duration retryAfter, Failure cause) {
        Duration d = retryAfter.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : retryAfter;
        Instant until = clock.instant().plus(d);
        synchronized (this) {
            Pause current = pause;
            if (current != null && !until.isAfter(current.until())) {
                return;
            }
            pause = new Pause(until, cause);
        }
        log.warn("target.paused").targetHost(authority.host()).count("targetPort", authority.port())
                .status(cause.status()).durationMs(d.toMillis())
                .reason("Retry-After: no call to " + authority + " before " + until).write();
    }

    /**
     * One admitted call: its result is reported once, through {@link #complete} or {@link #abandon} (a second
     * report is ignored). Used by one thread at a time.
     */
    final class Permit {
        private final Limiter.Listener listener;
        private final int inFlightAtStart;
        private final long startNanos;
        private boolean reported;

        private Permit(Limiter.Listener listener, int inFlightAtStart, long startNanos) {
            this.listener = listener;
            this.inFlightAtStart = inFlightAtStart;
            this.startNanos = startNanos;
        }

        /**
         * Feeds the result to the limit (429, 503 and time-outs are drops, a refused connection says nothing
         * about load), the breaker (what {@code target_breaker_failures} counts) and the pause.
         * <p>
         * A 429 or 503 is first the limit's business: a live target at its capacity refuses the calls beyond it,
         * and the limit backs off. It counts for the breaker only when the target refused a call it got alone
         * (backing off did not help): a target finding its level, which may refuse half the calls of one round
         * trip, must not be cut off, while one that refuses everything reaches a limit of one within a few
         * calls and then opens the breaker.
         */
        void complete(AttemptResult result) {
            if (reported) {
                return;
            }
            long elapsed = System.nanoTime() - startNanos;
            if (result instanceof AttemptResult.Answered a) {
                reported = true;
                boolean overload = a.status() == 429 || a.status() == 503;
                if (overload) {
                    listener.onDropped();
                } else {
                    listener.onSuccess();
                }
                if (overload && inFlightAtStart > 1) {
                    releaseBreakerPermission(); // neither a failure nor a success: the target is finding its level
                } else {
                    recordInBreaker(elapsed, breakerSettings.countsStatus(a.status()));
                }
                if (overload && a.retryAfter() != null && a.retryAfter().compareTo(Duration.ZERO) > 0) {
                    pauseFor(a.retryAfter(), Failure.status(a.status(), "HTTP " + a.status() + " with Retry-After"));
                }
                return;
            }
            Failure f = ((AttemptResult.NotAnswered) result).failure();
            if (f.kind() == FailureKind.INVALID) {
                abandon(); // never sent: nothing was learnt about the target
                return;
            }
            reported = true;
            if (f.kind() == FailureKind.TIMEOUT) {
                listener.onDropped();
            } else {
                listener.onIgnore();
            }
            recordInBreaker(elapsed, f.kind() != null && breakerSettings.countsKind(f.kind()));
        }

        /** The call was not made after all (or failed unexpectedly): give the permits back without a sample. */
        void abandon() {
            if (reported) {
                return;
            }
            reported = true;
            listener.onIgnore();
            releaseBreakerPermission();
        }

        private void recordInBreaker(long elapsedNanos, boolean failed) {
            if (breaker == null) {
                return;
            }
            if (failed) {
                breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, CountedFailure.INSTANCE);
            } else {
                breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** What the breaker is told when a call failed in a counted way: one shared instance, no stack trace. */
    static final class CountedFailure extends RuntimeException {
        static final CountedFailure INSTANCE = new CountedFailure();

        private CountedFailure() {
            super("a call failed in a way target_breaker_failures counts", null, false, false);
        }
    }
}
