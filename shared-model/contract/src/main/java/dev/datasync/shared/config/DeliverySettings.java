package dev.datasync.shared.config;

import java.time.Duration;

/** How the delivering functions call targets (see the delivery_* keys). */
public record DeliverySettings(int concurrency,
                               int maxAttempts,
                               Duration connectTimeout,
                               Duration requestTimeout,
                               Duration backoffBase,
                               Duration backoffMax) {
}
