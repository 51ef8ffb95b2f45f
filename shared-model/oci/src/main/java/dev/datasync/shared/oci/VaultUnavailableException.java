package dev.datasync.shared.oci;

/**
 * Vault or Secrets could not be used right now (5xx, throttling, network, or a mis-set vault): the caller should
 * answer 503 / try again later. The message names the operation and OCI's status/code, never a token.
 */
public class VaultUnavailableException extends RuntimeException {
    private final int status;

    public VaultUnavailableException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** OCI's HTTP status, 0 for a network or client failure. */
    public int status() {
        return status;
    }
}
