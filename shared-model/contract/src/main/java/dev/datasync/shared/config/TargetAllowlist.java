package dev.datasync.shared.config;

import dev.datasync.shared.config.internal.AllowEntry;

import java.util.List;

/**
 * The parsed {@code target_allowlist} and {@code target_denylist}, plus {@code allow_http_targets}. An empty
 * allow-list refuses every target; a target the deny-list matches is refused whatever the allow-list says. Matching
 * (with DNS resolution and the private-address rule) is done by {@code dev.datasync.shared.guard.TargetGuard}.
 */
public record TargetAllowlist(List<AllowEntry> entries, List<AllowEntry> denied, boolean allowHttp) {

    public TargetAllowlist {
        entries = List.copyOf(entries);
        denied = List.copyOf(denied);
    }

    /** Without a deny-list. */
    public TargetAllowlist(List<AllowEntry> entries, boolean allowHttp) {
        this(entries, List.of(), allowHttp);
    }

    /**
     * The same deny-list and scheme rule with other allow entries: a source's own allow-list, in the syntax of
     * {@code target_allowlist}.
     *
     * @throws ConfigException naming {@code key} for an entry that is not valid
     */
    public TargetAllowlist withEntries(List<String> raw, String key) {
        return new TargetAllowlist(raw.stream().map(e -> AllowEntry.parse(e, key)).toList(), denied, allowHttp);
    }

    static TargetAllowlist parse(List<String> allowed, List<String> denied, boolean allowHttp) {
        return new TargetAllowlist(allowed.stream().map(AllowEntry::parse).toList(),
                denied.stream().map(e -> AllowEntry.parse(e, ConfigKeys.TARGET_DENYLIST)).toList(), allowHttp);
    }
}
