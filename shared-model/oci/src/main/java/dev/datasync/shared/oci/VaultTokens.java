package dev.datasync.shared.oci;

import dev.datasync.shared.delivery.TokenSource;
import dev.datasync.shared.delivery.TokenUnavailableException;
import dev.datasync.shared.oci.internal.SecretNotFoundException;

/**
 * {@link TokenSource} over the project's {@link TokenVault} (cached per container there): a message's token is read
 * from its own source's secret ({@link TokenSecretName}).
 */
public final class VaultTokens implements TokenSource {

    private final TokenVault vault;

    public VaultTokens(TokenVault vault) {
        this.vault = vault;
    }

    @Override
    public String token(String sourceId, String secretName) throws TokenUnavailableException {
        String name;
        try {
            name = TokenSecretName.of(sourceId, secretName);
        } catch (IllegalArgumentException e) {
            throw new TokenUnavailableException("vaultSecretName " + secretName + " cannot be used: "
                    + e.getMessage(), true);
        }
        try {
            return vault.read(name);
        } catch (SecretNotFoundException e) {
            throw new TokenUnavailableException("no token stored under vaultSecretName " + secretName
                    + (sourceId == null ? "" : " for source " + sourceId), true);
        } catch (VaultUnavailableException e) {
            throw new TokenUnavailableException("vault unavailable reading " + secretName
                    + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""), false);
        }
    }
}
