package dev.datasync.local.gateway;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;

/** How the gateway's handlers (the API routes and the console) read and answer a JDK {@link HttpExchange}. */
public final class Exchanges {

    private Exchanges() {
    }

    /**
     * Reads and discards the body. Not {@code skip()}: the JDK server's body stream inherits FilterInputStream's
     * skip, which skips the raw socket stream without counting, so the later close() waits for bytes that never come.
     */
    public static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // discard
            }
        }
    }

    /** A JSON error answer {@code {code, message, field}}. */
    public static void error(HttpExchange ex, GatewayError e) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, e.status(), e.json());
    }

    /**
     * Sends status and body; to HEAD only the status and headers. (Handing the JDK server a length for a HEAD
     * answer makes it print a plain-text warning into the log, which must hold JSON lines only.)
     */
    public static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
