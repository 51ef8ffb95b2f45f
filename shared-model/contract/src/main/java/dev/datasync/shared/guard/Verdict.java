package dev.datasync.shared.guard;

import java.net.InetAddress;
import java.util.List;

/**
 * What {@link TargetGuard} decided about one target URL. {@code detail} is safe to show to the caller and to log: it
 * names the host and the rule, never path or query. {@code addresses} are the resolved addresses that were checked.
 */
public record Verdict(Outcome outcome, String detail, List<InetAddress> addresses) {

    public enum Outcome {
        ALLOWED,
        /** not a usable absolute http(s) URL */
        INVALID_URL,
        /** http while allow_http_targets is false, or another scheme */
        SCHEME_NOT_ALLOWED,
        /** no allow-list entry admits the host (or one of its addresses), in the global or the source's list */
        NOT_ALLOWLISTED,
        /** a {@code target_denylist} entry matches the host or one of its addresses */
        DENYLISTED,
        /** a private, loopback, link-local, metadata ... address that no IP-literal or CIDR entry covers */
        SPECIAL_ADDRESS,
        /** the host name does not resolve (at delivery: a network failure, recoverable) */
        UNRESOLVABLE
    }

    public Verdict {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    static Verdict refuse(Outcome outcome, String detail) {
        return new Verdict(outcome, detail, List.of());
    }
}
