package dev.datasync.shared.delivery;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * concurrency-limits' {@link AIMDLimit} (additive increase, multiplicative decrease on a drop: a 429, a 503 or a
 * time-out) paced for HTTP targets that refuse excess calls at once instead of slowing down. Plain AIMD adds one
 * to the limit on every successful call, so a target that serves exactly 8 calls at a time is offered a 9th call
 * right after each decrease: about one refused call per successful one. Two changes keep refusals rare:
 * <ul>
 *   <li>a drop of a call that started before the last decrease is not counted again: the calls of one overload
 *   episode lower the limit once, not once each;</li>
 *   <li>until the first drop the limit grows on every success (a new target is found out quickly); after it, at
 *   most once per {@link #PROBE_INTERVAL} (and not within one of a decrease), so a target at its capacity sees about one refused probe a second.</li>
 * </ul>
 * Samples arrive from several threads; they are applied one at a time.
 */
final class PacedAimdLimit implements Limit {

    /** How often, once a target has refused calls, the limit may probe one call higher. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final AIMDLimit aimd;
    private long lastDecreaseNanos = Long.MIN_VALUE;
    private long lastIncreaseNanos = Long.MIN_VALUE;
    private boolean refused;

    /**
     * @param initial    the limit before anything is known of the target
     * @param max        the most calls in flight it may reach (the container's delivery concurrency)
     * @param slowAsDrop a successful call slower than this counts as a drop (the request time-out)
     */
    PacedAimdLimit(int initial, int max, Duration slowAsDrop) {
        this.aimd = AIMDLimit.newBuilder()
                .minLimit(1)
                .initialLimit(Math.min(initial, max))
                .maxLimit(max)
                .backoffRatio(0.9)
                .timeout(slowAsDrop.toNanos(), TimeUnit.NANOSECONDS)
                .build();
    }

    @Override
    public int getLimit() {
        return aimd.getLimit();
    }

    @Override
    public void notifyOnChange(Consumer<Integer> consumer) {
        aimd.notifyOnChange(consumer);
    }

    @Override
    public synchronized void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
        long now = startTime + rtt;
        if (didDrop) {
            if (startTime < lastDecreaseNanos) {
                return; // the limit already went down for this episode
            }
            refused = true;
            aimd.onSample(startTime, rtt, inflight, true);
            lastDecreaseNanos = now;
            return;
        }
        // lastDecreaseNanos is set once refused: no overflow; the first probe comes an interval after a decrease
        if (refused && now - Math.max(lastIncreaseNanos, lastDecreaseNanos) < PROBE_INTERVAL.toNanos()) {
            return;
        }
        int before = aimd.getLimit();
        aimd.onSample(startTime, rtt, inflight, false);
        if (aimd.getLimit() > before) {
            lastIncreaseNanos = now;
        }
    }
}
