package dev.datasync.shared.guard;

import dev.datasync.shared.config.TargetAllowlist;
import dev.datasync.shared.config.internal.AllowEntry;
import dev.datasync.shared.guard.internal.HostResolver;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * SSRF guard for target URLs, checked when a sync request is accepted and again before every delivery (DNS may
 * have changed in between). A target is refused when a {@code target_denylist} entry matches its host name, its
 * host and port, or one of its addresses (an IP-literal or CIDR entry); otherwise two questions, both must be
 * answered yes:
 * <ol>
 * <li>Is the HOST admitted? By an exact {@code host} / {@code host:port} entry equal to it, a {@code *.domain} entry
 * above it, or a CIDR entry containing every address it resolves to.</li>
 * <li>Is EVERY address it resolves to acceptable? A public address is, once the host is admitted. A private,
 * loopback, link-local, metadata (169.254.169.254) or other special address only when an IP-literal entry
 * ({@code 10.0.3.7}, {@code [::1]:9000}, port included when given) or a CIDR entry covers that very address. A host
 * NAME entry never admits a special address by itself: {@code orders.example.com} re-pointed in DNS at
 * 169.254.169.254 is refused, and neither does a {@code *.domain} entry.</li>
 * </ol>
 * With a source's own allow-list ({@link #check(URI, TargetAllowlist)}) both questions are asked of the global list
 * and of the source's, over ONE resolution of the host, so the source's targets are always inside the global ones.
 * So a loopback target needs both its name and its addresses listed: the local default is
 * {@code 127.0.0.1,::1,localhost}. Decisions are values, not exceptions; an allowed verdict carries the addresses it
 * approved, and the delivery connects to those addresses only. Thread-safe; build one per container.
 */
public final class TargetGuard {

    /** How the global list is named in a refusal. */
    private static final String GLOBAL_LIST = "target_allowlist";
    /** How a source's list is named in a refusal. */
    private static final String SOURCE_LIST = "the source's allow-list";

    private final TargetAllowlist allowlist;
    private final HostResolver resolver;

    public TargetGuard(TargetAllowlist allowlist, HostResolver resolver) {
        this.allowlist = allowlist;
        this.resolver = resolver;
    }

    public TargetGuard(TargetAllowlist allowlist) {
        this(allowlist, HostResolver.system());
    }

    /** The global allow-list, for building a source's list with the same deny-list and scheme rule. */
    public TargetAllowlist allowlist() {
        return allowlist;
    }

    public Verdict check(String url) {
        try {
            return check(new URI(url));
        } catch (java.net.URISyntaxException e) {
            return Verdict.refuse(Verdict.Outcome.INVALID_URL, "target is not a valid URL");
        }
    }

    public Verdict check(URI uri) {
        return check(uri, () -> null);
    }

    /**
     * @param sourceList the allow-list of the message's source application (the deny-list and scheme rule of the
     *                   global list apply), or null when only the global list applies
     */
    public Verdict check(URI uri, TargetAllowlist sourceList) {
        return check(uri, () -> sourceList);
    }

    /**
     * @param sourceList gives the source's allow-list (or null), asked for only once the global list admits the
     *                   target, so a target refused anyway costs no look-up of the source's list
     */
    public Verdict check(URI uri, Supplier<TargetAllowlist> sourceList) {
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

        if (deniedByName(host, port, literal)) {
            return Verdict.refuse(Verdict.Outcome.DENYLISTED, "host " + host + " is in target_denylist");
        }
        NameMatch global = NameMatch.of(allowlist, host, port, literal);
        if (!global.couldAdmit()) {
            // nothing could admit this host: answer without a DNS lookup
            return Verdict.refuse(Verdict.Outcome.NOT_ALLOWLISTED, "host " + host + " is not in " + GLOBAL_LIST);
        }

        List<InetAddress> addresses;
        if (literal != null) {
            addresses = List.of(literal);
        } else {
            try {
                addresses = List.copyOf(resolver.resolve(host));
            } catch (UnknownHostException e) {
                return Verdict.refuse(Verdict.Outcome.UNRESOLVABLE, "host " + host + " does not resolve");
            }
            if (addresses.isEmpty()) {
                return Verdict.refuse(Verdict.Outcome.UNRESOLVABLE, "host " + host + " does not resolve");
            }
        }
        for (InetAddress a : addresses) {
            if (deniedAddress(a, port)) {
                return new Verdict(Verdict.Outcome.DENYLISTED, "host " + host + (literal != null ? ""
                        : " (" + a.getHostAddress() + ")") + " is in target_denylist", addresses);
            }
        }
        Verdict verdict = judge(allowlist, global, host, literal, port, addresses, GLOBAL_LIST);
        TargetAllowlist narrower = verdict.allowed() ? sourceList.get() : null;
        if (narrower != null) {
            verdict = judge(narrower, NameMatch.of(narrower, host, port, literal), host, literal, port, addresses,
                    SOURCE_LIST);
        }
        return verdict;
    }

