package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;

/**
 * Composition root of PopulateDataStream ({@code POST /stream/sync}): the pieces its handler needs, built once per
 * container over one set of OCI clients, which are built lazily on first use. Nothing branches on "local":
 * endpoints and the auth provider come from the configuration.
 *
 * @param sweeper deletes unused token secrets in the background, on its own thread
 */
public record SyncStack(OciClients clients, TargetGuard guard, StreamWriter writer, TokenVault vault,
                        SecretSweeper sweeper) implements AutoCloseable {

    public static SyncStack create(DataSyncConfig config, JsonLog log) {
        OciClients clients = new OciClients(config.oci());
        return new SyncStack(clients, new TargetGuard(config.targets()), new StreamWriter(clients::stream),
                new TokenVault(clients::vaults, clients::secrets, config.vault()),
                SecretSweeper.inBackground(clients::vaults, config.vault(), log));
    }

    @Override
    public void close() {
        clients.close();
    }
}
