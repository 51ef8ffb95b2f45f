package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.FullJitterBackoff;
import dev.datasync.shared.delivery.MessageDelivery;
import dev.datasync.shared.delivery.TargetCaller;
import dev.datasync.shared.delivery.TargetCheck;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.delivery.TokenSource;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.routing.StreamAppender;

import java.time.Clock;

/**
 * The delivery engine of a delivering function wired from its configuration over the two ports it needs: where
 * tokens come from and where failures are appended. {@link DeliveryStack} gives it Vault and Streaming; a handler
 * test gives it a token and an in-memory error stream. Holds the delivery workers and the per-target load control
 * (limits, breakers, pauses): close it with the container.
 */
public final class DeliveryCore implements AutoCloseable {

    private final BatchDelivery delivery;
    private final BatchPipeline pipeline;
    private final RouteSelector defaultRoutes;

    public DeliveryCore(DataSyncConfig config, TokenSource tokens, StreamAppender errorStreams, Clock clock,
                        JsonLog log) {
        var s = config.delivery();
        TargetGuard guard = new TargetGuard(config.targets());
        MessageDelivery message = new MessageDelivery(new TargetCaller(s.connectTimeout(), clock), tokens,
                TargetCheck.of(guard), s, new FullJitterBackoff(s.backoffBase(), s.backoffMax()), clock, log);
        TargetControls targets = TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log);
        this.delivery = new BatchDelivery(message, targets, s.concurrency(), clock);
        this.pipeline = new BatchPipeline(delivery, new ErrorStreamRouter(errorStreams, log),
                config.targets().allowHttp(), log);
        this.defaultRoutes = RouteSelector.of(config.errorRouting());
    }

    public BatchPipeline pipeline() {
        return pipeline;
    }

    /** The application's routing: {@code error_routing} over the default routes of the public contract. */
    public RouteSelector defaultRoutes() {
        return defaultRoutes;
    }

    @Override
    public void close() {
        delivery.close();
    }
}
