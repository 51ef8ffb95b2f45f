package dev.datasync.shared.config;

import java.time.Duration;

/**
 * The budget of one evaluation of a source's rules (filter and transform) at delivery: at most {@code timeout}
 * ({@code rules_timeout_ms}), at most {@code maxDepth} nested evaluation steps ({@code rules_max_depth}: a recursive
 * function stops there instead of exhausting the worker's stack), and a delivered body of at most
 * {@code maxBodyBytes} ({@code rules_max_body_bytes}). A message whose rules run over it is routed as
 * {@code transformFailed}; the worker that evaluated it is free again after {@code timeout} at most.
 */
public record RulesSettings(Duration timeout, int maxDepth, int maxBodyBytes) {

    public static final RulesSettings DEFAULT = new RulesSettings(Duration.ofMillis(100), 200, 1024 * 1024);
}
