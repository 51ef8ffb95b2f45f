package dev.datasync.local.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.localoci.http.HttpServerLimits;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target REST API on loopback with scripted outcomes: {@code /orders/status/NNN} answers NNN until
 * {@link #heal()} is called, anything else answers 200. Records every request it gets (method, path,
 * Authorization, Idempotency-Key, body, the status it answered) so the demo and tests can see what arrived.
 */
public final class SampleTarget implements AutoCloseable {

    /**
     * One request the target received; {@code webhook}: its Standard Webhooks headers ({@code webhook-id},
     * {@code webhook-timestamp}, {@code webhook-signature}, lower-case names), empty for an unsigned delivery.
     */
    public record Received(String method, String path, String authorization, String idempotencyKey, String body,
                           int answered, long atNanos, Map<String, String> webhook) {
        public boolean succeeded() {
            return answered >= 200 && answered < 300;
        }
    }

    private static final Pattern STATUS = Pattern.compile("/orders/status/(\\d{3})");

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Received> received;
    private volatile boolean healed;

    private SampleTarget(HttpServer server, ExecutorService executor, List<Received> received) {
        this.server = server;
        this.executor = executor;
        this.received = received;
    }

    public static SampleTarget start(int port) throws IOException {
        return start(port, new CopyOnWriteArrayList<>());
    }

    /** A second listener (e.g. on a port that used to refuse connections) sharing the first one's record. */
    public SampleTarget alsoListenOn(int port) throws IOException {
        SampleTarget twin = start(port, received);
        twin.healed = true;
        return twin;
    }

    private static SampleTarget start(int port, List<Received> received) throws IOException {
        HttpServerLimits.apply(); // it may be the JVM's first HttpServer (the demo starts it before the stack)
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        ExecutorService ex = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "sample-target");
            t.setDaemon(true);
            return t;
        });
        SampleTarget target = new SampleTarget(http, ex, received);
        http.setExecutor(ex);
        http.createContext("/", target::handle);
        http.start();
        return target;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on every path answers 200. */
    public void heal() {
        healed = true;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getPath();
            int status = 200;
            Matcher m = STATUS.matcher(path);
            if (!healed && m.matches()) {
                status = Integer.parseInt(m.group(1));
            }
            Map<String, String> webhook = new TreeMap<>();
            ex.getRequestHeaders().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.startsWith("webhook-")) {
                    webhook.put(lower, String.join(",", values));
                }
            });
            received.add(new Received(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Idempotency-Key"), new String(body, StandardCharsets.UTF_8),
                    status, System.nanoTime(), Map.copyOf(webhook)));
            byte[] out = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
