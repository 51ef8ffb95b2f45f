package dev.datasync.local.oci;

import dev.datasync.localoci.auth.AdminSecret;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether local-oci answers, for the gateway's {@code /health}: {@code GET /_admin/health} with the admin secret,
 * 2 s to answer. Asked at most once a second however often {@code /health} is called, so a busy health check cannot
 * add load to an emulator that is already struggling.
 */
public final class LocalOciProbe {

    private static final long CACHE_NANOS = 1_000_000_000L;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpRequest request;
    private volatile boolean lastAnswer;
    private volatile long askedAt = System.nanoTime() - 2 * CACHE_NANOS;

    public LocalOciProbe(String baseUrl, String adminSecret) {
        this.request = HttpRequest.newBuilder(URI.create(baseUrl + "/_admin/health"))
                .header(AdminSecret.HEADER, adminSecret).timeout(Duration.ofSeconds(2)).GET().build();
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
            boolean up;
            try {
                up = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                up = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                up = false;
            }
            lastAnswer = up;
            askedAt = System.nanoTime();
            return up;
        }
    }
}
