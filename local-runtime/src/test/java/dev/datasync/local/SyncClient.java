package dev.datasync.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A caller of a gateway's {@code POST /stream/sync}, as a client application would be: JSON body, its own headers. */
public final class SyncClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;

    /** @param timeout how long a call may take before the caller gives up (an ambiguous outcome for it) */
    public SyncClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** POST {@code gatewayUrl}/stream/sync with {@code headers} (name, value, …). */
    public HttpResponse<String> sync(String gatewayUrl, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gatewayUrl + "/stream/sync")).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
