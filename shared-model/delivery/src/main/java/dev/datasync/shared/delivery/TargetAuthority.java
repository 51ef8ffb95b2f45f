package dev.datasync.shared.delivery;

import java.net.URI;
import java.util.Locale;

/**
 * What per-target load control is keyed by: a target's scheme, host and port (the port the call goes to, the
 * scheme's default when the URL has none). Paths and queries of one authority share its limits: they are one
 * server, or one gateway in front of it.
 */
public record TargetAuthority(String scheme, String host, int port) {

    public static TargetAuthority of(URI target) {
        String scheme = target.getScheme() == null ? "https" : target.getScheme().toLowerCase(Locale.ROOT);
        String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
        int port = target.getPort() >= 0 ? target.getPort() : scheme.equals("http") ? 80 : 443;
        return new TargetAuthority(scheme, host, port);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
