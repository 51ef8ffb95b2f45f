package dev.datasync.local.gateway;

import dev.datasync.local.identity.SourceRecord;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each source's rate limit ({@code ratePerSecond} of its record), as the OCI sync deployment's usage plan enforces
 * it: {@code ratePerSecond} requests per one-second window (resilience4j's lock-free {@link AtomicRateLimiter}),
 * never waiting for a permit. A rate changed in {@code sources.json} applies from the next window.
 */
final class SourceRateLimits {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final Map<String, AtomicRateLimiter> limiters = new ConcurrentHashMap<>();

    /** Empty when admitted; else the whole seconds until a request may be admitted again (at least 1). */
    OptionalLong acquire(SourceRecord source) {
        AtomicRateLimiter limiter = limiters.computeIfAbsent(source.id(), id -> new AtomicRateLimiter(
                "source-" + id, RateLimiterConfig.custom().limitForPeriod(source.ratePerSecond())
                .limitRefreshPeriod(WINDOW).timeoutDuration(Duration.ZERO).build()));
        if (limiter.getRateLimiterConfig().getLimitForPeriod() != source.ratePerSecond()) {
            limiter.changeLimitForPeriod(source.ratePerSecond());
        }
        if (limiter.acquirePermission()) {
            return OptionalLong.empty();
        }
        long nanos = limiter.getDetailedMetrics().getNanosToWait();
        return OptionalLong.of(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }
}
