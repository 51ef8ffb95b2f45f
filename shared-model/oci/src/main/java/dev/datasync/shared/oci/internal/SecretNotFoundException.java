package dev.datasync.shared.oci.internal;

/** No usable secret of that name exists in the vault: a message referencing it can never be delivered. */
public class SecretNotFoundException extends RuntimeException {
    public SecretNotFoundException(String secretName) {
        super("no secret named " + secretName + " in the vault");
    }
}
