package dev.datasync.shared.delivery;

/** Where the delivery gets the caller's token for a {@code vaultSecretName} (Vault, through a container cache). */
@FunctionalInterface
public interface TokenSource {

    /** The token to send as {@code Authorization}. */
    String token(String secretName) throws TokenUnavailableException;
}
