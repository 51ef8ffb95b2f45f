package dev.datasync.shared.delivery;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.AbstractLimit;

import java.time.Duration;

/**
 * The concurrency limit of one target, on concurrency-limits' {@link AbstractLimit} (the library's
 * {@code SimpleLimiter} applies it and counts the calls in flight). The algorithm is AIMD, as in the library's
 * {@link AIMDLimit} — one more call while the limit is in use, ×0.9 on a drop (a 429, a 503, a time-out) — fitted to
 * HTTP targets that refuse the calls beyond their capacity at once instead of slowing down. Measured against a
 * target that serves 4 calls at a time, plain AIMD had 6-18 % of the calls refused: it adds one on every success,
 * offering a 9th call right after each decrease, and each refused call of an overshoot lowers it by only 10 %.
 * Here:
 * <ul>
 *   <li>a call refused at once (a quick 429 or 503, not a time-out) shows that the target would not take the calls
 *   in flight when it started, itself included (give or take one: a later call may overtake it on the way). The
 *   limit drops to that at once, however many refusals one overshoot brings (each only ever lowers it);</li>
 *   <li>only the first drop of an episode applies the ×0.9 step; drops of calls that started before it add only
 *   their evidence;</li>
 *   <li>until the first drop the limit grows on every success, so a new target is found out within a few round
 *   trips; after it, at most once per {@link #PROBE_INTERVAL} (a target at its capacity sees about one refused
 *   probe a second). The interval runs from the last increase, so a limit knocked one below the capacity by a
 *   refusal that was only a near miss is back within the same second;</li>
 *   <li>it grows only while latency holds: a success slower than {@link #LATENCY_TOLERANCE} times the fastest recent
 *   one means the target is queueing calls, and more calls would only queue longer.</li>
 * </ul>
 */
final class RefusalAwareLimit extends AbstractLimit {

    /** How often, once a target has refused calls, the limit may probe one call higher. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** A success slower than this many times the fastest recent success does not raise the limit. */
    static final double LATENCY_TOLERANCE = 2.0;
    /** The fastest success is taken over the last one or two windows of this many successes. */
    private static final int RTT_WINDOW = 50;
    private static final double BACKOFF_RATIO = 0.9;

    private final int max;
    private final long slowAsDropNanos;
    /** No increase yet: compared by identity, never subtracted (nanoTime values may be anywhere). */
    private static final long NEVER = Long.MIN_VALUE;

    private long lastDecreaseNanos = NEVER;
    private long lastIncreaseNanos = NEVER;
    private boolean refused;
    private long fastestPrevious = Long.MAX_VALUE;
    private long fastestCurrent = Long.MAX_VALUE;
    private int windowSamples;

    /**
     * @param initial    the limit before anything is known of the target
     * @param max        the most calls in flight it may reach (the container's delivery concurrency)
     * @param slowAsDrop a call slower than this counts as a drop (the request time-out)
     */
    RefusalAwareLimit(int initial, int max, Duration slowAsDrop) {
        super(Math.max(1, Math.min(initial, max)));
        this.max = max;
        this.slowAsDropNanos = slowAsDrop.toNanos();
    }

    @Override
    protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
        int limit = getLimit();
        long now = startTime + rtt;
        if (didDrop || rtt > slowAsDropNanos) {
            // a drop that came back quickly was refused at the door (429/503): the calls in flight when it started
            // are more than the target takes. A time-out says less: every call times out on a dead target.
            boolean refusedAtOnce = rtt < slowAsDropNanos / 2;
            int evidence = refusedAtOnce ? Math.max(1, inflight) : limit;
            if (startTime < lastDecreaseNanos) {
                return Math.min(limit, evidence);
            }
            refused = true;
            lastDecreaseNanos = now;
            return Math.max(1, Math.min((int) (limit * BACKOFF_RATIO), evidence));
        }
        boolean latencyHolds = rtt <= LATENCY_TOLERANCE * fastestRecent(rtt);
        if (inflight * 2 < limit || !latencyHolds) {
            return limit; // not using its limit, or queueing: no evidence it can take more
        }
        if (refused && lastIncreaseNanos != NEVER && now - lastIncreaseNanos < PROBE_INTERVAL.toNanos()) {
            return limit;
        }
        if (limit >= max) {
            return limit;
        }
        lastIncreaseNanos = now;
        return limit + 1;
    }

    /** Records a success's latency; the fastest of this window and the one before. */
    private long fastestRecent(long rtt) {
        fastestCurrent = Math.min(fastestCurrent, rtt);
        if (++windowSamples >= RTT_WINDOW) {
            fastestPrevious = fastestCurrent;
            fastestCurrent = Long.MAX_VALUE;
            windowSamples = 0;
        }
        return Math.min(fastestPrevious, fastestCurrent);
    }
}
