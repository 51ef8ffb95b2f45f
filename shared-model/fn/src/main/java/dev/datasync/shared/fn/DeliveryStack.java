package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.MetricsSink;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.StreamWriterAppender;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.oci.VaultTokens;
import dev.datasync.shared.redrive.RedrivePending;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RouteSelector;

import java.time.Clock;

/**
 * Composition root of ReadDataStream (and the delivering part of Retry): everything built once per container — the
 * OCI clients, the HTTP client, the delivery workers, the token cache, the source registry's cache, the guard —
 * never per message or per batch.
 */
public final class DeliveryStack implements AutoCloseable {

    private final DataSyncConfig config;
    private final OciClients clients;
    private final DeliveryCore core;
    private final MetricsSink metrics;
    private final Clock clock;

    /** Without Monitoring: the figures go nowhere. */
    public DeliveryStack(DataSyncConfig config, OciClients clients, Clock clock, JsonLog log) {
        this(config, clients, MetricsSink.NONE, clock, log);
    }

    public DeliveryStack(DataSyncConfig config, OciClients clients, MetricsSink metrics, Clock clock, JsonLog log) {
        this.config = config;
        this.clients = clients;
        this.metrics = metrics;
        this.clock = clock;
        TokenVault vault = new TokenVault(clients::vaults, clients::secrets, config.vault(), clock);
        this.core = new DeliveryCore(config, new VaultTokens(vault), SyncStack.sourceRegistry(config, clients, clock),
                new StreamWriterAppender(new StreamWriter(clients::stream)), clock, log);
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
        return core.pipeline();
    }

    public ErrorStreamRouter router() {
        return core.router();
    }

    public MetricsSink metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    /** Publishes {@code redrive.pending} for what a batch routed to redriven streams. */
    public RedrivePending redrivePending() {
        return new RedrivePending(config, metrics, clock);
    }

    /** The application's routing ({@code error_routing} over the base routes of the four error streams). */
    public RouteSelector defaultRoutes() {
        return core.defaultRoutes();
    }

    @Override
    public void close() {
        core.close();
        clients.close();
    }
}
