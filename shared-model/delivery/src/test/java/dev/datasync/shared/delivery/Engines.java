package dev.datasync.shared.delivery;

import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.log.JsonLog;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The delivery engine wired as DeliveryStack wires it, for the delivery module's tests and benchmarks. */
public final class Engines {

    private Engines() {
    }

    /** Connect time-out 500 ms; the rest as given. */
    public static DeliverySettings settings(int concurrency, int attempts, long requestTimeoutMs, long backoffBaseMs,
                                            long backoffMaxMs) {
        return new DeliverySettings(concurrency, attempts, Duration.ofMillis(500), Duration.ofMillis(requestTimeoutMs),
                Duration.ofMillis(backoffBaseMs), Duration.ofMillis(backoffMaxMs));
    }

    public static BatchDelivery build(DeliverySettings s, TargetControls targets, TokenSource tokens,
                                      TargetCheck check, JsonLog log) {
        Clock clock = Clock.systemUTC();
        MessageDelivery message = new MessageDelivery(new TargetCaller(s.connectTimeout(), clock), tokens, check, s,
                new FullJitterBackoff(s.backoffBase(), s.backoffMax()), clock, log);
        return new BatchDelivery(message, targets, s.concurrency(), clock);
    }

    /** A keyed (or keyless: null) POST of a small JSON body to {@code target}, without a token. */
    public static DeliveryJob post(String key, URI target, String syncId) {
        return DeliveryJob.deliver(key, new Source("DataSyncStream", "0", 1L), new DeliveryRequest(syncId, target,
                "POST", "{\"orderid\":\"18jan\"}".getBytes(StandardCharsets.UTF_8), List.of(), null));
    }

    /** Every target allowed, no tokens. */
    public static BatchDelivery build(DeliverySettings s, TargetControls targets, JsonLog log) {
        return build(s, targets, name -> "Bearer unused", uri -> null, log);
    }
}
