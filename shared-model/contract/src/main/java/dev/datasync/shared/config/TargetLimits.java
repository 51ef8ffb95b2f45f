package dev.datasync.shared.config;

import dev.datasync.shared.config.internal.AllowEntry;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rate caps of {@code target_limits}: calls per second a target may receive from the whole application, and
 * {@code target_limits_containers}, how many containers deliver at the same time. Each container enforces its
 * share, the cap divided by that number, so together they stay within the cap.
 *
 * @param caps       one per entry, in the configured order
 * @param containers the divisor of every cap (at least 1)
 */
public record TargetLimits(List<Cap> caps, int containers) {

    /** No caps: every target is limited only by its adaptive concurrency. */
    public static final TargetLimits NONE = new TargetLimits(List.of(), 1);

    private static final Pattern ENTRY = Pattern.compile("(.+)=([0-9]+)/(s|min)");

    /**
     * One entry, {@code host=N/s}, {@code host:port=N/s} or {@code N/min}: {@code port} null matches every port of the
     * host. {@code host} is lower case, an IP literal in its canonical form (as the guard compares them).
     */
    public record Cap(String host, Integer port, double perSecond, String entry) {

        boolean matches(String normalisedHost, int targetPort) {
            return host.equals(normalisedHost) && (port == null || port == targetPort);
        }
    }

    public TargetLimits {
        caps = List.copyOf(caps);
        if (containers < 1) {
            throw new IllegalArgumentException("containers must be at least 1");
        }
    }

    /**
     * This container's share of the cap for a target, in calls per second; empty when no entry names it. A
     * {@code host:port} entry beats a {@code host} entry.
     */
    public OptionalDouble perSecondFor(String host, int port) {
        String h = normalise(host);
        Cap best = null;
        for (Cap c : caps) {
            if (c.matches(h, port) && (best == null || best.port() == null)) {
                best = c;
            }
        }
        return best == null ? OptionalDouble.empty() : OptionalDouble.of(best.perSecond() / containers);
    }

    static TargetLimits parse(List<String> entries, int containers) {
        List<Cap> caps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String entry : entries) {
            Cap cap = parseEntry(entry);
            if (!seen.add(cap.host() + ":" + cap.port())) {
                throw new ConfigException(ConfigKeys.TARGET_LIMITS, "'" + entry + "' names a target that an earlier"
                        + " entry already limits");
            }
            caps.add(cap);
        }
        return new TargetLimits(caps, containers);
    }

    private static Cap parseEntry(String entry) {
        String key = ConfigKeys.TARGET_LIMITS;
        Matcher m = ENTRY.matcher(entry.strip());
        if (!m.matches()) {
            throw new ConfigException(key, "'" + entry + "' is not host=N/s, host:port=N/s or host=N/min"
                    + " (N a whole number, e.g. orders.example.com=20/s)");
        }
        AllowEntry target;
        try {
            target = AllowEntry.parse(m.group(1).strip(), key);
        } catch (ConfigException e) {
            target = null;
        }
        String host;
        Integer port;
        if (target instanceof AllowEntry.Host h) {
            host = h.host();
            port = null;
        } else if (target instanceof AllowEntry.HostPort hp) {
            host = hp.host();
            port = hp.port();
        } else {
            throw new ConfigException(key, "'" + entry + "': '" + m.group(1).strip() + "' is not a host or host:port"
                    + " (no wildcard, CIDR, scheme or path)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1_000_000) {
            throw new ConfigException(key, "'" + entry + "': the rate must be between 1 and 1000000");
        }
        double perSecond = m.group(3).equals("s") ? n : n / 60.0;
        return new Cap(host, port, perSecond, entry.strip());
    }

    /** The host as entries store it: lower case, brackets off, an IP literal in canonical form. */
    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        InetAddress literal = AllowEntry.ipLiteral(h);
        return literal != null ? literal.getHostAddress() : h;
    }
}
