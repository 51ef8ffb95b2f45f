package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.ObjectStorageStateObjects;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SecretQuota;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.StateBucket;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.state.StateObjects;

import java.time.Clock;

/**
 * Composition root of PopulateDataStream ({@code POST /stream/sync}): the pieces its handler needs, built once per
 * container over one set of OCI clients, which are built lazily on first use. Nothing branches on "local":
 * endpoints and the auth provider come from the configuration.
 *
 * @param sources the source registry (what each source may reach, how many secrets it may own), cached
 * @param quota   counts each source's live token secrets against its cap
 * @param sweeper deletes unused token secrets in the background, on its own thread
 * @param state   the state objects of {@code state_bucket} (the same bucket and namespace as the registry's)
 * @param metrics the container's figures ({@code sync.accepted}), published once per invocation
 */
public record SyncStack(OciClients clients, TargetGuard guard, StreamWriter writer, TokenVault vault,
                        SourceRegistry sources, SecretQuota quota, SecretSweeper sweeper, StateObjects state,
                        PipelineMetrics metrics)
        implements AutoCloseable {

    public static SyncStack create(DataSyncConfig config, JsonLog log) {
        OciClients clients = new OciClients(config.oci());
        Clock clock = Clock.systemUTC();
        StateBucket bucket = stateBucket(config, clients);
        return new SyncStack(clients, new TargetGuard(config.targets()), new StreamWriter(clients::stream),
                new TokenVault(clients::vaults, clients::secrets, config.vault()),
                sourceRegistry(config, bucket, clock), new SecretQuota(clients::vaults, config.vault(), clock),
                SecretSweeper.inBackground(clients::vaults, config.vault(), log),
                new ObjectStorageStateObjects(bucket), FunctionMetrics.of(config, clients, clock, log));
    }

    /** The container's state bucket: one namespace look-up shared by the source registry and the state objects. */
    static StateBucket stateBucket(DataSyncConfig config, OciClients clients) {
        return new StateBucket(clients::objectStorage, config.state());
    }

    /** The source registry of the configuration's state bucket, over the container's Object Storage client. */
    static SourceRegistry sourceRegistry(DataSyncConfig config, StateBucket bucket, Clock clock) {
        return new SourceRegistry(bucket, config.targets(), config.sourceDefaults(), clock);
    }

    @Override
    public void close() {
        clients.close();
    }
}
