package dev.datasync.local.observe;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/** A real HTTP target on 127.0.0.1 answering every call with the status its supplier gives at that moment. */
final class TestTarget implements AutoCloseable {

    private final HttpServer server;

    private TestTarget(HttpServer server) {
        this.server = server;
    }

    static TestTarget answering(IntSupplier status) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "test-target");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/", ex -> {
            try (ex; InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
                int s = status.getAsInt();
                byte[] out = ("{\"status\":" + s + "}").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(s, out.length);
                ex.getResponseBody().write(out);
            }
        });
        http.start();
        return new TestTarget(http);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
