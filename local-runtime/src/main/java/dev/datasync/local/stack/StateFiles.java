package dev.datasync.local.stack;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * What the CLI checks before it sends anything to a URL a state file names (stack.json's gateway and local-oci):
 * an http URL on a loopback address, since the stack only ever listens on 127.0.0.1. (That the file itself is the
 * user's own and nobody else's to write is {@code PrivateFiles.requireOwnerOnly}.)
 */
public final class StateFiles {

    /** A state file naming somewhere the CLI will not send to. */
    public static final class Untrusted extends IllegalStateException {
        Untrusted(String message) {
            super(message);
        }
    }

    private StateFiles() {
    }

    /** Refuses a URL that is not http on a loopback address. */
    public static void requireLoopback(String url, Path namedIn) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Untrusted(namedIn + " names a malformed URL; refusing it");
        }
        String host = uri.getHost();
        boolean loopback = false;
        if ("http".equals(uri.getScheme()) && host != null && uri.getPort() > 0) {
            String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (literal.equals("localhost")) {
                loopback = true;
            } else if (literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                try {
                    loopback = InetAddress.getByName(literal).isLoopbackAddress();
                } catch (UnknownHostException e) {
                    loopback = false;
                }
            }
        }
        if (!loopback) {
            throw new Untrusted(namedIn + " names " + url + ", which is not an http URL on a loopback address; "
                    + "the local stack only listens on 127.0.0.1, so nothing is sent there");
        }
    }
}
