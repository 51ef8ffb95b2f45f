package dev.datasync.local.oci;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SigningSecretStore;
import dev.datasync.shared.signing.SigningKeyRing;

import java.time.Clock;

/**
 * A source's signing secret written to local-oci's Vault through the functions' own {@link SigningSecretStore} and
 * configuration (the first secret, or a rotation), as an operator does on OCI: used by {@code ./datasync sources
 * add --sign}, {@code sources sign} and the demo.
 */
public final class SigningSecretsAdmin {

    private SigningSecretsAdmin() {
    }

    /** Gives {@code sourceId} a new current signing secret; the ring now in Vault. */
    public static SigningKeyRing rotate(DataSyncConfig functions, String sourceId) {
        try (OciClients clients = new OciClients(functions.oci())) {
            return new SigningSecretStore(clients::vaults, clients::secrets, functions.vault(), Clock.systemUTC())
                    .rotate(sourceId);
        }
    }
}
