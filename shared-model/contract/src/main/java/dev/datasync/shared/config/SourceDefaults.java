package dev.datasync.shared.config;

/**
 * What a source application may do when the source registry holds no object for it, or its object leaves a limit
 * out: the global {@code target_allowlist} alone, and {@code maxSecrets} live token secrets
 * ({@code source_default_max_secrets}).
 */
public record SourceDefaults(int maxSecrets) {

    public static final int DEFAULT_MAX_SECRETS = 100;
    /** The largest {@code source_default_max_secrets}: far above what one source needs, below any Vault's size. */
    public static final int MOST_MAX_SECRETS = 100_000;
}
