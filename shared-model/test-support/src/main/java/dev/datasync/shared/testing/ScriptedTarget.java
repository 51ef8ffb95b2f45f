package dev.datasync.shared.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP target on 127.0.0.1 (ephemeral port) answering from a script: per path, a queue of responses
 * (status, headers, delay); when a path's queue is empty its default answer is used (200 unless set). Records
 * every request it received and the highest number of requests in flight at once.
 */
public final class ScriptedTarget implements AutoCloseable {

    public record Reply(int status, Map<String, String> headers, long delayMs) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), 0);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new TreeMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, delayMs);
        }

        public Reply delayed(long ms) {
            return new Reply(status, headers, ms);
        }
    }

    public record Received(String method, String path, Map<String, String> headers, byte[] body, long startNanos,
                           long endNanos, int remotePort) {
        /** Case-insensitive header lookup; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Reply> defaults = new ConcurrentHashMap<>();
    private volatile Reply fallback = Reply.status(200);
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private ScriptedTarget(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ScriptedTarget start() {
        return startAt(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /**
     * Listening on one IPv4 address and port, e.g. 127.0.0.2 next to another target on 127.0.0.1 and the same port,
     * to tell which address a call reached.
     */
    public static ScriptedTarget startAt(InetSocketAddress address) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(address, 256);
            ExecutorService ex = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "scripted-target");
                t.setDaemon(true);
                return t;
            });
            ScriptedTarget target = new ScriptedTarget(server, ex);
            server.createContext("/", target::handle);
            server.setExecutor(ex);
            server.start();
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    /** Queue replies for a path, consumed in order. */
    public ScriptedTarget script(String path, Reply... replies) {
        Deque<Reply> q = scripts.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>());
        for (Reply r : replies) {
            q.addLast(r);
        }
        return this;
    }

    /** The reply for a path once its script is used up. */
    public ScriptedTarget byDefault(String path, Reply reply) {
        defaults.put(path, reply);
        return this;
    }

    /** The reply for every path without a script or default. */
    public ScriptedTarget fallback(Reply reply) {
        this.fallback = reply;
        return this;
    }

    private volatile java.util.function.Consumer<Received> onRequest;

    /** Runs for every request before it is answered (e.g. to change the world while a delivery is under way). */
    public ScriptedTarget onRequest(java.util.function.Consumer<Received> hook) {
        this.onRequest = hook;
        return this;
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public List<Received> received(String path) {
        return received().stream().filter(r -> r.path().equals(path)).toList();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean stillCounted = true;
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            Deque<Reply> q = scripts.get(path);
            Reply reply = q == null ? null : q.pollFirst();
            if (reply == null) {
                reply = defaults.getOrDefault(path, fallback);
            }
            if (reply.delayMs() > 0) {
                try {
                    Thread.sleep(reply.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Map<String, String> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            Received r = new Received(ex.getRequestMethod(), path, headers, body, start, System.nanoTime(),
                    ex.getRemoteAddress().getPort());
            received.add(r);
            java.util.function.Consumer<Received> hook = onRequest;
            if (hook != null) {
                hook.accept(r);
            }
            // leave the in-flight count BEFORE answering: once the answer is on the wire the client may send its
            // next request before this thread gets to a finally block, which would count one call twice
            inFlight.decrementAndGet();
            stillCounted = false;
            ex.sendResponseHeaders(reply.status(), -1);
        } finally {
            if (stillCounted) {
                inFlight.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
