package dev.datasync.shared.config.internal;

import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.ConfigKeys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code target_allowlist} entry. IP-literal {@link Host} / {@link HostPort} entries and {@link Cidr} entries may
 * name private, loopback, link-local or metadata addresses on purpose; a host-name entry or a {@link Domain} wildcard
 * never admits them by itself (see {@code dev.datasync.shared.guard.TargetGuard}).
 */
public sealed interface AllowEntry {

    /** An exact host name or IP literal, any port. */
    record Host(String host) implements AllowEntry {
    }

    /** An exact host name or IP literal with one port. */
    record HostPort(String host, int port) implements AllowEntry {
    }

    /** {@code *.example.org}: any host strictly below {@code example.org}, any port. */
    record Domain(String suffix) implements AllowEntry {
        public boolean matches(String host) {
            return host.endsWith("." + suffix);
        }
    }

    /** An IPv4 or IPv6 network. */
    record Cidr(InetAddress network, int prefixBits) implements AllowEntry {
        public boolean contains(InetAddress address) {
            byte[] net = network.getAddress();
            byte[] addr = address.getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (net[i] != addr[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (net[full] & mask) == (addr[full] & mask);
        }
    }

    Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** Parses one entry; throws {@link ConfigException} naming {@code target_allowlist}. */
    static AllowEntry parse(String raw) {
        return parse(raw, ConfigKeys.TARGET_ALLOWLIST);
    }

    /** Parses one entry of the list under {@code key}; a {@link ConfigException} names that key. */
    static AllowEntry parse(String raw, String key) {
        String e = raw.strip().toLowerCase(Locale.ROOT);
        if (e.contains("/")) {
            String[] parts = e.split("/", -1);
            if (parts.length != 2) {
                throw new ConfigException(key, "'" + raw + "' is not a CIDR");
            }
            InetAddress net = ipLiteral(parts[0]);
            if (net == null) {
                throw new ConfigException(key, "'" + raw + "' is not a CIDR (network must be an IP address)");
            }
            int bits;
            try {
                bits = Integer.parseInt(parts[1]);
            } catch (NumberFormatException ex) {
                throw new ConfigException(key, "'" + raw + "' has an invalid prefix length");
            }
            if (bits < 0 || bits > net.getAddress().length * 8) {
                throw new ConfigException(key, "'" + raw + "' has an invalid prefix length");
            }
            return new Cidr(net, bits);
        }
        if (e.startsWith("*.")) {
            String suffix = e.substring(2);
            if (!HOST_NAME.matcher(suffix).matches() || ipLiteral(suffix) != null || !suffix.contains(".")) {
                throw new ConfigException(key, "'" + raw + "' is not a valid *.domain entry (e.g. *.example.org)");
            }
            return new Domain(suffix);
        }
        if (e.startsWith("[")) { // [v6] or [v6]:port
            int close = e.indexOf(']');
            InetAddress v6 = close > 0 ? ipLiteral(e.substring(1, close)) : null;
            if (v6 == null) {
                throw new ConfigException(key, "'" + raw + "' is not a valid [IPv6] entry");
            }
            String host = v6.getHostAddress();
            if (close == e.length() - 1) {
                return new Host(host);
            }
            if (e.charAt(close + 1) != ':') {
                throw new ConfigException(key, "'" + raw + "' is not a valid [IPv6]:port entry");
            }
            return new HostPort(host, port(key, raw, e.substring(close + 2)));
        }
        InetAddress literal = ipLiteral(e);
        if (literal != null) {
            return new Host(literal.getHostAddress());
        }
        int colon = e.lastIndexOf(':');
        String host = colon >= 0 ? e.substring(0, colon) : e;
        if (!HOST_NAME.matcher(host).matches()) {
            throw new ConfigException(key, "'" + raw + "' is not a host, *.domain, host:port or CIDR");
        }
        InetAddress hostLiteral = ipLiteral(host);
        String normalised = hostLiteral != null ? hostLiteral.getHostAddress() : host;
        return colon >= 0 ? new HostPort(normalised, port(key, raw, e.substring(colon + 1))) : new Host(normalised);
    }

    private static int port(String key, String raw, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new ConfigException(key, "'" + raw + "' has an invalid port");
    }

    /**
     * The address for an IPv4/IPv6 literal, null for anything else. Never does a DNS lookup: only strings that can
     * only be literals are handed to {@link InetAddress#getByName}.
     */
    static InetAddress ipLiteral(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = t.contains(":") && t.matches("[0-9a-f:.%]+");
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
