package dev.datasync.shared.config;

/**
 * Where token secrets are created and how long they live. {@code keyOcid} is the vault master key (CreateSecret
 * needs the key itself and refuses a key version); {@code secretExpiryDays} becomes the secret's SECRET_EXPIRY_RULE
 * (version expiry only: it deletes nothing). {@code secretRetentionDays}: a secret unused for that long is scheduled
 * for deletion by {@code dev.datasync.shared.oci.SecretSweeper}, which is what keeps Vault from filling up.
 */
public record VaultSettings(String vaultOcid, String compartmentOcid, String keyOcid, int secretExpiryDays,
                            int secretRetentionDays) {

    /** The longest retention an error stream can have; a replay within it must still find its token. */
    public static final int LONGEST_ERROR_STREAM_RETENTION_DAYS = 7;
    /** {@code secret_retention_days} must exceed that retention (a day of margin). */
    public static final int MIN_SECRET_RETENTION_DAYS = LONGEST_ERROR_STREAM_RETENTION_DAYS + 1;
    public static final int DEFAULT_SECRET_RETENTION_DAYS = 14;

    public VaultSettings {
        if (secretRetentionDays < MIN_SECRET_RETENTION_DAYS) {
            throw new ConfigException(ConfigKeys.SECRET_RETENTION_DAYS, secretRetentionDays + " is below "
                    + MIN_SECRET_RETENTION_DAYS + ": the longest error-stream retention is "
                    + LONGEST_ERROR_STREAM_RETENTION_DAYS + " days and a replayed message must still find its token");
        }
    }

    /** With the default retention ({@value #DEFAULT_SECRET_RETENTION_DAYS} days). */
    public VaultSettings(String vaultOcid, String compartmentOcid, String keyOcid, int secretExpiryDays) {
        this(vaultOcid, compartmentOcid, keyOcid, secretExpiryDays, DEFAULT_SECRET_RETENTION_DAYS);
    }
}
