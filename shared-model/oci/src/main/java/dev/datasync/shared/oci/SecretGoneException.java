package dev.datasync.shared.oci;

/** The secret a binding pointed at no longer exists (deleted, or being deleted): look the name up again. */
final class SecretGoneException extends RuntimeException {
    SecretGoneException(String secretId) {
        super("secret " + secretId + " is gone", null, false, false);
    }
}