    /** Which name entries of one list admit the host, and whether the list has CIDR entries (which may admit it). */
    private record NameMatch(boolean exact, boolean domain, boolean anyCidr) {

        static NameMatch of(TargetAllowlist list, String host, int port, InetAddress literal) {
            boolean exact = false;
            boolean domain = false;
            boolean anyCidr = false;
            for (AllowEntry e : list.entries()) {
                if (e instanceof AllowEntry.Host h && h.host().equals(host)) {
                    exact = true;
                } else if (e instanceof AllowEntry.HostPort hp && hp.host().equals(host) && hp.port() == port) {
                    exact = true;
                } else if (e instanceof AllowEntry.Domain d && literal == null && d.matches(host)) {
                    domain = true;
                } else if (e instanceof AllowEntry.Cidr) {
                    anyCidr = true;
                }
            }
            return new NameMatch(exact, domain, anyCidr);
        }

        boolean couldAdmit() {
            return exact || domain || anyCidr;
        }

        boolean byName() {
            return exact || domain;
        }
    }

    /** Whether every address is acceptable under one list, the host admitted by {@code match}. */
    private static Verdict judge(TargetAllowlist list, NameMatch match, String host, InetAddress literal, int port,
                                 List<InetAddress> addresses, String listName) {
        for (InetAddress a : addresses) {
            if (inCidr(list.entries(), a)) {
                continue; // a CIDR entry names this address explicitly, special or not
            }
            boolean literalEntry = inLiteralEntry(list.entries(), a, port);
            String special = SpecialAddresses.kind(a);
            if (special != null && !literalEntry) {
                // a host-name or *.domain entry says which NAME may be called, not which addresses it may reach
                return new Verdict(Verdict.Outcome.SPECIAL_ADDRESS, "host " + host + " resolves to a " + special
                        + " address (" + a.getHostAddress() + ") that no IP-literal or CIDR entry of " + listName
                        + " covers", addresses);
            }
            if (!match.byName()) {
                return new Verdict(Verdict.Outcome.NOT_ALLOWLISTED, "host " + host + (literal != null ? ""
                        : " (" + a.getHostAddress() + ")") + " is not in " + listName, addresses);
            }
        }
        return new Verdict(Verdict.Outcome.ALLOWED, "host " + host + " is allow-listed", addresses);
    }

    /** A deny entry names the host: equal to it (with its port for {@code host:port}), or a domain above it. */
    private boolean deniedByName(String host, int port, InetAddress literal) {
        for (AllowEntry e : allowlist.denied()) {
            if (e instanceof AllowEntry.Host h && h.host().equals(host)
                    || e instanceof AllowEntry.HostPort hp && hp.host().equals(host) && hp.port() == port
                    || e instanceof AllowEntry.Domain d && literal == null && d.matches(host)) {
                return true;
            }
        }
        return false;
    }

    /** A deny entry names the address: an IP-literal entry equal to it (with the port when given), or a CIDR. */
    private boolean deniedAddress(InetAddress a, int port) {
        return inLiteralEntry(allowlist.denied(), a, port) || inCidr(allowlist.denied(), a);
    }

    /** An IP-literal {@code host} or {@code host:port} entry (port must match when given) names this address. */
    private static boolean inLiteralEntry(List<AllowEntry> entries, InetAddress a, int port) {
        for (AllowEntry e : entries) {
            String h = e instanceof AllowEntry.Host x ? x.host()
                    : e instanceof AllowEntry.HostPort hp && hp.port() == port ? hp.host() : null;
            if (h != null && a.equals(literal(h))) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(List<AllowEntry> entries, InetAddress a) {
        for (AllowEntry e : entries) {
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
