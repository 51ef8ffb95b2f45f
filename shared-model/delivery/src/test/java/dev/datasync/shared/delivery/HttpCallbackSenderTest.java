package dev.datasync.shared.delivery;

import com.sun.net.httpserver.HttpServer;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The callback's bounded retries against a real endpoint on loopback: a 5xx is tried {@code MAX_ATTEMPTS} times and
 * no more, a 4xx once, a 2xx ends it; a refused URL is never called. Every callback ends in one log line.
 */
public class HttpCallbackSenderTest {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private HttpServer endpoint;
    private TargetCaller caller;
    private HttpCallbackSender sender;

    @Before
    public void setUp() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        endpoint.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                String path = ex.getRequestURI().getPath();
                calls.add(path + " " + ex.getRequestHeaders().getFirst("Idempotency-Key"));
                ex.sendResponseHeaders(Integer.parseInt(path.substring(1)), -1);
            }
        });
        endpoint.start();
        Clock clock = Clock.systemUTC();
        caller = new TargetCaller(Duration.ofSeconds(1), clock);
        TargetCheck check = (uri, source) -> uri.getPath().equals("/403") && "refused".equals(source)
                ? Clearance.refused(Failure.of(FailureKind.INVALID, "target refused: not allowed"))
                : Clearance.cleared(List.of(InetAddress.getLoopbackAddress()));
        sender = new HttpCallbackSender(caller, check, DeliverySigning.NONE, PipelineMetrics.OFF,
                JsonLog.to(lines::add, clock));
    }

    @After
    public void tearDown() {
        sender.close();
        caller.close();
        endpoint.stop(0);
    }

    private Callback callback(String syncId, int status, String source) {
        return new Callback(syncId, source, URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/"
                + status), Callback.DELIVERED, null, null, Instant.now(), null);
    }

    private long callsTo(int status) {
        return calls.stream().filter(c -> c.startsWith("/" + status + " ")).count();
    }

    @Test
    public void aFailingEndpointGetsTheBoundedAttemptsAFourHundredOneAndASuccessOne() {
        sender.send(List.of(callback("s-500", 500, "a"), callback("s-404", 404, "a"), callback("s-204", 204, "a"),
                callback("s-403", 403, "refused")), Deadline.in(Duration.ofSeconds(20)));

        assertEquals(HttpCallbackSender.MAX_ATTEMPTS, callsTo(500));
        assertEquals(1, callsTo(404));
        assertEquals(1, callsTo(204));
        assertEquals("a refused callback URL is never called", 0, callsTo(403));
        assertTrue(calls.toString(), calls.contains("/204 s-204.callback"));
        assertEquals(1, lines.stream().filter(l -> l.contains("\"callback.delivered\"")).count());
        assertEquals(3, lines.stream().filter(l -> l.contains("\"callback.failed\"")).count());
    }

    @Test
    public void noTimeLeftMeansNoCall() {
        sender.send(List.of(callback("s-late", 204, "a")), Deadline.in(Duration.ZERO));
        assertEquals(0, calls.size());
        assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.contains("\"callback.failed\"")
                && l.contains("s-late")));
    }
}
