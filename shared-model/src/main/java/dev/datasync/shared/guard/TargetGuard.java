package dev.datasync.shared.guard;

import dev.datasync.shared.config.AllowEntry;
import dev.datasync.shared.config.TargetAllowlist;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * SSRF guard for target URLs, checked when a sync request is accepted and again before every delivery (DNS may
 * have changed in between). A host is admitted by an allow-list entry; then EVERY address it resolves to must be
 * acceptable: an exact host / host:port entry admits whatever its host resolves to, a CIDR entry admits addresses
 * inside it, and a {@code *.domain} entry admits only public addresses (a wildcard never opens the way to
 * loopback, private networks or the metadata service). Decisions are values, not exceptions.
 * Thread-safe; build one per container.
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
        if (exact) {
            return new Verdict(Verdict.Outcome.ALLOWED, "host " + host + " is allow-listed", addresses);
        }
        for (InetAddress a : addresses) {
            boolean inCidr = inCidr(a);
            String special = SpecialAddresses.kind(a);
            if (inCidr) {
                continue; // a CIDR entry names this address explicitly, special or not
            }
            if (special != null) {
                return new Verdict(Verdict.Outcome.SPECIAL_ADDRESS, "host " + host + " resolves to a " + special
                        + " address (" + a.getHostAddress() + ") that no exact allow-list entry names", addresses);
            }
            if (!domain) {
                return new Verdict(Verdict.Outcome.NOT_ALLOWLISTED, "host " + host + (literal != null ? ""
                        : " (" + a.getHostAddress() + ")") + " is not in target_allowlist", addresses);
            }
        }
        return new Verdict(Verdict.Outcome.ALLOWED, "host " + host + " is allow-listed", addresses);
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
