package dev.datasync.shared.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The moment by which deliveries must be settled, derived from the function's own deadline ({@code Fn-Deadline})
 * minus a reserve for writing routed messages: a message whose delivery would run past it is routed instead, so
 * the invocation ends in time with every message accounted for.
 */
public record Deadline(Instant at, Clock clock) {

    public static Deadline of(Instant functionDeadline, Duration reserve, Clock clock) {
        return new Deadline(functionDeadline.minus(reserve), clock);
    }

    /**
     * The delivery deadline of a function invocation: a tenth of the time left (at least 1 s, at most 5 s) is kept
     * back from {@code Fn-Deadline} for writing routed messages once deliveries have settled.
     */
    public static Deadline forFunction(Instant functionDeadline, Clock clock) {
        if (functionDeadline == null) {
            // the FDK always sets Fn-Deadline; a missing one gets a short, safe budget rather than none
            functionDeadline = clock.instant().plus(Duration.ofSeconds(30));
        }
        Duration left = Duration.between(clock.instant(), functionDeadline);
        Duration reserve = left.dividedBy(10);
        if (reserve.compareTo(Duration.ofSeconds(1)) < 0) {
            reserve = Duration.ofSeconds(1);
        }
        if (reserve.compareTo(Duration.ofSeconds(5)) > 0) {
            reserve = Duration.ofSeconds(5);
        }
        return of(functionDeadline, reserve, clock);
    }

    public static Deadline in(Duration d) {
        Clock c = Clock.systemUTC();
        return new Deadline(c.instant().plus(d), c);
    }

    public Duration remaining() {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    public boolean passed() {
        return !clock.instant().isBefore(at);
    }
}
