package dev.datasync.shared.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: the wait before retry n (n = 1 after the first attempt) is uniform in
 * [0, min(max, base * 2^(n-1))]. Full jitter spreads the retries of a whole batch that failed together, so the
 * target is not hit by a synchronised wave. A target's Retry-After replaces the computed wait (it may be longer than
 * {@code max}; the caller still bounds it by the time the function has left).
 */
public final class FullJitterBackoff {

    private final Duration base;
    private final Duration max;
    private final LongUnaryOperator random;

    public FullJitterBackoff(Duration base, Duration max) {
        this(base, max, bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** @param random returns a value uniform in [0, bound] (a seam for tests) */
    FullJitterBackoff(Duration base, Duration max, LongUnaryOperator random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** Wait before the retry that follows attempt {@code attemptsMade}, honouring {@code retryAfter} if given. */
    public Duration delay(int attemptsMade, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        return Duration.ofMillis(random.applyAsLong(ceilingMillis(attemptsMade)));
    }

    long ceilingMillis(int attemptsMade) {
        int shift = Math.min(Math.max(attemptsMade - 1, 0), 30);
        long exp = base.toMillis() << shift;
        return Math.min(max.toMillis(), exp < 0 ? Long.MAX_VALUE : exp);
    }
}
