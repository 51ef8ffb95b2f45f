package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.MetricsSink;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.ObjectStorageStateObjects;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SigningSecretStore;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.VaultSigning;
import dev.datasync.shared.oci.StateBucket;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.StreamWriterAppender;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.oci.VaultTokens;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.redrive.RedrivePending;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.rules.SourceRules;
import dev.datasync.shared.state.StateObjects;

import java.time.Clock;

/**
 * Composition root of ReadDataStream (and the delivering part of Retry): everything built once per container — the
 * OCI clients, the HTTP client, the delivery workers, the token cache, the source registry's cache, the signing
 * secrets' cache (signing sources' deliveries are signed, {@link VaultSigning}), the guard, the
 * metrics sink (OCI Monitoring when {@code metrics_compartment_ocid} is set) — never per message or per batch. The
 * state objects of {@code state_bucket} share the registry's bucket and namespace.
 */
public final class DeliveryStack implements AutoCloseable {

    private final DataSyncConfig config;
    private final OciClients clients;
    private final StateObjects state;
    private final DeliveryCore core;
    private final PipelineMetrics metrics;
    private final Clock clock;

    /** The figures go to OCI Monitoring when {@code metrics_compartment_ocid} is set, else nowhere. */
    public DeliveryStack(DataSyncConfig config, OciClients clients, Clock clock, JsonLog log) {
        this(config, clients, FunctionMetrics.sink(config, clients, log), clock, log);
    }

    public DeliveryStack(DataSyncConfig config, OciClients clients, MetricsSink metrics, Clock clock, JsonLog log) {
        this.config = config;
        this.clients = clients;
        this.metrics = FunctionMetrics.over(config, metrics, clock);
        this.clock = clock;
        StateBucket bucket = SyncStack.stateBucket(config, clients);
        this.state = new ObjectStorageStateObjects(bucket);
        TokenVault vault = new TokenVault(clients::vaults, clients::secrets, config.vault(), clock);
        SourceRegistry sources = SyncStack.sourceRegistry(config, bucket, clock);
        VaultSigning signing = new VaultSigning(sources,
                new SigningSecretStore(clients::vaults, clients::secrets, config.vault(), clock), config.signing(),
                clock);
        this.core = new DeliveryCore(config, new VaultTokens(vault), signing, sources,
                new StreamWriterAppender(new StreamWriter(clients::stream)), KeyOrder.of(config, state, log),
                this.metrics, new SourceRules(state, config.rules()), clock, log);
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

    /** The container's state objects ({@code state_bucket}): held keys, replay leases and marks. */
    public StateObjects stateObjects() {
        return state;
    }

    /**
     * The container's per-key ordering over {@code held/} in the state bucket (off with {@code key_ordering=false}),
     * the one the pipeline uses: a reader of error streams outside the pipeline asks it too.
     */
    public KeyOrder ordering() {
        return core.ordering();
    }

    public BatchPipeline pipeline() {
        return core.pipeline();
    }

    public ErrorStreamRouter router() {
        return core.router();
    }

    /** The container's figures: recorded by the pipeline, published once per invocation by the handler. */
    public PipelineMetrics metrics() {
        return metrics;
    }

    public Clock clock() {
        return clock;
    }

    /** Records {@code redrive.pending} for what a batch routed to redriven streams. */
    public RedrivePending redrivePending() {
        return new RedrivePending(config, metrics);
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
