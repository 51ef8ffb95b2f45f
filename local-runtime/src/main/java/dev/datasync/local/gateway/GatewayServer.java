package dev.datasync.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.local.log.RuntimeLog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The local API Gateway: the deployment's routes on 127.0.0.1, each mapped to a function through the Fn
 * HTTP-gateway contract ({@link GatewayHandler}, {@link GatewayMapping}). Answers its own errors as JSON
 * {@code {"code","message","field"}}: 404 unknown route, 405 wrong method, 401 admin route without the admin token,
 * 413 body over the limit. {@code GET /health} (or HEAD) is 200 only when {@code ready} says everything behind it is
 * up; any other method on it is 405 like on every route.
 */
public final class GatewayServer implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("gateway");

    private final HttpServer server;
    private final ExecutorService executor;
    private final GatewayHandler handler;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    private GatewayServer(HttpServer server, ExecutorService executor, GatewayHandler handler) {
        this.server = server;
        this.executor = executor;
        this.handler = handler;
    }

    /**
     * @param port         0 for an ephemeral port
     * @param threads      concurrent requests served (each waits for a function container)
     * @param maxBodyBytes largest accepted request body
     */
    public static GatewayServer start(int port, List<GatewayRoute> routes, String adminToken, long maxBodyBytes,
                                      int threads, BooleanSupplier ready) throws IOException {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is required");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gateway");
            t.setDaemon(true);
            return t;
        });
        GatewayServer gw = new GatewayServer(http, executor,
                new GatewayHandler(routes, adminToken, maxBodyBytes, ready));
        http.setExecutor(executor);
        http.createContext("/", gw::handle);
        http.start();
        LOG.info("gateway_started", "url", gw.baseUrl());
        return gw;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
    public void close() {
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
