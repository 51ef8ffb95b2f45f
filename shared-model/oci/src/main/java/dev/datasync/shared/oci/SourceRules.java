package dev.datasync.shared.oci;

import dev.datasync.shared.config.TargetAllowlist;

/**
 * What one source application may do, as the functions apply it: its own allow-list (null when the global
 * {@code target_allowlist} alone applies to it; always judged together with the global list) and the live token
 * secrets it may own in Vault.
 *
 * @param registered whether the registry holds an object for the source; one without it gets the defaults. A caller
 *                   of {@code /stream/sync} proved who it is with its credential; a bulk file names its source only
 *                   by its prefix, so bulk ingest serves registered sources alone
 * @param signing    whether the source's deliveries are signed (its policy's {@code signing})
 */
public record SourceRules(String sourceId, TargetAllowlist allowlist, int maxSecrets, boolean registered,
                          boolean signing) {

    /** Rules of a source that does not sign. */
    public SourceRules(String sourceId, TargetAllowlist allowlist, int maxSecrets, boolean registered) {
        this(sourceId, allowlist, maxSecrets, registered, false);
    }
}
