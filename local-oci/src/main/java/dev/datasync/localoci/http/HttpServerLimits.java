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
 *   <li>a thread per request being read or served ({@link #connectionThreads}): a trickling connection holds only
 *       its own thread, never one a well-behaved request is waiting for; the work behind requests is bounded
 *       separately (a semaphore in each server), not by the number of threads;</li>
 *   <li>at most {@value #MAX_OPEN_REQUESTS} such threads per server: beyond them the server closes a new request's
 *       connection at once (the JDK's answer to a refused task) instead of queueing it behind the slow ones. Idle
 *       keep-alive connections hold no thread and do not count. (The JDK's own {@code jdk.httpserver.maxConnections}
 *       is not used: JDK 17 forgets to uncount some closed connections, such as a keep-alive connection the client
 *       dropped, so under that cap a server ends up refusing everyone for good);</li>
 *   <li>{@link #MAX_REQUEST_TIME} per request ({@code sun.net.httpserver.maxReqTime}): a connection that has not
 *       been answered by then is closed. The JDK counts that time from the first byte until the answer starts, so it
 *       also bounds the slowest legitimate request: it is OCI API Gateway's default backend read time-out, above
 *       every function time-out (func.yaml: 30 s and 60 s), so only a client that trickles is ever cut off.</li>
 * </ul>
 * The JDK reads that property once per JVM, when its first HTTP server starts: {@link #apply()} must run before
 * that (the entry points and the stack call it first thing); a value set on the command line wins.
 */
public final class HttpServerLimits {

    /** Requests one server reads or serves at once. */
    public static final int MAX_OPEN_REQUESTS = 256;
    /** From a request's first byte until its answer starts. */
    public static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(90);

    private HttpServerLimits() {
    }

    /** Sets the JDK server's request time limit unless already set; call before the JVM's first HTTP server. */
    public static void apply() {
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
     * The executor of one server: a daemon thread per request being read or served, created on demand, kept a
     * minute when idle, at most {@value #MAX_OPEN_REQUESTS}; a request beyond them is refused, never queued.
     */
    public static ExecutorService connectionThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, MAX_OPEN_REQUESTS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
