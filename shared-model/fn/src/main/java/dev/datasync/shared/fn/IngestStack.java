package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.IngestBucket;
import dev.datasync.shared.oci.ObjectStorageStateObjects;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.StateBucket;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.state.StateObjects;

import java.time.Clock;

/**
 * Composition root of bulk ingest (object uploads through OCI Events): the pieces its handler needs, built once per
 * container over one set of OCI clients (built lazily on first use). The same guard, writer, vault and source
 * registry as {@code /stream/sync}, plus the ingest bucket and the state objects that keep each file's progress.
 *
 * @param state  the state bucket's objects: per file version, its claim and checkpoint and its line results so far
 * @param bucket the bucket sources upload to ({@code ingest_bucket})
 * @param metrics the container's figures ({@code sync.accepted}), published once per invocation
 */
public record IngestStack(OciClients clients, TargetGuard guard, StreamWriter writer, TokenVault vault,
                          SourceRegistry sources, StateObjects state, IngestBucket bucket,
                          PipelineMetrics metrics) implements AutoCloseable {

    public static IngestStack create(DataSyncConfig config, JsonLog log) {
        OciClients clients = new OciClients(config.oci());
        StateBucket state = SyncStack.stateBucket(config, clients);
        return new IngestStack(clients, new TargetGuard(config.targets()), new StreamWriter(clients::stream),
                new TokenVault(clients::vaults, clients::secrets, config.vault()),
                SyncStack.sourceRegistry(config, state, Clock.systemUTC()), new ObjectStorageStateObjects(state),
                // the same namespace as the state bucket's, asked once per container
                new IngestBucket(clients::objectStorage, state::namespace, config.ingest().bucket()),
                FunctionMetrics.of(config, clients, Clock.systemUTC(), log));
    }

    @Override
    public void close() {
        clients.close();
    }
}
