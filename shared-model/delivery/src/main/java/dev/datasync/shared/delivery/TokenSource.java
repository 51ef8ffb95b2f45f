package dev.datasync.shared.delivery;

/**
 * Where the delivery gets the caller's token for a {@code vaultSecretName} (Vault, through a container cache). The
 * name is the source's own: two sources' equal names are two secrets, and a message reads its own source's.
 */
@FunctionalInterface
public interface TokenSource {

    /**
     * The token to send as {@code Authorization}.
     *
     * @param sourceId the message's source application, null for a message accepted before sources existed
     */
    String token(String sourceId, String secretName) throws TokenUnavailableException;
}
