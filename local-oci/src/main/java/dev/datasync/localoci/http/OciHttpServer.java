package dev.datasync.localoci.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.localoci.auth.SignatureVerifier;
import dev.datasync.localoci.fault.Faults;
import dev.datasync.localoci.store.Store;
import dev.datasync.localoci.support.JsonLog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The emulator's one HTTP listener on 127.0.0.1. For every request: route on the raw path → read the body →
 * verify the signature → apply injected faults → call the handler (through {@link RetryTokens} where the
 * operation takes {@code opc-retry-token}) → answer, always with {@code opc-request-id}.
 * Errors are OCI-shaped {@code {"code","message"}}. Paths under {@code /_admin/} go to {@link AdminHandler}
 * (loopback callers with the admin secret, unsigned).
 * <p>
 * Slow clients: each request is read on its own thread within {@link HttpServerLimits} (256 at once, 90 s per
 * request), and the handler work behind requests — signature check, faults, the service — is bounded by
 * {@code threads} permits. So a client trickling its request holds only its own connection's thread, never a
 * permit: however many trickle, the others' requests (and {@code /_admin/health}) are answered.
 */
public final class OciHttpServer implements AutoCloseable {
    /** Largest request body read into memory (PutObject is the big one; PutMessages is capped at 1 MB anyway). */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Semaphore work;
    private final Router router;
    private final SignatureVerifier verifier;
    private final Faults faults;
    private final AdminHandler admin;
    private final RetryTokens retryTokens;

    public OciHttpServer(int port, int threads, Router router, SignatureVerifier verifier, Faults faults,
                         AdminHandler admin, RetryTokens retryTokens) throws IOException {
        this.retryTokens = retryTokens;
        this.router = router;
        this.verifier = verifier;
        this.faults = faults;
        this.admin = admin;
        HttpServerLimits.apply();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        this.executor = HttpServerLimits.connectionThreads("local-oci-http");
        this.work = new Semaphore(threads, true);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        String requestId = exchange.getRequestHeaders().getFirst("opc-request-id");
        if (requestId == null || requestId.isBlank()) {
            requestId = newRequestId();
        }
        Response response;
        try {
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            if (rawPath.startsWith(AdminHandler.PREFIX)) {
                response = admin.handle(exchange, method, rawPath, readBody(exchange));
            } else {
                Router.Match match = router.find(method, rawPath);
                byte[] body = readBody(exchange);
                work.acquire();
                try {
                    verifier.verify(method, rawPath, rawQuery, exchange.getRequestHeaders(), body,
                            match.route().signing());
                    faults.apply(match.route().operation());
                    Request request = new Request(match.route().operation(), method, rawPath, match.pathParams(),
                            PercentCoding.parseQuery(rawQuery), exchange.getRequestHeaders(), body, requestId);
                    response = match.route().retryToken()
                            ? retryTokens.handle(request, match.route().handler())
                            : match.route().handler().handle(request);
                } finally {
                    work.release();
                }
            }
        } catch (OciException e) {
            response = Response.error(e.status(), e.code(), e.getMessage());
        } catch (Store.StoreException e) {
            JsonLog.error("store-failure", "opcRequestId", requestId, JsonLog.REASON, e.getMessage());
            response = Response.error(500, "InternalServerError", "Storage failure");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.error(503, "ServiceUnavailable", "The emulator is stopping");
        } catch (Exception e) {
            JsonLog.error("handler-failure", "opcRequestId", requestId, JsonLog.CODE, e.getClass().getName());
            response = Response.error(500, "InternalServerError", "Internal error");
        }
        send(exchange, response, requestId);
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    throw OciException.invalidParameter("Content-Length is not a number");
                }
                if (declared > MAX_BODY_BYTES) {
                    throw OciException.payloadTooLarge("Request body exceeds " + MAX_BODY_BYTES + " bytes");
                }
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw OciException.payloadTooLarge("Request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static void send(HttpExchange exchange, Response response, String requestId) {
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            for (Map.Entry<String, String> h : response.headers().entrySet()) {
                headers.set(h.getKey(), h.getValue());
            }
            headers.set("opc-request-id", requestId);
            boolean noBody = response.body().length == 0 || exchange.getRequestMethod().equals("HEAD")
                    || response.status() == 204 || response.status() == 304;
            if (noBody) {
                exchange.sendResponseHeaders(response.status(), -1);
            } else {
                exchange.sendResponseHeaders(response.status(), response.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to answer to
        }
    }

    static String newRequestId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
