package dev.datasync.localoci.http;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What keeps a slow or hostile client from taking a JDK {@code HttpServer} away from everyone else: local-oci's
 * listener and the local stack's gateway both use it.
 * <p>
 * The JDK server reads a request's line and headers on an executor thread, so a client trickling one byte a second
 * holds a thread for as long as it trickles. Three limits together keep such clients from starving the rest:
 * <ul>
 *   <li>a thread per connection ({@link #connectionThreads}): a trickling connection holds only its own thread,
 *       never one a well-behaved request is waiting for; the work behind a request is bounded separately (a
 *       semaphore in each server), not by the number of threads;</li>
 *   <li>{@value #MAX_CONNECTIONS} connections per server ({@code jdk.httpserver.maxConnections}): beyond them the
 *       server closes new connections at once, which also bounds the threads;</li>
 *   <li>{@link #MAX_REQUEST_TIME} per request ({@code sun.net.httpserver.maxReqTime}): a connection that has not
 *       been answered by then is closed. The JDK counts that time from the first byte until the answer starts, so it
 *       also bounds the slowest legitimate request: it is OCI API Gateway's default backend read time-out, above
 *       every function time-out (func.yaml: 30 s and 60 s), so only a client that trickles is ever cut off.</li>
 * </ul>
 * The JDK reads these two properties once per JVM, when its first HTTP server starts: {@link #apply()} must run
 * before that (the entry points and the stack call it first thing); a value set on the command line wins.
 */
public final class HttpServerLimits {

    /** Connections one server keeps open at once. */
    public static final int MAX_CONNECTIONS = 256;
    /** From a request's first byte until its answer starts. */
    public static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(90);

    private HttpServerLimits() {
    }

    /** Sets the JDK server's limits unless already set; call before the JVM's first HTTP server is created. */
    public static void apply() {
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(MAX_REQUEST_TIME.toSeconds()));
        // without it every local HTTP hop costs ~40 ms (Nagle + delayed ACK)
        setIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * The executor of one server: a daemon thread per connection being served, created on demand and kept a minute
     * when idle. Bounded at twice the connection limit only as a backstop (a connection's thread may still be
     * finishing while the same connection's next request starts).
     */
    public static ExecutorService connectionThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, 2 * MAX_CONNECTIONS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
