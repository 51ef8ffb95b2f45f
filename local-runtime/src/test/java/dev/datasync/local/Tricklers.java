package dev.datasync.local;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow clients: connections that start a request and then send one byte a second, never finishing it — what a
 * slowloris attack does. {@link #open()} counts the connections the server has not closed yet.
 */
public final class Tricklers implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();
    private final Thread ticker;
    private volatile boolean running = true;

    private Tricklers(int port, int count, String requestStart) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.getOutputStream().write(requestStart.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            sockets.add(s);
        }
        ticker = new Thread(() -> {
            while (running) {
                for (Socket s : sockets) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write('a');
                        out.flush();
                    } catch (IOException closedByServer) {
                        // counted by open()
                    }
                }
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "trickler");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** {@code count} connections to 127.0.0.1:{@code port} trickling the headers of a request. */
    public static Tricklers headers(int port, int count) throws IOException {
        return new Tricklers(port, count, "POST /stream/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }

    /** Connections whose headers are complete but whose declared body trickles. */
    public static Tricklers body(int port, int count, String path) throws IOException {
        return new Tricklers(port, count, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");
    }

    /** Connections the server has not closed: each is read from without blocking the test for long. */
    public int open() {
        int open = 0;
        for (Socket s : sockets) {
            try {
                s.setSoTimeout(50);
                int b = s.getInputStream().read();
                if (b >= 0) {
                    open++; // it answered something (an error) but the connection may still be there
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                open++;
            } catch (IOException closed) {
                // reset by the server
            }
        }
        return open;
    }

    @Override
    public void close() {
        running = false;
        ticker.interrupt();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
