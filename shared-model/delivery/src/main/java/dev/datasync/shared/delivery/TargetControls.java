package dev.datasync.shared.delivery;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.log.JsonLog;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Per-target load control for the container: one {@link TargetControl} per target authority, made on first use
 * and kept for the container's life (what it learnt about a target serves the next batch).
 */
public final class TargetControls {

    /**
     * The calls a target nothing is known about gets at once. Few: a target that never answers holds that many
     * workers until its first time-outs (measured with 4, a dead target took an eighth of 32 workers from the
     * healthy ones for a whole request time-out); one that answers well doubles its limit every round trip (2, 4,
     * 8, 16, 32: four round trips to the whole container).
     */
    static final int INITIAL_LIMIT = 2;

    /** The state of one target, for logs, tests and benchmarks. */
    public record State(TargetAuthority authority, int limit, int inFlight, String breaker, Instant pausedUntil) {
    }

    private final ConcurrentMap<TargetAuthority, TargetControl> controls = new ConcurrentHashMap<>();
    private final Supplier<Limit> limits;
    private final TargetLimits rateCaps;
    private final BreakerSettings breaker;
    private final Clock clock;
    private final JsonLog log;

    private TargetControls(Supplier<Limit> limits, TargetLimits rateCaps, BreakerSettings breaker, Clock clock,
                           JsonLog log) {
        this.limits = limits;
        this.rateCaps = rateCaps;
        this.breaker = breaker;
        this.clock = clock;
        this.log = log;
        // loads the libraries' classes (concurrency-limits, resilience4j, vavr, SLF4J's binding search) while the
        // container starts, so that the first message's call does not wait for them
        create(new TargetAuthority("https", "class-loading.invalid", 443)).tryAdmit();
        RateLimiterConfig.ofDefaults();
    }

    /**
     * Each target's concurrency adapts to what it sustains ({@link RefusalAwareLimit}), up to the container's
     * {@code delivery_concurrency}.
     */
    public static TargetControls adaptive(DeliverySettings delivery, TargetLimits rateCaps, BreakerSettings breaker,
                                          Clock clock, JsonLog log) {
        int max = delivery.concurrency();
        return new TargetControls(() -> new RefusalAwareLimit(INITIAL_LIMIT, max, delivery.requestTimeout()), rateCaps,
                breaker, clock, log);
    }

    /** Every target may have {@code concurrency} calls in flight whatever it answers (for comparison). */
    public static TargetControls fixed(int concurrency, TargetLimits rateCaps, BreakerSettings breaker, Clock clock,
                                       JsonLog log) {
        return new TargetControls(() -> FixedLimit.of(concurrency), rateCaps, breaker, clock, log);
    }

    TargetControl of(TargetAuthority authority) {
        return controls.computeIfAbsent(authority, this::create);
    }

    /** Every target seen so far, in authority order. */
    public List<State> states() {
        return controls.values().stream()
                .map(c -> {
                    TargetControl.Pause p = c.pause();
                    return new State(c.authority(), c.limit(), c.inFlight(), c.breakerState(),
                            p == null ? null : p.until());
                })
                .sorted(Comparator.comparing(s -> s.authority().toString()))
                .toList();
    }

    private TargetControl create(TargetAuthority authority) {
        SimpleLimiter<Void> limiter = SimpleLimiter.newBuilder().named(authority.toString()).limit(limits.get())
                .build();
        return new TargetControl(authority, limiter, breakerFor(authority), breaker, rateCapFor(authority), clock,
                log);
    }

    private CircuitBreaker breakerFor(TargetAuthority authority) {
        if (!breaker.enabled()) {
            return null;
        }
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.window())
                // judged from half a window on: a target that fails every call is cut off after 5 calls (default),
                // which with its limit down to one call at a time after the first time-outs is 4 time-outs long
                .minimumNumberOfCalls(Math.max(2, breaker.window() / 2))
                .failureRateThreshold(breaker.failureRatePercent())
                .waitDurationInOpenState(breaker.open())
                .permittedNumberOfCallsInHalfOpenState(breaker.probes())
                .writableStackTraceEnabled(false)
                .build();
        CircuitBreaker cb = CircuitBreaker.of(authority.toString(), config);
        cb.getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            JsonLog.Entry line = to == CircuitBreaker.State.OPEN ? log.warn("target.circuit")
                    : log.info("target.circuit");
            line.targetHost(authority.host()).count("targetPort", authority.port())
                    .outcome(to.name().toLowerCase(Locale.ROOT))
                    .reason(e.getStateTransition().getFromState() + " -> " + to + ": "
                            + why(e.getStateTransition().getFromState(), to)).write();
        });
        return cb;
    }

    private String why(CircuitBreaker.State from, CircuitBreaker.State to) {
        if (from == CircuitBreaker.State.HALF_OPEN && to == CircuitBreaker.State.OPEN) {
            return "the probe calls failed; open again for " + breaker.open().toMillis() + " ms";
        }
        return switch (to) {
            case OPEN -> "at least " + breaker.failureRatePercent() + " % of the last calls failed ("
                    + String.join(", ", breaker.failures()) + "); its messages are routed as circuitOpen for "
                    + breaker.open().toMillis() + " ms";
            case HALF_OPEN -> "letting " + breaker.probes() + " probe calls through";
            case CLOSED -> "the probe calls succeeded";
            default -> "changed by hand";
        };
    }

    private AtomicRateLimiter rateCapFor(TargetAuthority authority) {
        OptionalDouble perSecond = rateCaps.perSecondFor(authority.host(), authority.port());
        if (perSecond.isEmpty()) {
            return null;
        }
        // one permit per period, no burst: the cap holds over any second, not only on average
        long periodNanos = Math.max(1, Math.round(1_000_000_000.0 / perSecond.getAsDouble()));
        RateLimiterConfig config = RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(Duration.ZERO)
                .build();
        return new AtomicRateLimiter(authority.toString(), config);
    }
}
