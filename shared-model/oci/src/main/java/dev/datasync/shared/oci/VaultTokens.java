package dev.datasync.shared.oci;

import dev.datasync.shared.delivery.TokenSource;
import dev.datasync.shared.delivery.TokenUnavailableException;
import dev.datasync.shared.oci.internal.SecretNotFoundException;

/** {@link TokenSource} over the project's {@link TokenVault} (cached per container there). */
public final class VaultTokens implements TokenSource {

    private final TokenVault vault;

    public VaultTokens(TokenVault vault) {
        this.vault = vault;
    }

    @Override
    public String token(String secretName) throws TokenUnavailableException {
        try {
            return vault.read(secretName);
        } catch (SecretNotFoundException e) {
            throw new TokenUnavailableException("no token stored under vaultSecretName " + secretName, true);
        } catch (VaultUnavailableException e) {
            throw new TokenUnavailableException("vault unavailable reading " + secretName
                    + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""), false);
        }
    }
}
