package dev.datasync.shared.config;

/**
 * Where token secrets are created. {@code keyOcid} is the vault master key (CreateSecret refuses a key version, a
 * reference defect); {@code secretExpiryDays} becomes the secret's SECRET_EXPIRY_RULE so Vault does not fill up.
 */
public record VaultSettings(String vaultOcid, String compartmentOcid, String keyOcid, int secretExpiryDays) {
}
