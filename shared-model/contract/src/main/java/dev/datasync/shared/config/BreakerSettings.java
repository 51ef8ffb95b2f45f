package dev.datasync.shared.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The per-target circuit breaker ({@code target_breaker_*}): it opens when at least {@code failureRatePercent} of
 * the last {@code window} calls to a target failed in a way {@code failures} counts (100 % = a run of
 * {@code window} consecutive failures), stays open for {@code open}, then lets {@code probes} calls through
 * (half-open) and closes again when they succeed.
 *
 * @param failures selectors of the outcomes that count as failures: {@code network}, {@code timeout}, a status
 *                 ({@code 503}) or a class ({@code 5xx}); empty: the breaker never opens
 */
public record BreakerSettings(Set<String> failures, int failureRatePercent, int window, Duration open, int probes) {

    public static final List<String> DEFAULT_FAILURES = List.of("network", "timeout", "5xx");

    /** The defaults of func-configs/README.md: 50 % of the last 10 calls, open for 30 s, 3 probe calls. */
    public static final BreakerSettings DEFAULT = new BreakerSettings(new LinkedHashSet<>(DEFAULT_FAILURES), 50, 10,
            Duration.ofSeconds(30), 3);

    /** A breaker that never opens ({@code target_breaker_failures=none}). */
    public static final BreakerSettings OFF = new BreakerSettings(Set.of(), DEFAULT.failureRatePercent(),
            DEFAULT.window(), DEFAULT.open(), DEFAULT.probes());

    private static final Pattern EXACT = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern CLASS = Pattern.compile("[1-5]xx");

    public BreakerSettings {
        // kept in the configured order (log lines and reasons list them)
        failures = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(failures));
    }

    /** Whether the breaker can open at all ({@code target_breaker_failures=none} turns it off). */
    public boolean enabled() {
        return !failures.isEmpty();
    }

    /** Whether a call answered with {@code status} counts as a failure. */
    public boolean countsStatus(int status) {
        return failures.contains(Integer.toString(status)) || failures.contains((status / 100) + "xx");
    }

    /** Whether a call that got no answer, for this reason, counts as a failure. */
    public boolean countsKind(FailureKind kind) {
        return failures.contains(kind.selector());
    }

    static Set<String> parseFailures(List<String> selectors) {
        String key = ConfigKeys.TARGET_BREAKER_FAILURES;
        if (selectors.isEmpty()) {
            return new LinkedHashSet<>(DEFAULT_FAILURES);
        }
        if (selectors.size() == 1 && selectors.get(0).equalsIgnoreCase("none")) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String raw : selectors) {
            String s = raw.toLowerCase(Locale.ROOT);
            boolean known = s.equals(FailureKind.NETWORK.selector()) || s.equals(FailureKind.TIMEOUT.selector())
                    || EXACT.matcher(s).matches() || CLASS.matcher(s).matches();
            if (!known) {
                throw new ConfigException(key, "unknown selector '" + raw + "' (use network, timeout, a status like"
                        + " 503, a class like 5xx, or none alone)");
            }
            if (s.startsWith("2")) {
                throw new ConfigException(key, "'" + raw + "' is a success, not a failure");
            }
            out.add(s);
        }
        return out;
    }
}
