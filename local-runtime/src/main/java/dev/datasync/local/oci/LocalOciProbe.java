package dev.datasync.local.oci;

import dev.datasync.localoci.auth.AdminSecret;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Whether local-oci answers a new client, for the gateway's {@code /health}: {@code GET /_admin/health} with the
 * admin secret on a connection of its own (a pooled connection would keep answering while local-oci refuses every
 * new one, as it does once its connection limit is taken), 2 s to connect and answer. Asked at most once a second
 * however often {@code /health} is called, so a busy health check adds no load to an emulator that is struggling.
 */
public final class LocalOciProbe {

    private static final long CACHE_NANOS = 1_000_000_000L;
    private static final int TIMEOUT_MS = 2_000;

    private final InetSocketAddress address;
    private final byte[] request;
    private volatile boolean lastAnswer;
    private volatile long askedAt = System.nanoTime() - 2 * CACHE_NANOS;

    public LocalOciProbe(String baseUrl, String adminSecret) {
        URI uri = URI.create(baseUrl);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.request = ("GET /_admin/health HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + AdminSecret.HEADER + ": " + adminSecret + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public boolean answers() {
        long now = System.nanoTime();
        if (now - askedAt < CACHE_NANOS) {
            return lastAnswer;
        }
        synchronized (this) {
            if (now - askedAt < CACHE_NANOS) {
                return lastAnswer;
            }
            lastAnswer = ask();
            askedAt = System.nanoTime();
            return lastAnswer;
        }
    }

    private boolean ask() {
        try (Socket s = new Socket()) {
            s.connect(address, TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] statusLine = in.readNBytes("HTTP/1.1 200".length());
            return new String(statusLine, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }
}
