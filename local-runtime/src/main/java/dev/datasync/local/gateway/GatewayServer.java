package dev.datasync.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.localoci.http.HttpServerLimits;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The local API Gateway: the deployment's routes on 127.0.0.1, each mapped to a function through the Fn
 * HTTP-gateway contract ({@link GatewayHandler}, {@link GatewayMapping}) behind its guard. Answers its own errors as
 * JSON {@code {"code","message","field"}}: 404 unknown route, 405 wrong method, 401 credential missing or refused,
 * 429 rate limit, 413 body over the limit. {@code GET /health} (or HEAD) is 200 only when {@code health} says
 * everything behind it is up; any other method on it is 405 like on every route.
 * <p>
 * Slow clients: each request is read on its own thread within {@link HttpServerLimits} (256 at once, 90 s per
 * request), and at most {@code workers} requests are inside functions at once, so clients trickling their
 * requests never keep {@code /health} or anyone else's request from being answered.
 * <p>
 * {@link #bind} takes the port first, so its number is known (and can be written into the functions'
 * configuration) before anything is served; {@link #serve} then starts answering.
 */
public final class GatewayServer implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("gateway");

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile GatewayHandler handler;
    private volatile boolean draining;
    private boolean closed;

    private GatewayServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on 127.0.0.1:{@code port} (0 = any free port); connections wait until {@link #serve}. */
    public static GatewayServer bind(int port) throws IOException {
        HttpServerLimits.apply();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ExecutorService executor = HttpServerLimits.connectionThreads("gateway");
        http.setExecutor(executor);
        return new GatewayServer(http, executor);
    }

    /**
     * @param maxBodyBytes largest accepted request body
     * @param workers      requests inside functions at once (each waits for a function container)
     */
    public GatewayServer serve(List<GatewayRoute> routes, long maxBodyBytes, int workers,
                               Supplier<GatewayHealth> health) {
        handler = new GatewayHandler(routes, maxBodyBytes, workers, health);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("gateway_started", "url", baseUrl());
        return this;
    }

    public static GatewayServer start(int port, List<GatewayRoute> routes, long maxBodyBytes, int workers,
                                      Supplier<GatewayHealth> health) throws IOException {
        return bind(port).serve(routes, maxBodyBytes, workers, health);
    }

    /**
     * Serves {@code prefix} (and everything under it) with its own handler instead of the routes, like the console;
     * call after {@link #serve}.
     */
    public void mount(String prefix, HttpHandler h) {
        server.createContext(prefix, ex -> {
            inFlight.incrementAndGet();
            try {
                h.handle(ex);
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(HttpExchange ex) {
        inFlight.incrementAndGet();
        try {
            handler.handle(ex, draining);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Requests already inside a function finish and get their answer (a 202 the client never receives would
        // make it send again); new ones are turned away with 503 until the listener closes.
        draining = true;
        long until = System.currentTimeMillis() + 15_000;
        while (inFlight.get() > 0 && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        LOG.info("gateway_stopped");
    }
}
