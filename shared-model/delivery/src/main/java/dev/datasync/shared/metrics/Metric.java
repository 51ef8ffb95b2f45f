package dev.datasync.shared.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One figure a function publishes to OCI Monitoring (namespace {@code datasync}): a count or gauge over its
 * invocation, with its dimensions (at least one: Monitoring refuses a metric without any).
 */
public record Metric(String name, Map<String, String> dimensions, double value, Instant at) {

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        dimensions = Map.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("a metric needs at least one dimension: " + name);
        }
    }
}
