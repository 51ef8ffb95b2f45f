package dev.datasync.shared.delivery;

import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.signing.WebhookSigner;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes one HTTP attempt at a target, at an address the SSRF guard approved. One instance (one client, one
 * connection pool) per container; close it with the container.
 * <ul>
 * <li>DNS pinning: the call connects to the first of the approved addresses (the order the resolver gave them, as
 * the JDK client would) and never resolves the name itself — its resolver refuses every look-up — so a DNS answer
 * that changes after the check (rebinding) cannot take the call to an address the guard did not see. Pooled
 * connections are kept per host name AND address, so a connection is only ever reused for the address it was
 * opened to. The name still goes in the Host header, and TLS (SNI and certificate verification) checks the name,
 * not the address. Apache HttpClient 5 does this through {@link HttpHost}'s address; the JDK HttpClient has no way
 * to (it always resolves the name again).</li>
 * <li>Redirects are never followed: a 3xx is reported as it is, a failure, since the request did not reach the
 * resource it named and following it could take the caller's token to a host the allow-list never admitted.</li>
 * <li>No retries of its own (the delivery engine decides those), HTTP/1.1, and a hard bound on the whole attempt:
 * {@code timeout} covers connecting, sending and waiting for the status line.</li>
 * </ul>
 */
public final class TargetCaller implements AutoCloseable {

    /** Never taken from targetRestApiHeaders: the token and the idempotency key are set here only. */
    private static final Set<String> OWN_HEADERS = Set.of("authorization", "idempotency-key");
    /** Connections per target address: above the largest {@code delivery_concurrency}; opened only when needed. */
    private static final int MAX_CONNECTIONS = 1024;

    private final CloseableHttpClient client;
    private final Clock clock;

    /** Trusting what the JVM trusts (its trust store, {@code javax.net.ssl.*} properties honoured). */
    public TargetCaller(Duration connectTimeout, Clock clock) {
        this(connectTimeout, clock, DefaultClientTlsStrategy.createSystemDefault());
    }

    /** With the TLS settings of a test's own certificate authority. */
    TargetCaller(Duration connectTimeout, Clock clock, SSLContext tls) {
        this(connectTimeout, clock, new DefaultClientTlsStrategy(tls));
    }

    private TargetCaller(Duration connectTimeout, Clock clock, TlsSocketStrategy tls) {
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(tls)
                        .setDnsResolver(NO_LOOKUPS)
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                // a pooled connection idle this long is checked before reuse: a target may have
                                // closed it meanwhile
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .build();
        this.clock = clock;
    }

    /** The resolver of the pool: the name of a pinned target is never looked up again. */
    private static final DnsResolver NO_LOOKUPS = new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new UnknownHostException("not resolved again: only the addresses the SSRF guard approved are used");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new UnknownHostException("not resolved again: only the addresses the SSRF guard approved are used");
        }
    };

    /**
     * @param signer    signs the attempt (Standard Webhooks headers), null for an unsigned delivery
     * @param addresses the target's addresses the guard approved (never empty)
     */
    AttemptResult call(DeliveryRequest r, String token, WebhookSigner signer, List<InetAddress> addresses,
                       Duration timeout) {
        if (addresses.isEmpty()) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.INVALID, "no approved address to call"));
        }
        HttpUriRequestBase request;
        try {
            request = build(r, token, signer, timeout);
        } catch (IllegalArgumentException e) {
            // a header the client refuses: the message can never be sent as is
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.INVALID,
                    "the request cannot be built: a header is not acceptable to the HTTP client"));
        }
        URI target = r.target();
        String scheme = target.getScheme().toLowerCase(Locale.ROOT);
        int port = target.getPort() >= 0 ? target.getPort() : scheme.equals("https") ? 443 : 80;
        HttpHost pinned = new HttpHost(scheme, addresses.get(0), target.getHost(), port);
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<Void> bound = CompletableFuture.runAsync(() -> {
            timedOut.set(true);
            request.cancel();
        }, CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try {
            return client.execute(pinned, request, response -> {
                // read and drop the body, so the connection can be reused
                EntityUtils.consume(response.getEntity());
                return new AttemptResult.Answered(response.getCode(), RetryAfter.parse(
                        response.getFirstHeader("Retry-After") == null ? null
                                : response.getFirstHeader("Retry-After").getValue(), clock.instant()));
            });
        } catch (ConnectTimeoutException e) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.TIMEOUT, "connect timed out"));
        } catch (ConnectException e) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.NETWORK, "connection refused or unreachable"));
        } catch (SocketTimeoutException e) {
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.TIMEOUT,
                    "no response within " + timeout.toMillis() + " ms"));
        } catch (IOException e) {
            if (timedOut.get() || e instanceof InterruptedIOException) {
                return new AttemptResult.NotAnswered(Failure.of(FailureKind.TIMEOUT,
                        "no response within " + timeout.toMillis() + " ms"));
            }
            // exception messages may quote the URL; only the type is reported
            return new AttemptResult.NotAnswered(Failure.of(FailureKind.NETWORK,
                    "network error (" + e.getClass().getSimpleName() + ")"));
        } finally {
            bound.cancel(false);
        }
    }

    private HttpUriRequestBase build(DeliveryRequest r, String token, WebhookSigner signer, Duration timeout) {
        HttpUriRequestBase b = new HttpUriRequestBase(r.method(), r.target());
        b.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        if (r.body() != null) {
            b.setEntity(new ByteArrayEntity(r.body(), null));
        }
        boolean contentType = false;
        for (var h : r.headers()) {
            if (h.key() == null || h.value() == null) {
                continue; // an incomplete entry names no header to send: skipped, not a reason to fail the message
            }
            String lower = h.key().toLowerCase(Locale.ROOT);
            if (OWN_HEADERS.contains(lower) || (r.trace() != null && lower.equals(TraceParent.HEADER))
                    || signer != null && WebhookSigner.HEADERS.contains(lower)) {
                // a message with a trace gets ours, never a second traceparent; a signed delivery's webhook-*
                // headers are the signature's, never the message's
                continue;
            }
            contentType |= lower.equals("content-type");
            b.addHeader(h.key(), h.value());
        }
        if (r.body() != null && !contentType) {
            b.addHeader("Content-Type", "application/json");
        }
        if (token != null) {
            b.addHeader("Authorization", token);
        }
        if (r.syncId() != null) {
            b.addHeader("Idempotency-Key", r.syncId());
        }
        if (r.trace() != null) {
            // the message's trace id, a new span id for this call (built once per attempt)
            b.addHeader(TraceParent.HEADER, r.trace().nextSpan().header());
        }
        if (signer != null) {
            sign(b, signer, r);
        }
        return b;
    }

    /**
     * The Standard Webhooks headers: {@code webhook-id} is the syncId (the idempotency key: the same on every attempt),
     * {@code webhook-timestamp} this attempt's time in seconds, {@code webhook-signature} over both and the body.
     */
    private void sign(HttpUriRequestBase b, WebhookSigner signer, DeliveryRequest r) {
        long timestamp = clock.instant().getEpochSecond();
        b.addHeader(WebhookSigner.WEBHOOK_ID, r.syncId());
        b.addHeader(WebhookSigner.WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        b.addHeader(WebhookSigner.WEBHOOK_SIGNATURE, signer.sign(r.syncId(), timestamp, r.body()));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing the pool at container end: nothing is waiting for it
        }
    }
}
