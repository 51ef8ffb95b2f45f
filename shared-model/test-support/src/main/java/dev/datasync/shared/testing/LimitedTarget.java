package dev.datasync.shared.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP target on 127.0.0.1 (ephemeral port) with a fixed capacity, like a service behind a concurrency
 * limit: it serves at most {@code capacity} requests at once, each taking {@code latencyMs}, and answers 503 at
 * once to a request beyond that. Counts what it served and what it refused.
 */
public final class LimitedTarget implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Semaphore slots;
    private final long latencyMs;
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private LimitedTarget(HttpServer server, ExecutorService executor, int capacity, long latencyMs) {
        this.server = server;
        this.executor = executor;
        this.slots = new Semaphore(capacity);
        this.latencyMs = latencyMs;
    }

    public static LimitedTarget start(int capacity, long latencyMs) {
        // without it the JDK server adds ~40 ms to every answer (Nagle + delayed ACK)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            ExecutorService ex = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "limited-target");
                t.setDaemon(true);
                return t;
            });
            LimitedTarget target = new LimitedTarget(server, ex, capacity, latencyMs);
            server.createContext("/", target::handle);
            server.setExecutor(ex);
            server.start();
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Requests answered 200. */
    public int served() {
        return served.get();
    }

    /** Requests answered 503 because the target was at its capacity. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex; InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
            if (!slots.tryAcquire()) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            boolean held = true;
            try {
                Thread.sleep(latencyMs);
                // free the slot BEFORE answering: once the answer is on the wire the client may send its next
                // request before this thread gets further, and would find the slot still taken
                slots.release();
                held = false;
                served.incrementAndGet();
                ex.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (held) {
                    slots.release();
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
