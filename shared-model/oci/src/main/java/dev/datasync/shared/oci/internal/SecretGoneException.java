package dev.datasync.shared.oci.internal;

/** The secret a binding pointed at no longer exists (deleted, or being deleted): look the name up again. */
public final class SecretGoneException extends RuntimeException {
    public SecretGoneException(String secretId) {
        super("secret " + secretId + " is gone", null, false, false);
    }
}
