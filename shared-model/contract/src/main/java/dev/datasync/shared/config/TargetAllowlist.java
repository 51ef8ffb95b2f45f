package dev.datasync.shared.config;

import dev.datasync.shared.config.internal.AllowEntry;

import java.util.List;

/**
 * The parsed {@code target_allowlist} plus {@code allow_http_targets}. Empty refuses every target. Matching (with DNS
 * resolution and the private-address rule) is done by {@code dev.datasync.shared.guard.TargetGuard}.
 */
public record TargetAllowlist(List<AllowEntry> entries, boolean allowHttp) {

    public TargetAllowlist {
        entries = List.copyOf(entries);
    }

    static TargetAllowlist parse(List<String> raw, boolean allowHttp) {
        return new TargetAllowlist(raw.stream().map(AllowEntry::parse).toList(), allowHttp);
    }
}
