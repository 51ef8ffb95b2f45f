package dev.datasync.shared.delivery;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Makes one HTTP attempt at a target. One instance (one {@link HttpClient}, one connection pool) per container.
 * Redirects are never followed: a 3xx is reported as it is, a failure, since the request did not reach the resource
 * it named and following it could take the caller's token to a host the allow-list never admitted.
 */
public final class TargetCaller {

    /** Never taken from targetRestApiHeaders: the token and the idempotency key are set here only. */
    private static final Set<String> OWN_HEADERS = Set.of("authorization", "idempotency-key");

    private final HttpClient client;
    private final Clock clock;

    public TargetCaller(Duration connectTimeout, Clock clock) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.clock = clock;
    }

    AttemptResult call(DeliveryRequest r, String token, Duration timeout) {
        HttpRequest request;
        try {
            request = build(r, token, timeout);
        } catch (IllegalArgumentException e) {
            // a header the JDK refuses (restricted name, bad characters): the message can never be sent as is
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.INVALID,
                    "the request cannot be built: a header is not acceptable to the HTTP client"));
        }
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return new AttemptResult.Answered(response.statusCode(),
                    RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock.instant()));
        } catch (HttpConnectTimeoutException e) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.TIMEOUT, "connect timed out"));
        } catch (HttpTimeoutException e) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.TIMEOUT,
                    "no response within " + timeout.toMillis() + " ms"));
        } catch (ConnectException e) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.NETWORK, "connection refused or unreachable"));
        } catch (IOException e) {
            // exception messages may quote the URL; only the type is reported
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.NETWORK,
                    "network error (" + e.getClass().getSimpleName() + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.TIMEOUT, "interrupted before an answer"));
        }
    }

    private static HttpRequest build(DeliveryRequest r, String token, Duration timeout) {
        HttpRequest.BodyPublisher body = r.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(r.body());
        HttpRequest.Builder b = HttpRequest.newBuilder(r.target())
                .timeout(timeout)
                .method(r.method(), body);
        if ("http".equalsIgnoreCase(r.target().getScheme())) {
            // plain http (local use): no h2c upgrade attempt, which hardly any server supports; https negotiates
            // HTTP/2 through ALPN where the target offers it
            b.version(HttpClient.Version.HTTP_1_1);
        }
        boolean contentType = false;
        for (var h : r.headers()) {
            if (h.key() == null || h.value() == null) {
                continue; // an incomplete entry names no header to send: skipped, not a reason to fail the message
            }
            String lower = h.key().toLowerCase(Locale.ROOT);
            if (OWN_HEADERS.contains(lower)) {
                continue;
            }
            contentType |= lower.equals("content-type");
            b.header(h.key(), h.value());
        }
        if (r.body() != null && !contentType) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", token);
        }
        if (r.syncId() != null) {
            b.header("Idempotency-Key", r.syncId());
        }
        return b.build();
    }
}
