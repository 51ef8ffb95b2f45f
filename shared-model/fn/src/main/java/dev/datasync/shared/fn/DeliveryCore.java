package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.DeliverySigning;
import dev.datasync.shared.delivery.FullJitterBackoff;
import dev.datasync.shared.delivery.HttpCallbackSender;
import dev.datasync.shared.delivery.MessageDelivery;
import dev.datasync.shared.delivery.SourceAllowlists;
import dev.datasync.shared.delivery.TargetCaller;
import dev.datasync.shared.delivery.TargetCheck;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.delivery.TokenSource;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.redrive.ScheduleStamp;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.routing.StreamAppender;
import dev.datasync.shared.rules.SourceRules;

import java.time.Clock;

/**
 * The delivery engine of a delivering function wired from its configuration over the ports it needs: where
 * tokens come from, what each source may reach, where failures are appended (with the redrive's schedule) and which
 * keys are held (per-key order across batches), and the sources' rules. {@link DeliveryStack} gives it Vault, the
 * source registry, Streaming and the state bucket; a handler test gives it a token, sources, an in-memory error
 * stream and its own ordering.
 * Holds the delivery workers, the per-target load control (limits, breakers, pauses) and the HTTP connection pool:
 * close it with the container.
 */
public final class DeliveryCore implements AutoCloseable {

    private final TargetCaller caller;
    private final HttpCallbackSender callbacks;
    private final BatchDelivery delivery;
    private final ErrorStreamRouter router;
    private final BatchPipeline pipeline;
    private final RouteSelector defaultRoutes;
    private final KeyOrder ordering;

    /** Without metrics and without the sources' rules: every message is sent as received. */
    public DeliveryCore(DataSyncConfig config, TokenSource tokens, SourceAllowlists sources,
                        StreamAppender errorStreams, KeyOrder ordering, Clock clock, JsonLog log) {
        this(config, tokens, sources, errorStreams, ordering, PipelineMetrics.OFF, SourceRules.NONE, clock, log);
    }

    /** @param metrics where the pipeline counts what became of each message (published by the handlers) */
    public DeliveryCore(DataSyncConfig config, TokenSource tokens, SourceAllowlists sources,
                        StreamAppender errorStreams, KeyOrder ordering, PipelineMetrics metrics, Clock clock,
                        JsonLog log) {
        this(config, tokens, sources, errorStreams, ordering, metrics, SourceRules.NONE, clock, log);
    }

    /** @param rules the sources' rules (filter, transform) in the state bucket, applied at every delivery */
    public DeliveryCore(DataSyncConfig config, TokenSource tokens, SourceAllowlists sources,
                        StreamAppender errorStreams, KeyOrder ordering, SourceRules rules, Clock clock, JsonLog log) {
        this(config, tokens, sources, errorStreams, ordering, PipelineMetrics.OFF, rules, clock, log);
    }

    /** Without signing: no delivery is signed. */
    public DeliveryCore(DataSyncConfig config, TokenSource tokens, SourceAllowlists sources,
                        StreamAppender errorStreams, KeyOrder ordering, PipelineMetrics metrics, SourceRules rules,
                        Clock clock, JsonLog log) {
        this(config, tokens, DeliverySigning.NONE, sources, errorStreams, ordering, metrics, rules, clock, log);
    }

    /** @param signing which sources sign their deliveries (their policy) and with which secrets (Vault) */
    public DeliveryCore(DataSyncConfig config, TokenSource tokens, DeliverySigning signing, SourceAllowlists sources,
                        StreamAppender errorStreams, KeyOrder ordering, PipelineMetrics metrics, SourceRules rules,
                        Clock clock, JsonLog log) {
        var s = config.delivery();
        TargetGuard guard = new TargetGuard(config.targets());
        this.caller = new TargetCaller(s.connectTimeout(), clock);
        TargetCheck targetCheck = TargetCheck.of(guard, sources);
        MessageDelivery message = new MessageDelivery(caller, tokens, signing, targetCheck, s,
                new FullJitterBackoff(s.backoffBase(), s.backoffMax()), clock, log);
        TargetControls targets = TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log);
        this.delivery = new BatchDelivery(message, targets, s.concurrency(), clock);
        this.router = new ErrorStreamRouter(errorStreams, log);
        // outcome callbacks are called like targets: the same guard, allow-lists, signing and pinned client
        this.callbacks = new HttpCallbackSender(caller, targetCheck, signing, metrics, log);
        // a failure routed to a redriven stream gets its first slot; corrupt error-stream messages are dead-lettered
        this.pipeline = new BatchPipeline(delivery, router, config.targets().allowHttp(), ordering,
                new ScheduleStamp(config.redrive()), config.redrive().deadLetterStream(), metrics, rules, clock,
                callbacks, config.streams().unrecoverable(), log);
        this.defaultRoutes = RouteSelector.of(config.errorRouting());
        this.ordering = ordering;
    }

    public BatchPipeline pipeline() {
        return pipeline;
    }

    /** Appends to the error streams (the pipeline's own router): the redrive's copies and dead letters. */
    public ErrorStreamRouter router() {
        return router;
    }

    /** Per-key order across batches: the held keys the pipeline reads and writes. */
    public KeyOrder ordering() {
        return ordering;
    }

    /** The application's routing: {@code error_routing} over the default routes of the public contract. */
    public RouteSelector defaultRoutes() {
        return defaultRoutes;
    }

    @Override
    public void close() {
        delivery.close();
        callbacks.close();
        caller.close();
    }
}
