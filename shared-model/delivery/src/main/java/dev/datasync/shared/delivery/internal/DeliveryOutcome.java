package dev.datasync.shared.delivery.internal;

import dev.datasync.shared.config.FailureKind;

import java.time.Instant;
import java.util.List;

/**
 * What happened to one message: delivered, or not with its {@link Failure} — what the routed envelope records as
 * {@code lastError}. {@code attempts} counts calls actually made to the target (0 for an invalid message, or one held
 * back behind an earlier failure of its key). {@code at} is when the outcome was settled. {@code routeBy} is the
 * failure that picks the error stream: the message's own, except for a held-back message, which follows its blocker.
 * {@code notStarted}: the function's time ran out before the message could be tried at all (see
 * {@link #notStarted}). {@code calls}: the calls made (as many as {@code attempts}) with their answer and latency,
 * for the envelope's {@code attempts}. {@code filtered}: its source's filter rule dropped it — not delivered, yet
 * settled without a failure: it goes to no error stream and holds back nothing ({@link #done()}).
 */
public record DeliveryOutcome(boolean delivered, int attempts, Failure failure, Instant at, Failure routeBy,
                      boolean notStarted, List<AttemptRecord> calls, boolean filtered) {

    public DeliveryOutcome {
        calls = calls == null ? List.of() : List.copyOf(calls);
    }

    public DeliveryOutcome(boolean delivered, int attempts, Failure failure, Instant at, Failure routeBy,
                           boolean notStarted, List<AttemptRecord> calls) {
        this(delivered, attempts, failure, at, routeBy, notStarted, calls, false);
    }

    public DeliveryOutcome(boolean delivered, int attempts, Failure failure, Instant at, Failure routeBy,
                           boolean notStarted) {
        this(delivered, attempts, failure, at, routeBy, notStarted, List.of(), false);
    }

    /** This outcome with the calls that led to it. */
    public DeliveryOutcome withCalls(List<AttemptRecord> made) {
        return new DeliveryOutcome(delivered, attempts, failure, at, routeBy, notStarted, made, filtered);
    }

    /** Dropped by its source's filter: nothing sent, nothing to route. */
    public static DeliveryOutcome filtered(Instant at) {
        return new DeliveryOutcome(false, 0, null, at, null, false, List.of(), true);
    }

    /** Nothing more to do with the message: delivered, or filtered out. */
    public boolean done() {
        return delivered || filtered;
    }

    public static DeliveryOutcome delivered(int attempts, Instant at) {
        return new DeliveryOutcome(true, attempts, null, at, null, false);
    }

    public static DeliveryOutcome failed(int attempts, Failure failure, Instant at) {
        return new DeliveryOutcome(false, attempts, failure, at, failure, false);
    }

    /**
     * The deadline came before the message's first call: nothing is known about it. ReadDataStream must settle
     * its whole batch, so it routes it like a time-out (recoverable); Retry, which can resume, stops before it
     * and leaves it for its next call instead of failing a message that was never tried.
     */
    public static DeliveryOutcome notStarted(Instant at) {
        Failure f = Failure.of(FailureKind.TIMEOUT, "function time ran out before the call");
        return new DeliveryOutcome(false, 0, f, at, f, true);
    }

    /**
     * A message not attempted because an earlier message with the same streamKey failed. Its own lastError says so
     * (kind {@code heldBack}, naming the blocker) — copying the blocker's status would make a message that was never
     * sent look like a real 400 — while it takes the blocker's route, so the key's order is kept in the error stream.
     */
    public static DeliveryOutcome heldBackBehind(DeliveryOutcome earlier, String earlierSyncId, Instant at) {
        Failure f = earlier.failure();
        String why = f.status() != null ? "HTTP " + f.status() : f.kind().selector();
        String reason = "not attempted: held back behind " + (earlierSyncId == null ? "an earlier message"
                : "syncId " + earlierSyncId) + " with the same streamKey, which was not delivered (" + why + ")";
        return new DeliveryOutcome(false, 0, Failure.of(FailureKind.HELD_BACK, reason), at, earlier.routeBy(), false);
    }

    /**
     * Not attempted (again) because the target's circuit breaker is open: lastError kind {@code circuitOpen},
     * routed by that kind. {@code attempts} counts the calls made before the breaker opened.
     */
    public static DeliveryOutcome circuitOpen(int attempts, String reason, Instant at) {
        return failed(attempts, Failure.of(FailureKind.CIRCUIT_OPEN, reason), at);
    }

    /**
     * Not attempted because the target asked for a pause ({@code Retry-After}) that ends after the deadline. Like a
     * held-back message, its own lastError says so (kind {@code targetPaused}) while it takes the route of the
     * answer that paused the target.
     */
    public static DeliveryOutcome targetPaused(Failure cause, String reason, Instant at) {
        return new DeliveryOutcome(false, 0, Failure.of(FailureKind.TARGET_PAUSED, reason), at, cause, false);
    }

    /** Not attempted because an earlier message of its key was not delivered (see {@link #heldBackBehind}). */
    public boolean heldBack() {
        return failure != null && failure.kind() == FailureKind.HELD_BACK;
    }
}
