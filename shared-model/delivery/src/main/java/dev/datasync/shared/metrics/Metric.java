package dev.datasync.shared.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One figure a function publishes to OCI Monitoring (namespace {@code datasync}): a count or gauge over its
 * invocation, with its dimensions (at least one: Monitoring refuses a metric without any). {@code count}: how many
 * observations had this value (Monitoring's datapoint {@code count}), e.g. calls of the same latency.
 */
public record Metric(String name, Map<String, String> dimensions, double value, Instant at, int count) {

    public Metric(String name, Map<String, String> dimensions, double value, Instant at) {
        this(name, dimensions, value, at, 1);
    }

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        dimensions = Map.copyOf(dimensions);
        if (dimensions.isEmpty()) {
            throw new IllegalArgumentException("a metric needs at least one dimension: " + name);
        }
        if (count < 1) {
            throw new IllegalArgumentException("a datapoint's count is at least 1: " + name);
        }
    }
}
