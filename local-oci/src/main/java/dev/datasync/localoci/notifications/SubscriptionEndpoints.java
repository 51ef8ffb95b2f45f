package dev.datasync.localoci.notifications;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Where a declared subscription delivers, checked before anything is created: an OUTBOX file must stay inside
 * the data directory, and a webhook must be http(s) on the loopback interface (the emulator never calls out).
 */
final class SubscriptionEndpoints {
    static final String OUTBOX = "OUTBOX";
    static final Set<String> WEBHOOK_PROTOCOLS = Set.of("HTTPS", "CUSTOM_HTTPS");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private SubscriptionEndpoints() {}

    /** The protocol in upper case; IllegalArgumentException for anything other than OUTBOX / HTTPS / CUSTOM_HTTPS. */
    static String protocol(String declared) {
        String protocol = declared == null ? OUTBOX : declared.toUpperCase(Locale.ROOT);
        if (!protocol.equals(OUTBOX) && !WEBHOOK_PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("subscription protocol must be OUTBOX, HTTPS or CUSTOM_HTTPS, not "
                    + declared);
        }
        return protocol;
    }

    /** The endpoint to store: an outbox path relative to the data dir, or the webhook URL. */
    static String endpoint(String protocol, String declared, String topicName, Path dataDir) {
        if (protocol.equals(OUTBOX)) {
            String relative = declared == null || declared.isBlank() ? "outbox/" + topicName + ".jsonl" : declared;
            outboxFile(dataDir, relative);
            return relative;
        }
        if (declared == null || declared.isBlank()) {
            throw new IllegalArgumentException("a " + protocol + " subscription needs an endpoint URL");
        }
        URI uri = URI.create(declared);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("webhook endpoint must be http or https: " + redact(uri));
        }
        if (uri.getHost() == null || !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("webhook endpoint must be on 127.0.0.1 (local sinks only): "
                    + redact(uri));
        }
        return declared;
    }

    static Path outboxFile(Path dataDir, String relative) {
        Path root = dataDir.toAbsolutePath().normalize();
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IllegalArgumentException("outbox path must stay inside the data directory: " + relative);
        }
        return file;
    }

    /** A URL fit for logs and errors: user info (Basic credentials) removed. */
    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
