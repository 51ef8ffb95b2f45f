package dev.datasync.shared.oci;

/**
 * Vault refused the caller's token itself (too large for a secret): a permanent refusal of the request (400 naming
 * {@code Authorization}), not an outage. The message names the operation and Vault's answer, never the token.
 */
public final class TokenRefusedException extends RuntimeException {

    public TokenRefusedException(String message) {
        super(message);
    }
}
