package dev.datasync.local.connector;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with equal jitter (half fixed, half random) between redeliveries of a failed batch. */
public record EqualJitterBackoff(Duration base, Duration max) {

    public long delayMillis(int failures) {
        long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(failures - 1, 20));
        // half fixed, half random: spreads retries but keeps a floor so a failing target is not hammered
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }
}
