package dev.datasync.shared.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 target on 127.0.0.1 (ephemeral port) that fails a share of its calls the ways a real service
 * fails: 5xx, 429 with {@code Retry-After}, no answer at all (the caller's time-out ends the call) and a connection
 * reset (TCP RST after the request was read). Written on plain sockets, since an HTTP server library cannot reset
 * a connection or stay silent on purpose. Which call fails is drawn from a seeded {@link Random}, so a run can be
 * repeated with its seed; {@link #heal()} ends the faults. Records every call with its outcome, in the order the
 * outcomes were decided (so, for calls answered 2xx, the order the target accepted them).
 */
public final class ChaosTarget implements AutoCloseable {

    /** What the target did with one call. */
    public enum Outcome { ACCEPTED, SERVER_ERROR, THROTTLED, SILENT, RESET }

    /**
     * The share (0..1) of calls failed each way; the rest are answered 200. {@code silentMs} is how long a silent
     * call is held open unanswered (longer than the caller's time-out) before the connection is closed.
     */
    public record FaultMix(double serverError, double throttled, double silent, double reset, long silentMs) {
        public static final FaultMix NONE = new FaultMix(0, 0, 0, 0, 0);

        public FaultMix {
            double total = serverError + throttled + silent + reset;
            if (serverError < 0 || throttled < 0 || silent < 0 || reset < 0 || total > 1) {
                throw new IllegalArgumentException("fault shares must be >= 0 and add up to at most 1: " + total);
            }
        }

        /** {@code rate} of the calls failed, split evenly over the four kinds. */
        public static FaultMix evenly(double rate, long silentMs) {
            return new FaultMix(rate / 4, rate / 4, rate / 4, rate / 4, silentMs);
        }

        Outcome draw(Random random) {
            double x = random.nextDouble();
            if ((x -= serverError) < 0) {
                return Outcome.SERVER_ERROR;
            }
            if ((x -= throttled) < 0) {
                return Outcome.THROTTLED;
            }
            if ((x -= silent) < 0) {
                return Outcome.SILENT;
            }
            return x - reset < 0 ? Outcome.RESET : Outcome.ACCEPTED;
        }
    }

    /**
     * One call: headers by lower-case name; {@code order} numbers the calls in the order their outcome was decided
     * (one counter for the whole target); {@code status} is 0 for a call never answered.
     */
    public record Call(long order, String method, String path, Map<String, String> headers, byte[] body,
                       Outcome outcome, int status, long atMillis) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }
    }

    private static final int[] SERVER_ERRORS = {500, 502, 503, 504};
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-target");
        t.setDaemon(true);
        return t;
    });
    private final Random random;
    private final AtomicLong order = new AtomicLong();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile FaultMix mix = FaultMix.NONE;

    private ChaosTarget(ServerSocket server, long seed) {
        this.server = server;
        this.random = new Random(seed);
    }

    public static ChaosTarget start(long seed) {
        try {
            ChaosTarget target = new ChaosTarget(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()), seed);
            Thread acceptor = new Thread(target::acceptForever, "chaos-target-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public ChaosTarget faults(FaultMix newMix) {
        this.mix = newMix;
        return this;
    }

    /** Every call from now on is answered 200. */
    public void heal() {
        faults(FaultMix.NONE);
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                connections.execute(() -> serve(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Calls on one connection, one after the other (HTTP/1.1 keep-alive), until the caller or a fault ends it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] requestLine = head.get(0).split(" ");
                if (requestLine.length < 3) {
                    return;
                }
                Map<String, String> headers = headers(head);
                if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                byte[] body = readBody(in, headers);
                if (body == null) {
                    return;
                }
                String target = requestLine[1];
                int query = target.indexOf('?');
                String path = query < 0 ? target : target.substring(0, query);
                if (!answer(socket, out, requestLine[0], path, headers, body)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the caller went away (its time-out, a kill): nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    /** @return whether the connection stays open for the next call */
    private boolean answer(Socket socket, OutputStream out, String method, String path, Map<String, String> headers,
                           byte[] body) throws IOException {
        Outcome outcome;
        int status;
        Call call;
        // one decision at a time: the draw is repeatable from the seed, and `order` is the order of acceptance
        synchronized (random) {
            outcome = mix.draw(random);
            status = switch (outcome) {
                case ACCEPTED -> 200;
                case SERVER_ERROR -> SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
                case THROTTLED -> 429;
                case SILENT, RESET -> 0;
            };
            call = new Call(order.incrementAndGet(), method, path, headers, body, outcome, status,
                    System.currentTimeMillis());
            calls.add(call);
        }
        switch (outcome) {
            case SILENT -> {
                long silentMs = mix.silentMs();
                try {
                    Thread.sleep(Math.max(silentMs, 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            case RESET -> {
                socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
                return false;
            }
            default -> {
                String extra = outcome == Outcome.THROTTLED ? "Retry-After: 1\r\n" : "";
                out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\n" + extra
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return !"close".equalsIgnoreCase(headers.get("connection"));
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }

    /** The request line and header lines, or null at the end of the connection. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (++total > MAX_HEADER_BYTES) {
                throw new IOException("request head too large");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                line.reset();
                if (text.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue; // a stray CRLF between requests
                    }
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
    }

    private static Map<String, String> headers(List<String> head) {
        Map<String, String> headers = new TreeMap<>();
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
        }
        return headers;
    }

    /** The body by Content-Length or chunked transfer coding; null when the connection ended inside it. */
    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    return null;
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are not used
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length < n) {
                    return null;
                }
                body.write(chunk);
                readLine(in);
            }
        }
        String length = headers.get("content-length");
        int n = length == null ? 0 : Integer.parseInt(length.trim());
        byte[] body = in.readNBytes(n);
        return body.length < n ? null : body;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        connections.shutdownNow();
    }
}
