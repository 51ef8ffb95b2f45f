package dev.datasync.shared.oci;

import dev.datasync.shared.config.TargetAllowlist;

/**
 * What one source application may do, as the functions apply it: its own allow-list (null when the global
 * {@code target_allowlist} alone applies to it; always judged together with the global list) and the live token
 * secrets it may own in Vault.
 */
public record SourceRules(String sourceId, TargetAllowlist allowlist, int maxSecrets) {
}
