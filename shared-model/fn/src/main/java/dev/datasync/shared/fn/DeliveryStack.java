package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.FullJitterBackoff;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.MessageDelivery;
import dev.datasync.shared.delivery.TargetCaller;
import dev.datasync.shared.delivery.TargetCheck;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.oci.VaultTokens;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.StreamWriterAppender;
import dev.datasync.shared.oci.TokenVault;

import java.time.Clock;

/**
 * Everything the delivering functions (ReadDataStream, Retry) build once per container: the OCI clients, the HTTP
 * client, the delivery workers, the per-target load control, the token cache, the guard — never per message or
 * per batch.
 */
public final class DeliveryStack implements AutoCloseable {

    private final DataSyncConfig config;
    private final OciClients clients;
    private final BatchDelivery delivery;
    private final BatchPipeline pipeline;
    private final RouteSelector defaultRoutes;

    public DeliveryStack(DataSyncConfig config, OciClients clients, Clock clock, JsonLog log) {
        this.config = config;
        this.clients = clients;
        var s = config.delivery();
        TargetGuard guard = new TargetGuard(config.targets());
        TokenVault vault = new TokenVault(clients::vaults, clients::secrets, config.vault(), clock);
        MessageDelivery message = new MessageDelivery(new TargetCaller(s.connectTimeout(), clock),
                new VaultTokens(vault), TargetCheck.of(guard), s, new FullJitterBackoff(s.backoffBase(), s.backoffMax()),
                clock, log);
        TargetControls targets = TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log);
        this.delivery = new BatchDelivery(message, targets, s.concurrency(), clock);
        ErrorStreamRouter router = new ErrorStreamRouter(new StreamWriterAppender(new StreamWriter(clients::stream)), log);
        this.pipeline = new BatchPipeline(delivery, router, config.targets().allowHttp(), log);
        this.defaultRoutes = RouteSelector.of(config.errorRouting());
    }

    public static DeliveryStack create(DataSyncConfig config, JsonLog log) {
        return new DeliveryStack(config, new OciClients(config.oci()), Clock.systemUTC(), log);
    }

    public DataSyncConfig config() {
        return config;
    }

    public OciClients clients() {
        return clients;
    }

    public BatchPipeline pipeline() {
        return pipeline;
    }

    /** The application's routing ({@code error_routing} over the reference's routes). */
    public RouteSelector defaultRoutes() {
        return defaultRoutes;
    }

    @Override
    public void close() {
        delivery.close();
        clients.close();
    }
}
