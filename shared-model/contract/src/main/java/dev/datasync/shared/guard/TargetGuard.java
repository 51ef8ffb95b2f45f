package dev.datasync.shared.guard;

import dev.datasync.shared.config.TargetAllowlist;
import dev.datasync.shared.config.internal.AllowEntry;
import dev.datasync.shared.guard.internal.HostResolver;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * SSRF guard for target URLs, checked when a sync request is accepted and again before every delivery (DNS may
 * have changed in between). Two questions, both must be answered yes:
 * <ol>
 * <li>Is the HOST admitted? By an exact {@code host} / {@code host:port} entry equal to it, a {@code *.domain} entry
 * above it, or a CIDR entry containing every address it resolves to.</li>
 * <li>Is EVERY address it resolves to acceptable? A public address is, once the host is admitted. A private,
 * loopback, link-local, metadata (169.254.169.254) or other special address only when an IP-literal entry
 * ({@code 10.0.3.7}, {@code [::1]:9000}, port included when given) or a CIDR entry covers that very address. A host
 * NAME entry never admits a special address by itself: {@code orders.example.com} re-pointed in DNS at
 * 169.254.169.254 is refused, and neither does a {@code *.domain} entry.</li>
 * </ol>
 * So a loopback target needs both its name and its addresses listed: the local default is
 * {@code 127.0.0.1,::1,localhost}. Decisions are values, not exceptions. Thread-safe; build one per container.
 * <p>
 * Remaining window (DNS rebinding): the guard resolves the host, then the JDK HttpClient resolves it again when it
 * connects; addresses are deliberately not pinned. A name whose DNS answer changes between the two lookups can reach
 * an address the guard did not see. The JVM's positive lookup cache (30 s by default, {@code networkaddress.cache.ttl})
 * usually makes both lookups return the same answer, but that is not a guarantee. Where that matters, list targets by
 * IP literal or CIDR, and keep the function subnet's egress rules closed to private ranges and 169.254.0.0/16.
 */
public final class TargetGuard {

    private final TargetAllowlist allowlist;
    private final HostResolver resolver;

    public TargetGuard(TargetAllowlist allowlist, HostResolver resolver) {
        this.allowlist = allowlist;
        this.resolver = resolver;
    }

    public TargetGuard(TargetAllowlist allowlist) {
        this(allowlist, HostResolver.system());
    }

    public Verdict check(String url) {
        try {
            return check(new URI(url));
        } catch (java.net.URISyntaxException e) {
            return Verdict.refuse(Verdict.Outcome.INVALID_URL, "target is not a valid URL");
        }
    }

    public Verdict check(URI uri) {
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Verdict.refuse(Verdict.Outcome.INVALID_URL, "target must be an absolute URL with a host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || (scheme.equals("http") && allowlist.allowHttp()))) {
            return Verdict.refuse(Verdict.Outcome.SCHEME_NOT_ALLOWED, scheme.equals("http")
                    ? "plain http targets are not allowed (allow_http_targets is false)"
                    : "scheme " + scheme + " is not allowed");
        }
        String host = normaliseHost(uri.getHost());
        int port = uri.getPort() >= 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
        InetAddress literal = literal(host);

        boolean exact = false;
        boolean domain = false;
        for (AllowEntry e : allowlist.entries()) {
            if (e instanceof AllowEntry.Host h && h.host().equals(host)) {
                exact = true;
            } else if (e instanceof AllowEntry.HostPort hp && hp.host().equals(host) && hp.port() == port) {
                exact = true;
            } else if (e instanceof AllowEntry.Domain d && literal == null && d.matches(host)) {
                domain = true;
            }
        }

        boolean anyCidr = allowlist.entries().stream().anyMatch(e -> e instanceof AllowEntry.Cidr);
        if (!exact && !domain && !anyCidr) {
            // nothing could admit this host: answer without a DNS lookup
            return Verdict.refuse(Verdict.Outcome.NOT_ALLOWLISTED, "host " + host + " is not in target_allowlist");
        }

        List<InetAddress> addresses;
        if (literal != null) {
            addresses = List.of(literal);
        } else {
            try {
                addresses = resolver.resolve(host);
            } catch (UnknownHostException e) {
                return Verdict.refuse(Verdict.Outcome.UNRESOLVABLE, "host " + host + " does not resolve");
            }
            if (addresses.isEmpty()) {
                return Verdict.refuse(Verdict.Outcome.UNRESOLVABLE, "host " + host + " does not resolve");
            }
        }
        for (InetAddress a : addresses) {
            if (inCidr(a)) {
                continue; // a CIDR entry names this address explicitly, special or not
            }
            boolean literalEntry = inLiteralEntry(a, port);
            String special = SpecialAddresses.kind(a);
            if (special != null && !literalEntry) {
                // a host-name or *.domain entry says which NAME may be called, not which addresses it may reach
                return new Verdict(Verdict.Outcome.SPECIAL_ADDRESS, "host " + host + " resolves to a " + special
                        + " address (" + a.getHostAddress() + ") that no IP-literal or CIDR allow-list entry covers",
                        addresses);
            }
            if (!exact && !domain) {
                return new Verdict(Verdict.Outcome.NOT_ALLOWLISTED, "host " + host + (literal != null ? ""
                        : " (" + a.getHostAddress() + ")") + " is not in target_allowlist", addresses);
            }
        }
        return new Verdict(Verdict.Outcome.ALLOWED, "host " + host + " is allow-listed", addresses);
    }

    /** An IP-literal {@code host} or {@code host:port} entry (port must match when given) names this address. */
    private boolean inLiteralEntry(InetAddress a, int port) {
        for (AllowEntry e : allowlist.entries()) {
            String h = e instanceof AllowEntry.Host x ? x.host()
                    : e instanceof AllowEntry.HostPort hp && hp.port() == port ? hp.host() : null;
            if (h != null && a.equals(literal(h))) {
                return true;
            }
        }
        return false;
    }

    private boolean inCidr(InetAddress a) {
        for (AllowEntry e : allowlist.entries()) {
            if (e instanceof AllowEntry.Cidr c && c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Lower case, brackets removed, IP literals in Java's canonical text form (as allow-list entries are). */
    private static String normaliseHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // "example.com." is the same host
        }
        InetAddress lit = literal(h);
        return lit != null ? lit.getHostAddress() : h;
    }

    private static InetAddress literal(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = AllowEntry.IPV4.matcher(h).matches();
        boolean v6 = h.contains(":");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
