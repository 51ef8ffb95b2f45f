package dev.datasync.shared.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dead target that still accepts connections: it listens on 127.0.0.1 (ephemeral port), accepts every
 * connection and never answers (a hung server behind a live load balancer). Calls to it end only by their
 * time-out.
 */
public final class SilentTarget implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    private SilentTarget(ServerSocket server) {
        this.server = server;
    }

    public static SilentTarget start() {
        try {
            SilentTarget target = new SilentTarget(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()));
            Thread t = new Thread(target::acceptForever, "silent-target");
            t.setDaemon(true);
            t.start();
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Connections accepted so far (each held open, unanswered). */
    public int accepted() {
        return accepted.get();
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
                accepted.incrementAndGet();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
